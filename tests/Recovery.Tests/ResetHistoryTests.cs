using System.Net;
using System.Text.Json;
using Alba;
using JasperFx.Events.Daemon;
using Marten;
using Recovery.Auditing;
using Testing;

namespace Recovery.Tests;

/// <summary>Reads every row of the history, so it has a host and database of its own.</summary>
public sealed class AuditHost : RecoveryTestHost;

public sealed class ResetHistoryTests(AuditHost host) : IClassFixture<AuditHost>
{
    private const string NewPassword = "Juniper-Lighthouse-404";

    private async Task<(Guid RequestId, string Token)> LinkAsync(RecoveryTestHost.TestAccount account, int nth = 1)
    {
        var (result, _) = await host.RequestAndWaitAsync(account.Username, "email-link",
            s => s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.44")));
        var requestId = (await result.ReadAsJsonAsync<RecoveryTestHost.RequestAnswer>())!.RequestId;
        return (requestId, RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link", nth)));
    }

    [Fact]
    public async Task a_completed_link_reset_is_one_row_with_who_when_and_from_where()
    {
        var account = await host.NewAccountAsync();
        var (requestId, token) = await LinkAsync(account);
        Assert.Equal("pending", Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}")).Outcome);
        Assert.Equal(204, (await host.ResetAsync(token, NewPassword)).Context.Response.StatusCode);

        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal(requestId, row.RequestId);
        Assert.Equal((account.Username, "email-link", "self", "completed", "192.0.2.44"), (row.Username, row.Channel, row.InitiatedBy, row.Outcome, row.ClientIp));
        Assert.Null(row.ActorId);
        Assert.NotNull(row.CompletedAt);
        Assert.True(row.CompletedAt >= row.RequestedAt);
    }

    [Fact]
    public async Task each_row_says_how_the_password_was_to_be_reset_apart_from_the_channel_and_can_be_filtered_by_it()
    {
        await host.EnableAllChannelsAsync(otpMaxAttempts: 3);
        var account = await host.NewAccountAsync();
        await host.RequestAsync(account.Username, "email-link");
        await host.RequestAsync(account.Username, "sms-otp");
        var root = await host.FreshRootTokenAsync();
        await host.AndWaitAsync(() => host.SendAsync(root, s => s.Post.Json(new { method = "temporary-password", delaySeconds = 0 }).ToUrl($"/api/accounts/{account.Id}/password-reset")));

        var rows = await host.ResetHistoryAsync($"?accountId={account.Id}");
        Assert.Equal(
            [("email-link", "link"), ("sms-otp", "code"), ("temporary-password", "temporary-password")],
            rows.Select(r => (r.Channel, r.Method)).OrderBy(r => r.Channel, StringComparer.Ordinal).ToArray());
        var codes = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}&method=code"));
        Assert.Equal("sms-otp", codes.Channel);
        var csv = await (await host.SendAsync(root, s => s.Get.Url($"/api/audit/resets.csv?accountId={account.Id}&method=link"))).ReadAsTextAsync();
        Assert.EndsWith(",method", csv.Split("\r\n")[0]);
        Assert.Contains(",link\r\n", Assert.Single(csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1)) + "\r\n");
    }

    [Fact]
    public async Task a_superseded_request_is_its_own_row()
    {
        var account = await host.NewAccountAsync();
        var (first, _) = await LinkAsync(account);
        var (second, _) = await LinkAsync(account, nth: 2);
        var rows = await host.ResetHistoryAsync($"?accountId={account.Id}");
        Assert.Equal("superseded", rows.Single(r => r.RequestId == first).Outcome);
        Assert.Equal("pending", rows.Single(r => r.RequestId == second).Outcome);
    }

    [Fact]
    public async Task wrong_codes_are_counted_and_exhausting_them_fails_the_request()
    {
        await host.EnableAllChannelsAsync(otpMaxAttempts: 3);
        var account = await host.NewAccountAsync();
        var requestId = await host.RequestAsync(account.Username, "email-otp");
        var code = RecoveryTestHost.CodeIn(await host.MessageAsync(account.Email!, "one-time-code"));
        var wrong = code == "999999" ? "888888" : "999999";

        await host.VerifyAsync(requestId, wrong);
        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal((1, "pending"), (row.OtpFailures, row.Outcome));

        await host.VerifyAsync(requestId, wrong);
        await host.VerifyAsync(requestId, wrong);
        row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal((3, "failed", "email-otp"), (row.OtpFailures, row.Outcome, row.Channel));
    }

    [Fact]
    public async Task a_request_for_an_unknown_login_is_a_failed_row_without_an_account()
    {
        var requestId = await host.RequestAsync($"ghost-{Guid.NewGuid():N}", "email-link");
        var row = Assert.Single(await host.ResetHistoryAsync("?outcome=failed&pageSize=500"), r => r.RequestId == requestId);
        Assert.Null(row.AccountId);
        Assert.Null(row.Username);
    }

    [Fact]
    public async Task an_expired_request_is_an_expired_row()
    {
        var account = await host.NewAccountAsync();
        var (_, token) = await LinkAsync(account);
        host.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal("expired", (await Problem.ReadAsync(await host.ResetAsync(token, NewPassword))).Code);
        Assert.Equal("expired", Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}")).Outcome);
    }

