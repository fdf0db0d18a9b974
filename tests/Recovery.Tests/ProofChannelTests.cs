using Alba;
using OtpNet;
using Testing;

namespace Recovery.Tests;

/// <summary>
/// The two channels that are modules of their own and hold their proof themselves (the Authenticator and RecoveryCodes
/// modules), walked end to end through the real host: enrolment, recovery, reuse, limits, an account without enrolment,
/// removal. The TOTP codes are computed from the enrolled key at the host's own (fake) clock.
/// </summary>
public sealed class ProofChannelTests(RecoveryTestHost host) : IClassFixture<RecoveryTestHost>
{
    private const string NewPassword = "Copper-Kettle-Morning-58";

    private async Task EnableProofChannelsAsync() =>
        await host.PutSettingsAsync(new
        {
            channels = new[] { "email-link", "authenticator", "recovery-code" }, linkLifetimeMinutes = 1440, otpLifetimeMinutes = 10, otpLength = 6,
            otpMaxAttempts = 5, adminResetDelaySeconds = 0,
        });

    private Task<IScenarioResult> PostAsync(string token, string url, object body) => host.SendAsync(token, s => s.Post.Json(body).ToUrl(url));

    private async Task<byte[]> EnrolAuthenticatorAsync(string token, string password)
    {
        var started = await PostAsync(token, "/api/me/authenticator", new { currentPassword = password });
        Assert.Equal(200, started.Context.Response.StatusCode);
        Assert.Equal("no-store", started.Context.Response.Headers.CacheControl.ToString());
        var enrolment = (await started.ReadAsJsonAsync<Enrolment>())!;
        Assert.StartsWith("otpauth://totp/", enrolment.Uri);
        Assert.Contains("<svg", enrolment.QrCodeSvg);
        var key = Base32Encoding.ToBytes(enrolment.Key.Replace(" ", string.Empty));

        Assert.Equal("invalid_code", (await Problem.ReadAsync(await PostAsync(token, "/api/me/authenticator/confirm", new { code = Wrong(Code(key)) }))).Code);
        Assert.Equal(204, (await PostAsync(token, "/api/me/authenticator/confirm", new { code = Code(key) })).Context.Response.StatusCode);
        return key;
    }

    private string Code(byte[] key) => new Totp(key).ComputeTotp(host.Clock.GetUtcNow().UtcDateTime);

    private static string Wrong(string code) => (char)('0' + ((code[0] - '0' + 1) % 10)) + code[1..];

    private async Task<string> VerifiedResetTokenAsync(Guid requestId, string proof)
    {
        var verified = await host.VerifyAsync(requestId, proof);
        Assert.Equal(200, verified.Context.Response.StatusCode);
        return (await verified.ReadAsJsonAsync<RecoveryTestHost.ResetTokenAnswer>())!.ResetToken;
    }

    private async Task<string[]> SecurityEventTypesAsync(Guid accountId)
    {
        var result = await host.SendAsync(await host.FreshRootTokenAsync(), s => s.Get.Url($"/api/audit/events?accountId={accountId}&pageSize=200"));
        return (await result.ReadAsJsonAsync<EventPage>())!.Items.Select(e => e.Type).ToArray();
    }

