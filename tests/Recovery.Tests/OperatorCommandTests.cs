using System.Diagnostics;
using Testing;

namespace Recovery.Tests;

public sealed class OperatorCommandTests(RecoveryTestHost host) : IClassFixture<RecoveryTestHost>
{
    /// <summary>
    /// Runs the host's own executable as an operator would (<c>Host set-password &lt;login&gt;</c>), against the test
    /// host's database while the test host keeps running, with the password piped to standard input.
    /// </summary>
    private async Task<(int ExitCode, string Output)> RunSetPasswordAsync(string login, string stdin)
    {
        using var running = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        running.Start();
        var busyPort = ((System.Net.IPEndPoint)running.LocalEndpoint).Port;
        var hostDll = HostProgram.DllPath;
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { hostDll, "set-password", login },
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Postgres"] = host.ConnectionString,
                ["Mail__PickupDirectory"] = host.PickupDirectory,
                ["Accounts__Argon2__MemoryKiB"] = "1024",
                ["Accounts__Argon2__Iterations"] = "1",
                // The port of "the running web host": the command must not try to listen on it.
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{busyPort}",
            },
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task set_password_from_the_shell_works_while_the_host_runs_and_is_recorded_as_an_operator_reset()
    {
        var account = await host.NewAccountAsync();
        var session = await host.SignInAsync(account.Username, account.Password);

        var mismatch = await RunSetPasswordAsync(account.Username, "Basalt-Signal-7070\nBasalt-Signal-7071\n");
        Assert.NotEqual(0, mismatch.ExitCode);
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, account.Password));

        var weak = await RunSetPasswordAsync(account.Username, "short\nshort\n");
        Assert.NotEqual(0, weak.ExitCode);
        Assert.Contains("too_short", weak.Output);

        var (exitCode, output) = await RunSetPasswordAsync(account.Username, "Basalt-Signal-7070\nBasalt-Signal-7070\n");
        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("Basalt-Signal-7070", output);

        Assert.Equal(401, (await host.SendAsync(session, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, "Basalt-Signal-7070"));
        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal(("operator", "completed", "operator"), (row.InitiatedBy, row.Outcome, row.Method));
        Assert.Equal($"{Environment.UserName}@{Environment.MachineName}", row.Operator);
    }
}