    [Fact]
    public async Task filters_paging_and_csv_answer_the_same_rows()
    {
        var account = await host.NewAccountAsync();
        var (_, token) = await LinkAsync(account);
        await host.ResetAsync(token, NewPassword);
        await LinkAsync(account, nth: 2);

        var all = await host.ResetHistoryAsync($"?accountId={account.Id}");
        Assert.Equal(2, all.Length);
        Assert.True(all[0].RequestedAt >= all[1].RequestedAt, "newest first");
        Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}&outcome=completed"));
        Assert.Empty(await host.ResetHistoryAsync($"?accountId={account.Id}&channel=sms-otp"));
        Assert.Empty(await host.ResetHistoryAsync($"?accountId={account.Id}&from={Uri.EscapeDataString(host.Clock.GetUtcNow().AddDays(1).ToString("O"))}"));

        var token2 = await host.FreshRootTokenAsync();
        var page = await (await host.SendAsync(token2, s => s.Get.Url($"/api/audit/resets?accountId={account.Id}&page=2&pageSize=1"))).ReadAsJsonAsync<RecoveryTestHost.ResetPage>();
        Assert.Equal(2, page!.Total);
        Assert.Equal(all[1].RequestId, Assert.Single(page.Items).RequestId);

        var csv = await host.SendAsync(token2, s => s.Get.Url($"/api/audit/resets.csv?accountId={account.Id}"));
        Assert.StartsWith("text/csv", csv.Context.Response.ContentType);
        var lines = (await csv.ReadAsTextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("requestId,accountId,username,channel,initiatedBy,actorId,requestedAt,completedAt,outcome,otpFailures,clientIp,operator,method", lines[0]);
        Assert.Equal(all.Select(r => r.RequestId.ToString()), lines.Skip(1).Select(l => l.Split(',')[0]));
    }

    [Fact]
    public async Task auditors_may_read_the_history_and_plain_users_may_not()
    {
        var auditor = await host.NewAccountAsync();
        var token = await host.FreshRootTokenAsync();
        await host.SendAsync(token, s => s.Patch.Json(new { roles = new[] { "auditor" } }).ToUrl($"/api/accounts/{auditor.Id}"));
        var auditorToken = await host.SignInAsync(auditor.Username, auditor.Password);
        Assert.Equal(200, (await host.SendAsync(auditorToken, s => s.Get.Url("/api/audit/resets"))).Context.Response.StatusCode);
        Assert.Equal(200, (await host.SendAsync(auditorToken, s => s.Get.Url("/api/audit/resets.csv"))).Context.Response.StatusCode);

        var user = await host.NewAccountAsync();
        var userToken = await host.SignInAsync(user.Username, user.Password);
        Assert.Equal(403, (await host.SendAsync(userToken, s => s.Get.Url("/api/audit/resets"))).Context.Response.StatusCode);
        Assert.Equal(401, (await host.SendAsync(null, s => s.Get.Url("/api/audit/resets"))).Context.Response.StatusCode);
    }

    [Fact]
    public async Task rebuilding_the_history_from_the_events_gives_the_same_rows()
    {
        var account = await host.NewAccountAsync();
        var (_, token) = await LinkAsync(account);
        await host.ResetAsync(token, NewPassword);
        await LinkAsync(account, nth: 2);
        await host.RequestAsync($"ghost-{Guid.NewGuid():N}", "email-link");

        var store = host.Service<IDocumentStore>();
        async Task<string[]> RowsAsync()
        {
            await using var session = store.QuerySession();
            var rows = await session.Query<ResetHistoryRow>().ToListAsync();
            return rows.OrderBy(r => r.Id).Select(r => JsonSerializer.Serialize(r)).ToArray();
        }

        var before = await RowsAsync();
        Assert.True(before.Length >= 3);
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(ResetHistoryRow));
        Assert.Empty(await RowsAsync());

        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<ResetHistoryProjection>(TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(before, await RowsAsync());
    }

    [Fact]
    public async Task no_event_of_a_request_holds_its_token_or_code()
    {
        await host.EnableAllChannelsAsync(otpMaxAttempts: 3);
        var account = await host.NewAccountAsync();
        var (linkRequest, token) = await LinkAsync(account);
        var codeRequest = await host.RequestAsync(account.Username, "email-otp");
        var code = RecoveryTestHost.CodeIn(await host.MessageAsync(account.Email!, "one-time-code"));
        var verified = await host.VerifyAsync(codeRequest, code);
        var resetToken = (await verified.ReadAsJsonAsync<RecoveryTestHost.ResetTokenAnswer>())!.ResetToken;
        Assert.Equal(204, (await host.ResetAsync(resetToken, NewPassword)).Context.Response.StatusCode);

        await using var session = host.Service<IDocumentStore>().QuerySession();
        var events = (await session.Events.FetchStreamAsync(linkRequest)).Concat(await session.Events.FetchStreamAsync(codeRequest)).ToList();
        Assert.Contains(events, e => e.EventTypeName == "reset_code_issued");
        var json = string.Join("\n", events.Select(e => JsonSerializer.Serialize(e.Data, e.EventType)));
        Assert.DoesNotContain(token, json);
        Assert.DoesNotContain(resetToken, json);
        Assert.DoesNotContain($"\"{code}\"", json);
        Assert.DoesNotContain(NewPassword, json);
    }
}