    [Fact]
    public async Task an_authenticator_is_enrolled_with_the_current_password_and_one_code_recovers_once_and_is_removed()
    {
        await EnableProofChannelsAsync();
        var account = await host.NewAccountAsync();
        var token = await host.SignInAsync(account.Username, account.Password);
        Assert.Equal("invalid_current_password", (await Problem.ReadAsync(await PostAsync(token, "/api/me/authenticator", new { currentPassword = "Not-The-Password-1" }))).Code);
        var key = await EnrolAuthenticatorAsync(token, account.Password);

        var admin = await host.FreshRootTokenAsync();
        var seen = await host.SendAsync(admin, s => s.Get.Url($"/api/accounts/{account.Id}/authenticator"));
        Assert.Equal((true, false), ((await seen.ReadAsJsonAsync<Status>())!.Enrolled, (await seen.ReadAsJsonAsync<Status>())!.Pending));

        // The code of the enrolment's step was used; a later one recovers the password.
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        var requestId = await host.RequestAsync(account.Username, "authenticator");
        var code = Code(key);
        Assert.Equal(204, (await host.ResetAsync(await VerifiedResetTokenAsync(requestId, code), NewPassword)).Context.Response.StatusCode);
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, NewPassword));

        // The same code cannot serve twice.
        var again = await host.RequestAsync(account.Username, "authenticator");
        Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(again, code))).Code);
        var history = await host.ResetHistoryAsync($"?accountId={account.Id}");
        Assert.Contains(history, r => r.Channel == "authenticator" && r.Outcome == "completed");

        // Removal takes the current password; after it the app's codes recover nothing.
        var fresh = await host.SignInAsync(account.Username, NewPassword);
        Assert.Equal(204, (await PostAsync(fresh, "/api/me/authenticator/remove", new { currentPassword = NewPassword })).Context.Response.StatusCode);
        host.Clock.Advance(TimeSpan.FromSeconds(30));
        var after = await host.RequestAsync(account.Username, "authenticator");
        Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(after, Code(key)))).Code);
        Assert.False((await (await host.SendAsync(fresh, s => s.Get.Url("/api/me/authenticator"))).ReadAsJsonAsync<Status>())!.Enrolled);

        var types = await SecurityEventTypesAsync(account.Id);
        Assert.Contains("authenticator_enrolled", types);
        Assert.Contains("authenticator_removed", types);
    }

    [Fact]
    public async Task wrong_authenticator_codes_use_up_the_request_like_any_code_and_an_account_without_one_answers_as_an_unknown_login()
    {
        await EnableProofChannelsAsync();
        var enrolled = await host.NewAccountAsync();
        var key = await EnrolAuthenticatorAsync(await host.SignInAsync(enrolled.Username, enrolled.Password), enrolled.Password);
        host.Clock.Advance(TimeSpan.FromSeconds(30));

        var requestId = await host.RequestAsync(enrolled.Username, "authenticator");
        for (var i = 0; i < 5; i++) Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(requestId, Wrong(Code(key))))).Code);
        Assert.Equal("too_many_attempts", (await Problem.ReadAsync(await host.VerifyAsync(requestId, Code(key)))).Code);
        Assert.Contains(await host.ResetHistoryAsync($"?accountId={enrolled.Id}"), r => r.RequestId == requestId && r.OtpFailures == 5 && r.Outcome == "failed");

        // No authenticator, and no account at all: the same answers, try by try.
        var bare = await host.NewAccountAsync();
        var answers = new List<string>();
        foreach (var login in new[] { bare.Username, $"nobody-{Guid.NewGuid():N}"[..20] })
        {
            var (result, _) = await host.RequestAndWaitAsync(login, "authenticator");
            var body = await result.ReadAsTextAsync();
            var id = (await result.ReadAsJsonAsync<RecoveryTestHost.RequestAnswer>())!.RequestId;
            var tries = new List<string>();
            for (var i = 0; i < 6; i++) tries.Add((await Problem.ReadAsync(await host.VerifyAsync(id, Code(key)))).Code!);
            answers.Add($"{result.Context.Response.StatusCode} {body.Replace(id.ToString(), "<id>")} {string.Join(",", tries)}");
        }

        Assert.Equal(answers[0], answers[1]);
        Assert.EndsWith("invalid_code,invalid_code,invalid_code,invalid_code,invalid_code,too_many_attempts", answers[0]);
    }

    [Fact]
    public async Task ten_recovery_codes_are_shown_once_each_recovers_once_and_replacing_or_removing_them_ends_the_old_ones()
    {
        await EnableProofChannelsAsync();
        var account = await host.NewAccountAsync();
        var token = await host.SignInAsync(account.Username, account.Password);
        Assert.Equal("invalid_current_password", (await Problem.ReadAsync(await PostAsync(token, "/api/me/recovery-codes", new { currentPassword = "Not-The-Password-1" }))).Code);
        var generated = await PostAsync(token, "/api/me/recovery-codes", new { currentPassword = account.Password });
        Assert.Equal("no-store", generated.Context.Response.Headers.CacheControl.ToString());
        var codes = (await generated.ReadAsJsonAsync<IssuedCodes>())!.Codes;
        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$", c));
        Assert.Equal(10, (await (await host.SendAsync(token, s => s.Get.Url("/api/me/recovery-codes"))).ReadAsJsonAsync<Left>())!.Remaining);

        // Typed in lower case without the dash, the first code recovers the password.
        var requestId = await host.RequestAsync(account.Email!, "recovery-code");
        var typed = codes[0].Replace("-", string.Empty).ToLowerInvariant();
        Assert.Equal(204, (await host.ResetAsync(await VerifiedResetTokenAsync(requestId, typed), NewPassword)).Context.Response.StatusCode);
        var admin = await host.FreshRootTokenAsync();
        var left = await host.SendAsync(admin, s => s.Get.Url($"/api/accounts/{account.Id}/recovery-codes"));
        Assert.Equal(9, (await left.ReadAsJsonAsync<Left>())!.Remaining);
        Assert.DoesNotContain(codes[1], await left.ReadAsTextAsync());

        // Used once, it is used up.
        var again = await host.RequestAsync(account.Username, "recovery-code");
        Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(again, codes[0]))).Code);

        // Replacing them ends the old ones; removing them ends all.
        var fresh = await host.SignInAsync(account.Username, NewPassword);
        var replaced = (await (await PostAsync(fresh, "/api/me/recovery-codes", new { currentPassword = NewPassword })).ReadAsJsonAsync<IssuedCodes>())!.Codes;
        var old = await host.RequestAsync(account.Username, "recovery-code");
        Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(old, codes[1]))).Code);
        Assert.Equal(204, (await host.SendAsync(admin, s => s.Delete.Url($"/api/accounts/{account.Id}/recovery-codes"))).Context.Response.StatusCode);
        var removed = await host.RequestAsync(account.Username, "recovery-code");
        Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(removed, replaced[0]))).Code);
        Assert.Equal(0, (await (await host.SendAsync(fresh, s => s.Get.Url("/api/me/recovery-codes"))).ReadAsJsonAsync<Left>())!.Remaining);

        var types = await SecurityEventTypesAsync(account.Id);
        Assert.Equal(2, types.Count(t => t == "recovery_codes_generated"));
        Assert.Contains("recovery_code_used", types);
        Assert.Contains("recovery_codes_removed", types);
    }

    private sealed record Enrolment(string Key, string Uri, string QrCodeSvg);

    private sealed record Status(bool Enrolled, bool Pending, DateTimeOffset? EnrolledAt);

    private sealed record IssuedCodes(string[] Codes, DateTimeOffset GeneratedAt);

    private sealed record Left(int Remaining, DateTimeOffset? GeneratedAt);

    private sealed record EventPage(Event[] Items, int Total);

    private sealed record Event(Guid Id, DateTimeOffset At, string Type, Guid? AccountId, string Summary);
}
