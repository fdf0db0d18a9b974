using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Npgsql;
using Testing;

namespace Host.Tests;

/// <summary>
/// Real host processes (the built Host.dll, not in-process hosts) on a database of their own, in the production
/// environment (none set), with a shared pickup folder and a cheap Argon2 cost; their standard output is kept.
/// </summary>
public sealed class HostProcesses
{
    private readonly string database = $"test_{Guid.NewGuid():N}"[..20];
    private readonly List<Process> processes = [];

    /// <summary>The processes' database, for checks of what they wrote.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public string Pickup { get; } = Path.Combine(Path.GetTempPath(), "recovery-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Every line the processes wrote to standard output.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task CreateDatabaseAsync()
    {
        await using var admin = new NpgsqlConnection(RecoveryHost.AdminConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"create database \"{database}\"", admin);
        await create.ExecuteNonQueryAsync();
        ConnectionString = new NpgsqlConnectionStringBuilder(RecoveryHost.AdminConnectionString) { Database = database }.ConnectionString;
    }

    /// <summary>Starts a host on the port and waits until it answers ready.</summary>
    public async Task<Process> StartAsync(int port, IDictionary<string, string>? extra = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { HostProgram.DllPath },
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(HostProgram.DllPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["ConnectionStrings__Postgres"] = ConnectionString,
                ["Bootstrap__RootUsername"] = RecoveryHost.RootUsername,
                ["Bootstrap__RootPassword"] = RecoveryHost.RootPassword,
                ["Bootstrap__RootEmail"] = "root@example.test",
                ["Mail__PickupDirectory"] = Pickup,
                ["Accounts__Argon2__MemoryKiB"] = "1024",
                ["Accounts__Argon2__Iterations"] = "1",
            },
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start)!;
        processes.Add(process);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null) Output.Enqueue(line.Data);
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode) return process;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The host did not answer /health/ready.");
    }

    /// <summary>Stops a host as an operator or a service manager does, with SIGTERM, and waits for it to exit.</summary>
    public static async Task StopAsync(Process process)
    {
        if (Terminate(process.Id, 15) != 0) throw new InvalidOperationException($"SIGTERM to {process.Id} failed");
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Terminate(int pid, int signal);

    /// <summary>Kills what still runs, drops the database and removes the pickup folder.</summary>
    public async Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.Dispose();
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(RecoveryHost.AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{database}\" with (force)", admin);
        await drop.ExecuteNonQueryAsync();
        if (Directory.Exists(Pickup)) Directory.Delete(Pickup, true);
    }
}
