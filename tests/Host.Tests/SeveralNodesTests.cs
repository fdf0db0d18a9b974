using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Testing;
using Xunit.Abstractions;

namespace Host.Tests;

/// <summary>
/// Three real host processes (not in-process hosts) on one PostgreSQL, as operators run them behind their own proxy:
/// whatever a person or an auditor sees is the same whichever node answers, limits hold across nodes, and a scheduled
/// send fires once, even when the node that took the request is killed with SIGKILL; an expiry fires once while
/// nodes stop and start, and the event-derived views (security log, reset history) have every event once.
/// </summary>
public sealed class SeveralNodesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly HostProcesses hosts = new();

    [Fact]
    public async Task three_nodes_answer_alike_share_limits_caps_and_settings_and_do_background_work_once_while_nodes_are_killed_stopped_and_started()
    {
        var ports = new[] { HostProcesses.FreePort(), HostProcesses.FreePort(), HostProcesses.FreePort() };
        var nodes = new List<Process>();
        foreach (var port in ports) nodes.Add(await hosts.StartAsync(port, Limits));
        var (a, b, c) = (Client(ports[0]), Client(ports[1]), Client(ports[2]));

        // A session opened on one node works on every node.
        var root = await SignInAsync(a, RecoveryHost.RootUsername, RecoveryHost.RootPassword);
        foreach (var node in new[] { b, c }) Assert.Equal(HttpStatusCode.OK, (await Send(node, root, HttpMethod.Get, "/api/me")).StatusCode);

        // Settings changed on one node are in force on the others within the documented bound (2 s).
        await Send(b, root, HttpMethod.Put, "/api/settings/recovery", new
        {
            channels = new[] { "email-link", "email-otp" }, linkLifetimeMinutes = 1440, otpLifetimeMinutes = 1, otpLength = 6, otpMaxAttempts = 3,
            adminResetDelaySeconds = 0,
        });
        var seen = Stopwatch.StartNew();
        while ((await c.GetFromJsonAsync<ChannelsAnswer>("/api/recovery/channels"))!.Channels.Length != 2)
        {
            Assert.True(seen.Elapsed < TimeSpan.FromSeconds(3), "node C still shows the old recovery channels after 3 s");
            await Task.Delay(100);
        }

        // A link issued through one node is redeemed through another, and the new password works on the third.
        var accountId = await CreateAccountAsync(a, root, "nia");
        Assert.Equal(HttpStatusCode.Accepted, (await a.PostAsJsonAsync("/api/recovery/requests", new { login = "nia", channel = "email-link" })).StatusCode);
        var token = Regex.Match((await Mailbox.WaitForAsync(hosts.Pickup, "nia@example.test")).TextBody ?? string.Empty, @"token=([A-Za-z0-9_\-]+)").Groups[1].Value;
        Assert.Equal(HttpStatusCode.NoContent, (await b.PostAsJsonAsync("/api/recovery/reset", new { token, newPassword = "Copper-Kettle-5821", confirmPassword = "Copper-Kettle-5821" })).StatusCode);
        await SignInAsync(c, "nia", "Copper-Kettle-5821");

        // A code request through C is left to expire (one minute); it is checked at the end, after nodes stopped and
        // started.
        var oliId = await CreateAccountAsync(a, root, "oli");
        var oliRequested = DateTime.UtcNow;
        var oliRequest = await RequestCodeAsync(c, "oli");

        // Wrong codes through three nodes count towards one request's limit (three tries here): the right code is refused
        // after them, on any node.
        var paxId = await CreateAccountAsync(a, root, "pax");
        var paxRequest = await RequestCodeAsync(a, "pax");
        var code = Regex.Match((await Mailbox.WaitForAsync(hosts.Pickup, "pax@example.test")).TextBody ?? string.Empty, @"\b(\d{6})\b").Groups[1].Value;
        for (var i = 0; i < 3; i++)
        {
            var wrong = ((int.Parse(code) + 1 + i) % 1_000_000).ToString("D6");
            Assert.Equal("400 invalid_code", await VerifyAsync(new[] { a, b, c }[i], paxRequest, wrong));
        }

        Assert.Equal("400 too_many_attempts", await VerifyAsync(b, paxRequest, code));
        Assert.Equal("400 too_many_attempts", await VerifyAsync(c, paxRequest, code));

        // Wrong passwords through three nodes count towards one lockout (five by default): the sixth try is refused even
        // with the right password, on any node.
        // (The per-address limit below counts in fixed 10-second windows: start at the beginning of one.)
        await Task.Delay(TimeSpan.FromMilliseconds(10_000 - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() % 10_000 + 100));
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await new[] { a, b, c }[i % 3].PostAsJsonAsync("/api/auth/login", new { login = "nia", password = $"Wrong-{i}-Pass" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await b.PostAsJsonAsync("/api/auth/login", new { login = "nia", password = "Copper-Kettle-5821" })).StatusCode);
        Assert.Equal("locked", (await (await Send(c, root, HttpMethod.Get, $"/api/accounts/{accountId}")).Content.ReadFromJsonAsync<AccountAnswer>())!.Status);

        // The per-address limit on failed sign-ins (ten here) counts the failures of every node together: six so far,
        // four more through the three nodes, and the next is refused with 429 on any of them.
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await new[] { c, a, b }[i % 3].PostAsJsonAsync("/api/auth/login", new { login = $"nobody-{i}", password = "Whatever-Pass-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await c.PostAsJsonAsync("/api/auth/login", new { login = "nobody-else", password = "Whatever-Pass-1" })).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(11));

        // With every node up, a scheduled send goes out once.
        await Send(b, root, HttpMethod.Post, $"/api/accounts/{accountId}/unlock");
        Assert.Equal(HttpStatusCode.Accepted, (await Send(b, root, HttpMethod.Post, $"/api/accounts/{accountId}/password-reset", new { method = "link", delaySeconds = 2 })).StatusCode);
        await Mailbox.WaitForAsync(hosts.Pickup, "nia@example.test", m => m.Subject == "Reset your password" && Mailbox.All(hosts.Pickup).Count(x => x.Subject == "Reset your password") == 2, timeoutSeconds: 30);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(2, Mailbox.All(hosts.Pickup).Count(m => m.Subject == "Reset your password"));

        // A temporary password scheduled 8 s ahead through node A; A is killed; another node sends it once, on time,
        // reading the secret A protected (the key ring is shared).
        await Send(a, root, HttpMethod.Post, $"/api/accounts/{accountId}/unlock");
        var reset = await Send(a, root, HttpMethod.Post, $"/api/accounts/{accountId}/password-reset", new { method = "temporary-password", delaySeconds = 8 });
        Assert.Equal(HttpStatusCode.Accepted, reset.StatusCode);
        var due = DateTime.UtcNow.AddSeconds(8);
        nodes[0].Kill(entireProcessTree: true);
        await nodes[0].WaitForExitAsync();
        var sent = await Mailbox.WaitForAsync(hosts.Pickup, "nia@example.test", m => m.Subject == "Your temporary password", timeoutSeconds: 60);
        var late = DateTime.UtcNow - due;
        output.WriteLine($"The temporary password went out {late.TotalSeconds:F1} s after it was due.");
        Assert.True(late < TimeSpan.FromSeconds(20), $"sent {late.TotalSeconds:F1} s after it was due");
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Single(Mailbox.All(hosts.Pickup), m => m.Subject == "Your temporary password");
        Assert.NotNull(sent);

        // The reset history has each request once, whichever node recorded it.
        var rootAgain = await SignInAsync(b, RecoveryHost.RootUsername, RecoveryHost.RootPassword);
        var history = await ResetsAsync(c, rootAgain, accountId);
        Assert.Equal(3, history.Total);
        Assert.Equal(history.Items.Select(r => r.RequestId).Distinct().Count(), history.Items.Length);
        var pax = Assert.Single((await ResetsAsync(c, rootAgain, paxId)).Items);
        Assert.Equal((paxRequest, 3), (pax.RequestId, pax.OtpFailures));

        // A is started again and C is stopped (SIGTERM): the code request left alone through C expires once, on time,
        // whichever node's scheduler holds it.
        nodes[0] = await hosts.StartAsync(ports[0], Limits);
        await HostProcesses.StopAsync(nodes[2]);
        Row oli;
        while ((oli = Assert.Single((await ResetsAsync(a, rootAgain, oliId)).Items)).Outcome != "expired")
        {
            Assert.True(DateTime.UtcNow - oliRequested < TimeSpan.FromSeconds(60 + 60), $"the code request is still {oli.Outcome} a minute after it expired");
            await Task.Delay(500);
        }

        Assert.Equal(oliRequest, oli.RequestId);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var expiry = Assert.Single((await (await Send(a, rootAgain, HttpMethod.Get, $"/api/audit/events?accountId={oliId}&type=reset_expired")).Content.ReadFromJsonAsync<EventPage>())!.Items);
        var expiredAfter = expiry.At.UtcDateTime - oliRequested;
        output.WriteLine($"The code request expired {expiredAfter.TotalSeconds - 60:F1} s after its minute.");
        Assert.True(expiredAfter < TimeSpan.FromSeconds(60 + 20), $"expired {expiredAfter.TotalSeconds - 60:F1} s after its minute");

        // The security log and the reset history are written with their events, whichever node appended them: every
        // security event has its row once, and every recovery request its history row once.
        await using var db = new NpgsqlConnection(hosts.ConnectionString);
        await db.OpenAsync();
        Assert.Equal((0L, 0L), (await CountAsync(db, MissingLogRows), await CountAsync(db, MissingHistoryRows)));
        Assert.Equal(await CountAsync(db, "select count(*) from recovery.mt_events where type = 'reset_requested'"),
            await CountAsync(db, "select count(*) from recovery.mt_doc_resethistoryrow"));
    }

    // Events of a type that the security log shows that have no row of their own.
    private const string MissingLogRows = """
        select count(*) from recovery.mt_events e
        where e.type in (select distinct x.type from recovery.mt_events x join recovery.mt_doc_securitylogentry s on s.id = x.id)
          and not exists (select 1 from recovery.mt_doc_securitylogentry s where s.id = e.id)
        """;

    // Recovery requests (each stream starts with one 'reset_requested') without a history row.
    private const string MissingHistoryRows = """
        select count(*) from recovery.mt_events e
        where e.type = 'reset_requested'
          and not exists (select 1 from recovery.mt_doc_resethistoryrow h where h.id = e.stream_id)
        """;

    private static async Task<long> CountAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<Page> ResetsAsync(HttpClient node, string token, Guid accountId) =>
        (await (await Send(node, token, HttpMethod.Get, $"/api/audit/resets?accountId={accountId}")).Content.ReadFromJsonAsync<Page>())!;

    private static async Task<Guid> CreateAccountAsync(HttpClient node, string root, string username) =>
        (await (await Send(node, root, HttpMethod.Post, "/api/accounts", new
        {
            username, email = $"{username}@example.test", roles = new[] { "user" }, password = "Harbour-Lights-2024",
        })).Content.ReadFromJsonAsync<IdAnswer>())!.Id;

    private static async Task<Guid> RequestCodeAsync(HttpClient node, string login)
    {
        var answer = await node.PostAsJsonAsync("/api/recovery/requests", new { login, channel = "email-otp" });
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        return (await answer.Content.ReadFromJsonAsync<RequestAnswer>())!.RequestId;
    }

    private static async Task<string> VerifyAsync(HttpClient node, Guid requestId, string code)
    {
        var answer = await node.PostAsJsonAsync("/api/recovery/otp/verify", new { requestId, code });
        var problem = await answer.Content.ReadFromJsonAsync<ProblemAnswer>();
        return $"{(int)answer.StatusCode} {problem?.Code}";
    }

    private static HttpClient Client(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

    private static async Task<HttpResponseMessage> Send(HttpClient client, string token, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static async Task<string> SignInAsync(HttpClient client, string login, string password)
    {
        var answer = await client.PostAsJsonAsync("/api/auth/login", new { login, password });
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<TokenAnswer>())!.Token;
    }

    private static readonly Dictionary<string, string> Limits = new()
    {
        ["Accounts__SignInRateLimit__PerAddressPermits"] = "10",
        ["Accounts__SignInRateLimit__WindowSeconds"] = "10",
    };

    public Task InitializeAsync() => hosts.CreateDatabaseAsync();

    public Task DisposeAsync() => hosts.DisposeAsync();

    private sealed record TokenAnswer(string Token);

    private sealed record IdAnswer(Guid Id);

    private sealed record AccountAnswer(string Status);

    private sealed record ChannelsAnswer(string[] Channels);

    private sealed record Page(Row[] Items, int Total);

    private sealed record Row(Guid RequestId, string Outcome, int OtpFailures);

    private sealed record EventPage(EventRow[] Items, int Total);

    private sealed record EventRow(DateTimeOffset At);

    private sealed record RequestAnswer(Guid RequestId);

    private sealed record ProblemAnswer(string? Code);
}
