using Accounts.Contracts;
using Alba;
using Testing;
using Wolverine.Tracking;

namespace Recovery.Tests;

/// <summary>A link or code sent before the account's password or addresses changed stops working.</summary>
public sealed class AccountChangeTests(RecoveryTestHost host) : IClassFixture<RecoveryTestHost>
{
    private const string NewPassword = "Meadow-Lantern-9182";

    private async Task<(RecoveryTestHost.TestAccount Account, Guid RequestId, string Token)> LinkAsync()
    {
        var account = await host.NewAccountAsync();
        var requestId = await host.RequestAsync(account.Username, "email-link");
        var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));
        return (account, requestId, token);
    }

    private async Task AssertRefusedAsync(RecoveryTestHost.TestAccount account, Guid requestId, string token)
    {
        var refused = await Problem.ReadAsync(await host.ResetAsync(token, "Another-Quiet-River-55"));
        Assert.Equal((400, "invalid_token"), (refused.Status, refused.Code));
        Assert.Equal(401, await host.SignInStatusAsync(account.Username, "Another-Quiet-River-55"));
        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"), r => r.RequestId == requestId);
        Assert.Equal("superseded", row.Outcome);
    }

    [Fact]
    public async Task a_link_stops_working_when_the_owner_changes_the_password()
    {
        var (account, requestId, token) = await LinkAsync();
        var session = await host.SignInAsync(account.Username, account.Password);

        var changed = await host.AndWaitAsync(() => host.SendAsync(session, s => s.Post
            .Json(new { currentPassword = account.Password, newPassword = NewPassword, confirmPassword = NewPassword }).ToUrl("/api/me/password")));
        Assert.Equal(204, changed.Context.Response.StatusCode);

        await AssertRefusedAsync(account, requestId, token);
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, NewPassword));
    }

    [Fact]
    public async Task a_link_stops_working_when_an_administrator_issues_a_temporary_password()
    {
        var (account, requestId, token) = await LinkAsync();
        var root = await host.FreshRootTokenAsync();

        var reset = await host.AndWaitAsync(() => host.SendAsync(root, s => s.Post
            .Json(new { method = "temporary-password", delaySeconds = 0 }).ToUrl($"/api/accounts/{account.Id}/password-reset")));
        Assert.Equal(202, reset.Context.Response.StatusCode);

        await AssertRefusedAsync(account, requestId, token);
    }

    [Fact]
    public async Task a_link_stops_working_when_an_administrator_changes_the_email()
    {
        var (account, requestId, token) = await LinkAsync();
        var root = await host.FreshRootTokenAsync();

        var patched = await host.AndWaitAsync(() => host.SendAsync(root, s => s.Patch
            .Json(new { email = $"moved-{account.Username}@example.test" }).ToUrl($"/api/accounts/{account.Id}")));
        Assert.Equal(200, patched.Context.Response.StatusCode);

        await AssertRefusedAsync(account, requestId, token);
    }

    [Fact]
    public async Task a_code_already_verified_stops_working_when_an_administrator_changes_the_phone()
    {
        await host.EnableAllChannelsAsync();
        var account = await host.NewAccountAsync();
        var requestId = await host.RequestAsync(account.Username, "sms-otp");
        var verified = await host.VerifyAsync(requestId, RecoveryTestHost.CodeIn(await host.MessageAsync(account.Phone!, "one-time-code")));
        var resetToken = (await verified.ReadAsJsonAsync<RecoveryTestHost.ResetTokenAnswer>())!.ResetToken;
        var root = await host.FreshRootTokenAsync();

        var patched = await host.AndWaitAsync(() => host.SendAsync(root, s => s.Patch
            .Json(new { phone = "+4178" + Random.Shared.Next(1000000, 9999999) }).ToUrl($"/api/accounts/{account.Id}")));
        Assert.Equal(200, patched.Context.Response.StatusCode);

        await AssertRefusedAsync(account, requestId, resetToken);
    }

    [Fact]
    public async Task a_reset_through_a_link_completes_and_is_not_superseded_by_its_own_password_change()
    {
        var (account, requestId, token) = await LinkAsync();

        var reset = await host.AndWaitAsync(() => host.ResetAsync(token, NewPassword));

        Assert.Equal(204, reset.Context.Response.StatusCode);
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, NewPassword));
        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal((requestId, "completed"), (row.RequestId, row.Outcome));
        Assert.NotNull(row.CompletedAt);
    }

    [Fact]
    public async Task the_password_change_of_a_reset_heard_before_the_reset_is_recorded_completes_that_request_instead_of_superseding_it()
    {
        var (account, requestId, token) = await LinkAsync();

        // The change names the request behind it: that request set the password, even if its own record of it is missing
        // (the reset's commit failed after Accounts had committed). It is completed, not superseded, and its token is spent.
        await host.Host.InvokeMessageAndWaitAsync(new PasswordChangedV1(
            account.Id, account.Username, account.Email, PasswordChangeReasons.SelfReset, null, host.Clock.GetUtcNow(), requestId));

        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal((requestId, "completed"), (row.RequestId, row.Outcome));
        var again = await Problem.ReadAsync(await host.ResetAsync(token, NewPassword));
        Assert.Equal((400, "invalid_token"), (again.Status, again.Code));
    }
}
