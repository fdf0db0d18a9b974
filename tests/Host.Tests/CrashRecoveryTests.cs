using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Npgsql;
using Testing;
using Xunit.Abstractions;

namespace Host.Tests;

/// <summary>
/// The host killed with SIGKILL (no graceful stop) while a scheduled message waits, then started again in the default
/// configuration: the restarted node sends the message once, within 15 s of answering ready.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper testOutput) : IAsyncLifetime
{
    private readonly HostProcesses hosts = new();

    [Fact]
    public async Task a_scheduled_message_of_a_killed_node_is_sent_once_within_15_s_of_the_restarted_node_being_ready()
    {
        var port = HostProcesses.FreePort();
        var first = await hosts.StartAsync(port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SignInAsync(client));
        var account = await (await client.PostAsJsonAsync("/api/accounts", new
        {
            username = "ned", email = "ned@example.test", roles = new[] { "user" }, password = "Harbour-Lights-2024",
        })).Content.ReadFromJsonAsync<IdAnswer>();
        var reset = await client.PostAsJsonAsync($"/api/accounts/{account!.Id}/password-reset", new { method = "temporary-password", delaySeconds = 8 });
        Assert.Equal(HttpStatusCode.Accepted, reset.StatusCode);
        var taskId = (await reset.Content.ReadFromJsonAsync<TaskAnswer>())!.TaskId;

        first.Kill(entireProcessTree: true);
        await first.WaitForExitAsync();

        await hosts.StartAsync(port);
        var ready = Stopwatch.StartNew();
        await Mailbox.WaitForAsync(hosts.Pickup, "ned@example.test", timeoutSeconds: 60);
        var sentAfter = ready.Elapsed;
        testOutput.WriteLine($"Sent {sentAfter.TotalSeconds:F1} s after the restarted node was ready.");
        Assert.True(sentAfter <= TimeSpan.FromSeconds(15), $"The message went out {sentAfter.TotalSeconds:F1} s after ready.");

        // Once: nothing more arrives, and the task made one attempt.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Single(Mailbox.All(hosts.Pickup));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await SignInAsync(client));
        var task = await client.GetFromJsonAsync<TaskView>($"/api/notifications/{taskId}");
        Assert.Equal(("done", 1), (task!.Status, task.Attempts));
    }

    private static async Task<string> SignInAsync(HttpClient client)
    {
        var answer = await client.PostAsJsonAsync("/api/auth/login", new { login = RecoveryHost.RootUsername, password = RecoveryHost.RootPassword });
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<TokenAnswer>())!.Token;
    }

    /// <summary>The host as it runs in production (no environment set): its log is JSON, one event per line, with trace ids.</summary>
    [Fact]
    public async Task production_logs_are_json_lines_with_trace_ids_and_nothing_typed_in_them()
    {
        var port = HostProcesses.FreePort();
        var host = await hosts.StartAsync(port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        const string typed = "Typed-Wrong-Password-7731";
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/auth/login", new { login = RecoveryHost.RootUsername, password = typed })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/recovery/requests", new { login = "nobody-here", channel = "email-link" })).StatusCode);
        // A body that is not JSON is answered 400 and logged, within the request's trace.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/auth/login", new StringContent("{\"login\":", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        await Task.Delay(1000);
        host.Kill(entireProcessTree: true);
        await host.WaitForExitAsync();

        var lines = hosts.Output.ToArray();
        Assert.NotEmpty(lines);
        var events = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(events, e => Assert.True(e.TryGetProperty("LogLevel", out _) && e.TryGetProperty("Message", out _)));
        Assert.Contains(events, e => e.GetProperty("Scopes").EnumerateArray().Any(s => s.ValueKind == System.Text.Json.JsonValueKind.Object && s.TryGetProperty("TraceId", out _)));
        Assert.DoesNotContain(lines, l => l.Contains(typed, StringComparison.Ordinal) || l.Contains(RecoveryHost.RootPassword, StringComparison.Ordinal));
    }

    public Task InitializeAsync() => hosts.CreateDatabaseAsync();

    public Task DisposeAsync() => hosts.DisposeAsync();

    private sealed record IdAnswer(Guid Id);

    private sealed record TaskAnswer(Guid TaskId);

    private sealed record TokenAnswer(string Token);

    private sealed record TaskView(string Status, int Attempts);
}
