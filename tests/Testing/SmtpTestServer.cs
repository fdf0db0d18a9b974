using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Testing;

/// <summary>A real SMTP server (aiosmtpd, see smtp_server.py) on a loopback port, storing what it accepts as .eml files.</summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly Process process;

    private SmtpTestServer(Process process, int port, string folder)
    {
        this.process = process;
        Port = port;
        Folder = folder;
    }

    public int Port { get; }

    public string Folder { get; }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An address of this machine other than loopback: a server there counts as another machine's.</summary>
    public static string NonLoopbackAddress() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString()
        ?? throw new InvalidOperationException("This machine has no IPv4 address other than loopback.");

    public static async Task<SmtpTestServer> StartAsync(int? port = null, string? user = null, string? password = null, string bind = "127.0.0.1")
    {
        var chosen = port ?? FreePort();
        var folder = Path.Combine(Path.GetTempPath(), "recovery-tests", "smtp-" + Guid.NewGuid().ToString("N"));
        // Debian's interpreter: the python3 first on PATH may be another build without python3-aiosmtpd.
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "smtp_server.py"), "--port", chosen.ToString(), "--dir", folder, "--host", bind })
            start.ArgumentList.Add(arg);
        if (user is not null)
        {
            start.ArgumentList.Add("--user");
            start.ArgumentList.Add(user);
            start.ArgumentList.Add("--password");
            start.ArgumentList.Add(password ?? string.Empty);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The SMTP test server did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
                throw new InvalidOperationException("The SMTP test server stopped: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            if (line == "READY") break;
        }

        return new SmtpTestServer(process, chosen, folder);
    }

    public IReadOnlyList<MimeMessage> Messages() =>
        Directory.Exists(Folder) ? Directory.GetFiles(Folder, "*.eml").Order().Select(f => MimeMessage.Load(f)).ToList() : [];

    public IReadOnlyList<MimeMessage> MessagesTo(string address) =>
        Messages().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    public async Task<MimeMessage> WaitForMessageToAsync(string address) =>
        (await Wait.UntilAsync($"a message to {address} at the SMTP server", () => Task.FromResult(MessagesTo(address).FirstOrDefault())))!;

    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }

        process.Dispose();
        if (Directory.Exists(Folder)) Directory.Delete(Folder, true);
    }
}

/// <summary>Waits for something that happens in the background (a delivery, a retry), up to a generous bound.</summary>
public static class Wait
{
    public static async Task<T> UntilAsync<T>(string what, Func<Task<T?>> probe, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (await probe() is { } found && found is not false) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited in vain for {what}.");
            await Task.Delay(100);
        }
    }
}
