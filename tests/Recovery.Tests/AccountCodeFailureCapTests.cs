using Alba;
using Recovery.Expiring;
using Recovery.Requesting;
using Recovery.Secrets;
using Testing;
using Wolverine.Tracking;

namespace Recovery.Tests;

/// <summary>A low account-wide cap on wrong codes (one request's five tries and one more), and a clock of its own.</summary>
public sealed class CodeFailureCapHost : RecoveryTestHost
{
    public const int Cap = 6;

    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Recovery:CodeFailures:MaxPerAccount"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Recovery:CodeFailures:WindowHours"] = "24";
        return settings;
    }
}

/// <summary>
/// Each code request brings its own few tries; the account as a whole may collect only so many wrong codes within the
/// window, after which code channels send it nothing (answered exactly as for an unknown login) until the window passes.
/// </summary>
public sealed class AccountCodeFailureCapTests(CodeFailureCapHost host) : IClassFixture<CodeFailureCapHost>
{
    private static string Recipient(RecoveryTestHost.TestAccount account, string channel) => channel == "sms-otp" ? account.Phone! : account.Email!;

    private static string Wrong(string code) => (char)('0' + ((code[0] - '0' + 1) % 10)) + code[1..];

    /// <summary>Five wrong codes on a first request, one on a second: the cap, over two requests. Returns the second request, still open.</summary>
    private async Task<(Guid RequestId, string Code)> ReachCapAsync(RecoveryTestHost.TestAccount account, string channel)
    {
        await host.EnableAllChannelsAsync();
        var recipient = Recipient(account, channel);
        var sent = host.MessagesTo(recipient, "one-time-code").Count;

        var first = await host.RequestAsync(account.Username, channel);
        var firstCode = RecoveryTestHost.CodeIn(await host.MessageAsync(recipient, "one-time-code", sent + 1));
        for (var i = 0; i < 5; i++) Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(first, Wrong(firstCode)))).Code);

        var second = await host.RequestAsync(account.Email!, channel);
        var secondCode = RecoveryTestHost.CodeIn(await host.MessageAsync(recipient, "one-time-code", sent + 2));
        Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(second, Wrong(secondCode)))).Code);
        return (second, secondCode);
    }

    /// <summary>Requests a code and tells whether a new message reached the account.</summary>
    private async Task<bool> CodeArrivesAsync(RecoveryTestHost.TestAccount account, string channel)
    {
        var recipient = Recipient(account, channel);
        var before = host.MessagesTo(recipient, "one-time-code").Count;
        await host.RequestAsync(account.Username, channel);
        return await MessageCountReachesAsync(recipient, before + 1);
    }

    /// <summary>Waits a little for a delivery that may still be on its way after the request's messages were handled.</summary>
    private async Task<bool> MessageCountReachesAsync(string recipient, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (host.MessagesTo(recipient, "one-time-code").Count < count)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(100);
        }

        return true;
    }

    [Theory]
    [InlineData("email-otp")]
    [InlineData("sms-otp")]
    public async Task past_the_cap_a_code_request_sends_nothing_and_is_answered_like_one_for_an_unknown_login(string channel)
    {
        var account = await host.NewAccountAsync();
        var (open, rightCode) = await ReachCapAsync(account, channel);
        var secrets = host.Service<RecoverySecrets>();
        var recipient = Recipient(account, channel);
        var sentBefore = host.MessagesTo(recipient, "one-time-code").Count;

        async Task<(IScenarioResult Result, long Secrets, int Issued, int Scheduled)> RequestAsync(string who)
        {
            var made = secrets.SecretsMade;
            var (result, tracked) = await host.RequestAndWaitAsync(who, channel);
            return (result, secrets.SecretsMade - made, tracked.Executed.MessagesOf<IssueRecoverySecret>().Count(),
                tracked.Scheduled.MessagesOf<ExpireRecoveryRequest>().Count());
        }

        var forCapped = await RequestAsync(account.Username);
        var forUnknown = await RequestAsync($"ghost-{Guid.NewGuid():N}");

        Assert.Equal(202, forCapped.Result.Context.Response.StatusCode);
        Assert.Equal(forUnknown.Result.Context.Response.StatusCode, forCapped.Result.Context.Response.StatusCode);
        Assert.Equal(forUnknown.Result.Context.Response.ContentType, forCapped.Result.Context.Response.ContentType);
        var answer = await forCapped.Result.ReadAsJsonAsync<RecoveryTestHost.RequestAnswer>();
        Assert.Equal(channel, answer!.Channel);
        Assert.Equal((1, 1, 1), (forCapped.Secrets, forCapped.Issued, forCapped.Scheduled));
        Assert.Equal((forUnknown.Secrets, forUnknown.Issued, forUnknown.Scheduled), (forCapped.Secrets, forCapped.Issued, forCapped.Scheduled));
        Assert.False(await MessageCountReachesAsync(recipient, sentBefore + 1));

        // The request still open before the cap was reached takes no code any more, not even its own right one.
        Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(open, rightCode))).Code);
        for (var i = 0; i < 3; i++) await host.VerifyAsync(open, rightCode);
        Assert.Equal("too_many_attempts", (await Problem.ReadAsync(await host.VerifyAsync(open, rightCode))).Code);

        // Auditors see why nothing was sent, and when the cap was reached.
        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"), r => r.RequestId == answer.RequestId);
        Assert.Equal("failed", row.Outcome);
        var events = await SecurityEventsAsync(account.Id);
        var reached = Assert.Single(events, e => e.Type == "code_failure_limit_reached");
        Assert.Contains($"{CodeFailureCapHost.Cap} wrong reset codes", reached.Summary);
        Assert.Contains(events, e => e.Type == "reset_undeliverable" && e.Summary.Contains("too many recent wrong codes"));
    }

    [Fact]
    public async Task wrong_authenticator_codes_count_towards_the_same_cap_as_sent_codes()
    {
        await host.PutSettingsAsync(new
        {
            channels = new[] { "email-link", "email-otp", "sms-otp", "authenticator" }, linkLifetimeMinutes = 1440, otpLifetimeMinutes = 10, otpLength = 6,
            otpMaxAttempts = 5, adminResetDelaySeconds = 0,
        });
        var account = await host.NewAccountAsync();
        var token = await host.SignInAsync(account.Username, account.Password);
        var started = await host.SendAsync(token, s => s.Post.Json(new { currentPassword = account.Password }).ToUrl("/api/me/authenticator"));
        var key = OtpNet.Base32Encoding.ToBytes((await started.ReadAsJsonAsync<KeyAnswer>())!.Key.Replace(" ", string.Empty));
        string Now() => new OtpNet.Totp(key).ComputeTotp(host.Clock.GetUtcNow().UtcDateTime);
        Assert.Equal(204, (await host.SendAsync(token, s => s.Post.Json(new { code = Now() }).ToUrl("/api/me/authenticator/confirm"))).Context.Response.StatusCode);
        host.Clock.Advance(TimeSpan.FromSeconds(30));

        // Five wrong app codes on one request and one on a second reach the account's cap...
        var first = await host.RequestAsync(account.Username, "authenticator");
        for (var i = 0; i < 5; i++) Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(first, Wrong(Now())))).Code);
        var second = await host.RequestAsync(account.Username, "authenticator");
        Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(second, Wrong(Now())))).Code);

        // ...so no code is sent by mail any more, and the app's right code does nothing either.
        Assert.False(await CodeArrivesAsync(account, "email-otp"));
        var third = await host.RequestAsync(account.Username, "authenticator");
        Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(third, Now()))).Code);
        Assert.Contains(await SecurityEventsAsync(account.Id), e => e.Type == "code_failure_limit_reached");
    }

    private sealed record KeyAnswer(string Key);

    [Fact]
    public async Task codes_are_issued_again_once_the_window_has_passed()
    {
        var account = await host.NewAccountAsync();
        await ReachCapAsync(account, "email-otp");

        host.Clock.Advance(TimeSpan.FromHours(23));
        Assert.False(await CodeArrivesAsync(account, "email-otp"));

        host.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.True(await CodeArrivesAsync(account, "sms-otp"));
        var requestId = await host.RequestAsync(account.Username, "email-otp");
        var code = RecoveryTestHost.CodeIn(await host.MessageAsync(account.Email!, "one-time-code", 3));
        Assert.Equal(200, (await host.VerifyAsync(requestId, code)).Context.Response.StatusCode);
    }

    [Fact]
    public async Task a_successful_reset_clears_the_accounts_count_of_wrong_codes()
    {
        var account = await host.NewAccountAsync();
        await ReachCapAsync(account, "sms-otp");
        Assert.False(await CodeArrivesAsync(account, "sms-otp"));

        await host.RequestAsync(account.Username, "email-link");
        var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));
        var reset = await host.AndWaitAsync(() => host.ResetAsync(token, "Meadow-Lantern-9182"));
        Assert.Equal(204, reset.Context.Response.StatusCode);

        Assert.True(await CodeArrivesAsync(account, "sms-otp"));
    }

    [Fact]
    public async Task a_reset_link_still_works_while_codes_are_capped()
    {
        var account = await host.NewAccountAsync();
        await ReachCapAsync(account, "email-otp");
        Assert.False(await CodeArrivesAsync(account, "email-otp"));

        await host.RequestAsync(account.Email!, "email-link");
        var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));
        Assert.Equal(204, (await host.ResetAsync(token, "Meadow-Lantern-9182")).Context.Response.StatusCode);
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, "Meadow-Lantern-9182"));
    }

    private async Task<SecurityEvent[]> SecurityEventsAsync(Guid accountId)
    {
        var result = await host.SendAsync(await host.FreshRootTokenAsync(), s => s.Get.Url($"/api/audit/events?accountId={accountId}&pageSize=200"));
        Assert.Equal(200, result.Context.Response.StatusCode);
        return (await result.ReadAsJsonAsync<SecurityEventPage>())!.Items;
    }

    private sealed record SecurityEventPage(SecurityEvent[] Items, int Total);

    private sealed record SecurityEvent(Guid Id, DateTimeOffset At, string Type, Guid? AccountId, string Summary);
}
