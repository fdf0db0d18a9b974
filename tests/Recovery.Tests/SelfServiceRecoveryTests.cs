using Alba;
using Recovery.Secrets;
using Testing;

namespace Recovery.Tests;

public sealed class SelfServiceRecoveryTests(RecoveryTestHost host) : IClassFixture<RecoveryTestHost>
{
    private const string NewPassword = "Meadow-Lantern-9182";

    [Fact]
    public async Task email_link_resets_the_password_ends_every_session_and_tells_the_owner()
    {
        var account = await host.NewAccountAsync();
        var session = await host.SignInAsync(account.Username, account.Password);

        await host.RequestAsync(account.Username, "email-link");
        var mail = await host.MessageAsync(account.Email!, "reset-link");
        var link = RecoveryTestHost.LinkIn(mail);
        Assert.StartsWith($"{RecoveryTestHost.PublicBaseUrl}/reset-password?token=", link);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", RecoveryTestHost.TokenIn(mail));

        var reset = await host.ResetAsync(RecoveryTestHost.TokenIn(mail), NewPassword);
        Assert.Equal(204, reset.Context.Response.StatusCode);
        Assert.Empty(await reset.ReadAsTextAsync());

        Assert.Equal(401, (await host.SendAsync(session, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        Assert.Equal(401, await host.SignInStatusAsync(account.Username, account.Password));
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, NewPassword));
        await host.MessageAsync(account.Email!, "password-changed");
    }

    [Fact]
    public async Task the_link_is_built_from_the_configured_public_address_never_from_the_request()
    {
        var account = await host.NewAccountAsync();
        var (result, _) = await host.RequestAndWaitAsync(account.Email!, "email-link", s => s.WithRequestHeader("Host", "attacker.example"));
        Assert.Equal(202, result.Context.Response.StatusCode);
        var link = RecoveryTestHost.LinkIn(await host.MessageAsync(account.Email!, "reset-link"));
        Assert.DoesNotContain("attacker.example", link);
        Assert.StartsWith(RecoveryTestHost.PublicBaseUrl, link);
    }

    [Fact]
    public async Task email_code_gives_a_reset_token_that_sets_the_password()
    {
        await host.EnableAllChannelsAsync();
        var account = await host.NewAccountAsync();

        var requestId = await host.RequestAsync(account.Username, "email-otp");
        var code = RecoveryTestHost.CodeIn(await host.MessageAsync(account.Email!, "one-time-code"));
        Assert.Matches("^[0-9]{6}$", code);

        var verified = await host.VerifyAsync(requestId, code);
        Assert.Equal(200, verified.Context.Response.StatusCode);
        var resetToken = (await verified.ReadAsJsonAsync<RecoveryTestHost.ResetTokenAnswer>())!.ResetToken;

        Assert.Equal(204, (await host.ResetAsync(resetToken, NewPassword)).Context.Response.StatusCode);
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, NewPassword));
    }

    [Fact]
    public async Task sms_code_gives_a_reset_token_that_sets_the_password()
    {
        await host.EnableAllChannelsAsync();
        var account = await host.NewAccountAsync();

        var requestId = await host.RequestAsync(account.Email!, "sms-otp");
        var sms = await host.MessageAsync(account.Phone!, "one-time-code");
        var verified = await host.VerifyAsync(requestId, RecoveryTestHost.CodeIn(sms));
        Assert.Equal(200, verified.Context.Response.StatusCode);
        var resetToken = (await verified.ReadAsJsonAsync<RecoveryTestHost.ResetTokenAnswer>())!.ResetToken;

        Assert.Equal(204, (await host.ResetAsync(resetToken, NewPassword)).Context.Response.StatusCode);
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, NewPassword));
        Assert.Empty(host.MessagesTo(account.Email!, "one-time-code"));
    }

    [Fact]
    public async Task wrong_codes_count_and_past_the_limit_even_the_right_code_is_refused()
    {
        await host.EnableAllChannelsAsync();
        var account = await host.NewAccountAsync();
        var requestId = await host.RequestAsync(account.Username, "email-otp");
        var code = RecoveryTestHost.CodeIn(await host.MessageAsync(account.Email!, "one-time-code"));
        var wrong = code == "000000" ? "111111" : "000000";

        for (var i = 0; i < 5; i++)
            Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(requestId, wrong))).Code);

        var right = await Problem.ReadAsync(await host.VerifyAsync(requestId, code));
        Assert.Equal((400, "too_many_attempts"), (right.Status, right.Code));
        Assert.Equal(401, await host.SignInStatusAsync(account.Username, NewPassword));
    }

    [Fact]
    public async Task a_reset_link_cannot_be_used_twice()
    {
        var account = await host.NewAccountAsync();
        await host.RequestAsync(account.Username, "email-link");
        var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));

        Assert.Equal(204, (await host.ResetAsync(token, NewPassword)).Context.Response.StatusCode);
        var again = await Problem.ReadAsync(await host.ResetAsync(token, "Another-Quiet-River-55"));
        Assert.Equal((400, "invalid_token"), (again.Status, again.Code));
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, NewPassword));
    }

    [Fact]
    public async Task a_new_request_supersedes_the_open_link()
    {
        var account = await host.NewAccountAsync();
        await host.RequestAsync(account.Username, "email-link");
        var first = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));
        await host.RequestAsync(account.Username, "email-link");
        var second = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link", nth: 2));

        var old = await Problem.ReadAsync(await host.ResetAsync(first, NewPassword));
        Assert.Equal((400, "invalid_token"), (old.Status, old.Code));
        Assert.Equal(204, (await host.ResetAsync(second, NewPassword)).Context.Response.StatusCode);
    }

    [Fact]
    public async Task a_password_the_policy_refuses_leaves_the_link_usable()
    {
        var account = await host.NewAccountAsync();
        await host.RequestAsync(account.Username, "email-link");
        var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));

        var weak = await Problem.ReadAsync(await host.ResetAsync(token, "short"));
        Assert.Equal((400, "password_policy"), (weak.Status, weak.Code));
        Assert.Contains("too_short", weak.Violations);
        var mismatch = await Problem.ReadAsync(await host.ResetAsync(token, NewPassword, NewPassword + "x"));
        Assert.Equal(["mismatch"], mismatch.Violations);
        var reused = await Problem.ReadAsync(await host.ResetAsync(token, account.Password));
        Assert.Contains("recently_used", reused.Violations);
        // A guessable password is refused with zxcvbn's advice, which crosses from Accounts to the reset's answer.
        var guessable = await host.ResetAsync(token, "Password123!");
        Assert.Equal(["common_password"], (await Problem.ReadAsync(guessable)).Violations);
        Assert.Contains("\"feedback\"", await guessable.ReadAsTextAsync());

        // The two fields may hold two Unicode forms (NFC, NFD) of one password.
        var composed = "Crème-Brûlée-Reset-42".Normalize(System.Text.NormalizationForm.FormC);
        var decomposed = composed.Normalize(System.Text.NormalizationForm.FormD);
        Assert.Equal(204, (await host.ResetAsync(token, composed, decomposed)).Context.Response.StatusCode);
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, decomposed));
    }

    [Fact]
    public async Task an_unknown_login_gets_the_same_answer_and_no_message_is_sent()
    {
        var known = await host.NewAccountAsync();
        var (knownResult, _) = await host.RequestAndWaitAsync(known.Username, "email-link");
        var unknownLogin = $"nobody-{Guid.NewGuid():N}@example.test";
        var (unknownResult, _) = await host.RequestAndWaitAsync(unknownLogin, "email-link");

        Assert.Equal(202, unknownResult.Context.Response.StatusCode);
        var a = await knownResult.ReadAsJsonAsync<RecoveryTestHost.RequestAnswer>();
        var b = await unknownResult.ReadAsJsonAsync<RecoveryTestHost.RequestAnswer>();
        Assert.Equal(a!.Channel, b!.Channel);
        Assert.NotEqual(Guid.Empty, b.RequestId);
        Assert.Equal(knownResult.Context.Response.ContentType, unknownResult.Context.Response.ContentType);
        Assert.Empty(host.MessagesTo(unknownLogin));
        Assert.Single(host.MessagesTo(known.Email!, "reset-link"));
    }

    [Fact]
    public async Task the_handler_does_the_same_work_for_known_and_unknown_logins()
    {
        await host.EnableAllChannelsAsync();
        var known = await host.NewAccountAsync();
        var noPhone = await host.NewAccountAsync(withPhone: false);
        var secrets = host.Service<RecoverySecrets>();

        async Task<(long Secrets, long Hashes, string[] Handled, string[] Scheduled)> WorkFor(string login, string channel)
        {
            var (made, hashed) = (secrets.SecretsMade, secrets.HashesComputed);
            var (_, tracked) = await host.RequestAndWaitAsync(login, channel);
            return (secrets.SecretsMade - made, secrets.HashesComputed - hashed,
                tracked.Executed.MessagesOf<Requesting.IssueRecoverySecret>().Select(m => m.Channel).ToArray(),
                tracked.Scheduled.MessagesOf<Expiring.ExpireRecoveryRequest>().Select(m => m.GetType().Name).ToArray());
        }

        var forKnown = await WorkFor(known.Username, "sms-otp");
        var forUnknown = await WorkFor($"ghost-{Guid.NewGuid():N}", "sms-otp");
        var forNoPhone = await WorkFor(noPhone.Username, "sms-otp");

        Assert.Equal((1, 1), (forKnown.Secrets, forKnown.Hashes));
        Assert.Equal((forKnown.Secrets, forKnown.Hashes), (forUnknown.Secrets, forUnknown.Hashes));
        Assert.Equal((forKnown.Secrets, forKnown.Hashes), (forNoPhone.Secrets, forNoPhone.Hashes));
        Assert.Equal(forKnown.Handled, forUnknown.Handled);
        Assert.Equal(forKnown.Scheduled, forUnknown.Scheduled);
        Assert.Single(forUnknown.Scheduled);
    }

    [Fact]
    public async Task a_request_for_an_unknown_login_answers_a_code_like_any_wrong_code()
    {
        await host.EnableAllChannelsAsync();
        var requestId = await host.RequestAsync($"ghost-{Guid.NewGuid():N}", "email-otp");
        for (var i = 0; i < 5; i++)
            Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(requestId, "123456"))).Code);
        Assert.Equal("too_many_attempts", (await Problem.ReadAsync(await host.VerifyAsync(requestId, "123456"))).Code);
    }

    [Fact]
    public async Task two_simultaneous_resets_with_one_token_let_exactly_one_succeed()
    {
        var account = await host.NewAccountAsync();
        await host.RequestAsync(account.Username, "email-link");
        var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));

        var gate = new TaskCompletionSource();
        var racers = new[] { "Copper-Window-1111", "Silver-Window-2222" }
            .Select(password => Task.Run(async () =>
            {
                await gate.Task;
                return (await host.ResetAsync(token, password)).Context.Response.StatusCode;
            }))
            .ToArray();
        gate.SetResult();
        var statuses = await Task.WhenAll(racers);

        Assert.Single(statuses, s => s == 204);
        Assert.All(statuses.Where(s => s != 204), s => Assert.True(s is 400 or 409, $"unexpected {s}"));
        var winners = new[] { "Copper-Window-1111", "Silver-Window-2222" };
        var signIns = await Task.WhenAll(winners.Select(p => host.SignInStatusAsync(account.Username, p)));
        Assert.Single(signIns, s => s == 200);
    }
}
