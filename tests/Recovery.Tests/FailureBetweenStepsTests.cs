using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Testing;

namespace Recovery.Tests;

/// <summary>
/// A failure between the steps of a reset (the database refusing one commit) leaves no half-done state: either nothing
/// happened, or the password changed, its owner was told, the reset is in the history and its token is spent.
/// </summary>
public sealed class FailureBetweenStepsTests(FailureBetweenStepsTests.FailingHost host) : IClassFixture<FailureBetweenStepsTests.FailingHost>
{
    [Fact]
    public async Task a_link_reset_whose_completion_fails_to_commit_still_ends_with_a_spent_token_a_told_owner_and_a_history_row()
    {
        var account = await host.NewAccountAsync();
        var token = RecoveryTestHost.TokenIn(await MessageAfterRequestAsync(account, "email-link", "reset-link"));

        // The reset's own record of its completion fails after Accounts has committed the new password.
        host.Commits.FailNext(e => e is ResetCompleted);
        var reset = await host.AndWaitAsync(() => host.ResetAsync(token, "Quartz-Meadow-2718"));
        Assert.Equal(500, reset.Context.Response.StatusCode);
        Assert.Equal(1, host.Commits.Failed);

        Assert.Equal(200, await host.SignInStatusAsync(account.Username, "Quartz-Meadow-2718"));
        Assert.Equal(401, await host.SignInStatusAsync(account.Username, account.Password));
        await host.MessageAsync(account.Email!, "password-changed");
        var again = await Problem.ReadAsync(await host.ResetAsync(token, "Another-Meadow-3141"));
        Assert.Equal((400, "invalid_token"), (again.Status, again.Code));
        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal(("email-link", "completed"), (row.Channel, row.Outcome));
    }

    [Fact]
    public async Task a_code_reset_whose_completion_fails_to_commit_still_spends_its_reset_token()
    {
        await host.EnableAllChannelsAsync();
        var account = await host.NewAccountAsync();
        var requestId = await host.RequestAsync(account.Username, "email-otp");
        var code = RecoveryTestHost.CodeIn(await host.MessageAsync(account.Email!, "one-time-code"));
        var resetToken = (await (await host.VerifyAsync(requestId, code)).ReadAsJsonAsync<RecoveryTestHost.ResetTokenAnswer>())!.ResetToken;

        host.Commits.FailNext(e => e is ResetCompleted);
        Assert.Equal(500, (await host.AndWaitAsync(() => host.ResetAsync(resetToken, "Cobalt-Harbour-1618"))).Context.Response.StatusCode);

        Assert.Equal(200, await host.SignInStatusAsync(account.Username, "Cobalt-Harbour-1618"));
        var again = await Problem.ReadAsync(await host.ResetAsync(resetToken, "Another-Harbour-2718"));
        Assert.Equal((400, "invalid_token"), (again.Status, again.Code));
        Assert.Equal("completed", Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}")).Outcome);
    }

    [Fact]
    public async Task a_temporary_password_whose_commit_fails_changes_nothing_and_sends_nothing()
    {
        var account = await host.NewAccountAsync();
        var session = await host.SignInAsync(account.Username, account.Password);

        // Accounts' one transaction (the password, the ended sessions, the message, the announcement) fails as a whole.
        host.Commits.FailNext(e => e.GetType().Name == "PasswordChanged");
        var failed = await host.AndWaitAsync(() => AdminResetAsync(account.Id));
        Assert.Equal(500, failed.Context.Response.StatusCode);

        Assert.Equal(200, await host.SignInStatusAsync(account.Username, account.Password));
        Assert.Equal(200, (await host.SendAsync(session, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        Assert.Empty(host.MessagesTo(account.Email!, "temporary-password"));
        Assert.Empty(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.DoesNotContain(await ScheduledTaskRecipientsAsync(), r => r == account.Email);

        // Tried again, it goes through whole.
        Assert.Equal(202, (await host.AndWaitAsync(() => AdminResetAsync(account.Id))).Context.Response.StatusCode);
        await host.MessageAsync(account.Email!, "temporary-password");
        Assert.Equal(401, await host.SignInStatusAsync(account.Username, account.Password));
        Assert.Equal("completed", Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}")).Outcome);
    }

    [Fact]
    public async Task a_temporary_password_whose_history_record_fails_once_is_recorded_once_by_the_retry()
    {
        var account = await host.NewAccountAsync();

        host.Commits.FailNext(e => e is ResetRequested { Channel: "temporary-password" });
        Assert.Equal(202, (await host.AndWaitAsync(() => AdminResetAsync(account.Id))).Context.Response.StatusCode);
        Assert.Equal(1, host.Commits.Failed);

        await host.MessageAsync(account.Email!, "temporary-password");
        Assert.Equal(401, await host.SignInStatusAsync(account.Username, account.Password));
        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal(("temporary-password", "admin", "completed"), (row.Channel, row.InitiatedBy, row.Outcome));
    }

    private async Task<MimeKit.MimeMessage> MessageAfterRequestAsync(RecoveryTestHost.TestAccount account, string channel, string kind)
    {
        await host.RequestAsync(account.Username, channel);
        return await host.MessageAsync(account.Email!, kind);
    }

    private async Task<IScenarioResult> AdminResetAsync(Guid accountId) =>
        await host.SendAsync(await host.FreshRootTokenAsync(), s => s.Post.Json(new { method = "temporary-password", delaySeconds = 0 }).ToUrl($"/api/accounts/{accountId}/password-reset"));

    private async Task<string[]> ScheduledTaskRecipientsAsync()
    {
        var result = await host.SendAsync(await host.FreshRootTokenAsync(), s => s.Get.Url("/api/notifications/scheduled?pageSize=200"));
        return (await result.ReadAsJsonAsync<TaskPage>())!.Items.Select(t => t.To).ToArray();
    }

    private sealed record TaskPage(TaskRow[] Items);

    private sealed record TaskRow(string To);

    /// <summary>The usual test host, with a database that refuses the next commit holding a chosen event.</summary>
    public sealed class FailingHost : RecoveryTestHost
    {
        public InjectedCommitFailures Commits { get; } = new();

        protected override void ConfigureServices(IServiceCollection services)
        {
            base.ConfigureServices(services);
            services.ConfigureMarten(o => o.Listeners.Add(Commits));
        }
    }
}

/// <summary>Fails the next commit of any session whose pending events include one the test chose; then lets every commit through.</summary>
public sealed class InjectedCommitFailures : DocumentSessionListenerBase
{
    private Func<object, bool>? armed;
    private int failed;

    public int Failed => Volatile.Read(ref failed);

    public void FailNext(Func<object, bool> eventMatches)
    {
        Interlocked.Exchange(ref failed, 0);
        Volatile.Write(ref armed, eventMatches);
    }

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var match = Volatile.Read(ref armed);
        if (match is null || !session.PendingChanges.Streams().SelectMany(s => s.Events).Any(e => match(e.Data))) return Task.CompletedTask;
        if (Interlocked.CompareExchange(ref armed, null, match) != match) return Task.CompletedTask;
        Interlocked.Increment(ref failed);
        throw new InvalidOperationException("Injected by the test: the database refused this commit.");
    }
}
