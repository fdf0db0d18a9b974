using Testing;

namespace Host.Tests;

/// <summary>
/// The service started from any working directory (a checkout, a service manager's default) reads the configuration
/// it was installed with, and watches nothing of that directory.
/// </summary>
public sealed class WorkingDirectoryTests : IAsyncLifetime
{
    private readonly HostProcesses hosts = new();
    private readonly string elsewhere = Directory.CreateTempSubdirectory("recovery-cwd-").FullName;

    [Fact]
    public async Task started_from_another_directory_the_service_reads_its_own_appsettings()
    {
        var port = HostProcesses.FreePort();
        await hosts.StartAsync(port, workingDirectory: elsewhere);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var i = 0; i < 3; i++) (await client.GetAsync("/health/live")).EnsureSuccessStatusCode();
        await Task.Delay(500);

        // appsettings.json keeps ASP.NET Core's per-request lines (Information) out of the log; without it they are in.
        Assert.Contains(hosts.Output, line => line.Contains("\"Category\":\"Microsoft.Hosting.Lifetime\""));
        Assert.DoesNotContain(hosts.Output, line => line.Contains("\"Category\":\"Microsoft.AspNetCore.Hosting.Diagnostics\""));
    }

    public Task InitializeAsync() => hosts.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await hosts.DisposeAsync();
        Directory.Delete(elsewhere, true);
    }
}
