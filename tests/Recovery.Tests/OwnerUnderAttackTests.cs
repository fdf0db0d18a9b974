using Testing;

namespace Recovery.Tests;

/// <summary>
/// Someone keeps sending wrong passwords for an account from three clients. Its owner's password change, link reset
/// and code reset must each go through at the first try: the writes to the account take turns, none fails the others.
/// </summary>
public sealed class OwnerUnderAttackTests(RecoveryTestHost host) : IClassFixture<RecoveryTestHost>
{
    [Fact]
    public async Task wrong_sign_ins_from_three_clients_do_not_make_the_owners_change_or_resets_fail()
    {
        await host.EnableAllChannelsAsync();
        var account = await host.NewAccountAsync();
        var session = await host.SignInAsync(account.Username, account.Password);

        using var stop = new CancellationTokenSource();
        var wrongSignIns = 0;
        var attackers = Enumerable.Range(0, 3).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var status = (await host.SendAsync(null, s => s.Post.Json(new { login = account.Username, password = $"wrong-{i}" }).ToUrl("/api/auth/login")))
                    .Context.Response.StatusCode;
                Assert.Equal(401, status);
                Interlocked.Increment(ref wrongSignIns);
            }
        })).ToArray();

        try
        {
            await WaitForAsync(() => Volatile.Read(ref wrongSignIns) >= 6);

            const string changed = "Copper-Lantern-3131";
            var change = await host.AndWaitAsync(() => host.SendAsync(session, s =>
                s.Post.Json(new { currentPassword = account.Password, newPassword = changed, confirmPassword = changed }).ToUrl("/api/me/password")));
            Assert.Equal(204, change.Context.Response.StatusCode);

            await host.RequestAsync(account.Username, "email-link");
            var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));
            var linkReset = await host.AndWaitAsync(() => host.ResetAsync(token, "Marble-Orchard-4141"));
            Assert.Equal(204, linkReset.Context.Response.StatusCode);

            var requestId = await host.RequestAsync(account.Username, "email-otp");
            var code = RecoveryTestHost.CodeIn(await host.MessageAsync(account.Email!, "one-time-code"));
            var verified = await host.VerifyAsync(requestId, code);
            Assert.Equal(200, verified.Context.Response.StatusCode);
            var resetToken = (await verified.ReadAsJsonAsync<ResetTokenAnswer>())!.ResetToken;
            var codeReset = await host.AndWaitAsync(() => host.ResetAsync(resetToken, "Velvet-Compass-5252"));
            Assert.Equal(204, codeReset.Context.Response.StatusCode);

            Assert.True(Volatile.Read(ref wrongSignIns) > 20, $"only {wrongSignIns} wrong sign-ins ran alongside");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(attackers);
        }

        // (The wrong sign-ins may have locked the account again since; the resets themselves are in the history.)
        var resets = await host.ResetHistoryAsync($"?accountId={account.Id}");
        Assert.Equal(2, resets.Count(r => r.Outcome == "completed"));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The wrong sign-ins did not start.");
            await Task.Delay(20);
        }
    }

    private sealed record ResetTokenAnswer(string ResetToken);
}
