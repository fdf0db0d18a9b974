using Alba;
using Recovery.Expiring;
using Testing;
using Wolverine.Tracking;

namespace Recovery.Tests;

/// <summary>Moves the host's clock, so it has a host of its own.</summary>
public sealed class ExpiryHost : RecoveryTestHost;

public sealed class ExpiryTests(ExpiryHost host) : IClassFixture<ExpiryHost>
{
    [Fact]
    public async Task expiry_is_scheduled_when_the_link_is_issued_and_recorded_when_it_runs()
    {
        var account = await host.NewAccountAsync();
        var before = host.Clock.GetUtcNow();
        var (result, tracked) = await host.RequestAndWaitAsync(account.Username, "email-link");
        var requestId = (await result.ReadAsJsonAsync<RecoveryTestHost.RequestAnswer>())!.RequestId;
        var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));

        var expiry = Assert.Single(tracked.Scheduled.Envelopes(), e => e.Message is ExpireRecoveryRequest m && m.RequestId == requestId);
        Assert.Equal(before.AddMinutes(1440), expiry.ScheduledTime!.Value, TimeSpan.FromSeconds(5));

        host.Clock.Advance(TimeSpan.FromMinutes(1441));
        await host.Host.InvokeMessageAndWaitAsync(new ExpireRecoveryRequest(requestId));

        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal("expired", row.Outcome);
        var problem = await Problem.ReadAsync(await host.ResetAsync(token, "Meadow-Lantern-9182"));
        Assert.Equal((400, "invalid_token"), (problem.Status, problem.Code));
    }

    [Fact]
    public async Task an_expired_link_is_refused()
    {
        var account = await host.NewAccountAsync();
        await host.RequestAsync(account.Username, "email-link");
        var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));

        host.Clock.Advance(TimeSpan.FromMinutes(1441));
        var problem = await Problem.ReadAsync(await host.ResetAsync(token, "Meadow-Lantern-9182"));
        Assert.Equal((400, "expired"), (problem.Status, problem.Code));
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, account.Password));
    }

    [Fact]
    public async Task an_expiry_message_that_comes_early_changes_nothing()
    {
        var account = await host.NewAccountAsync();
        var requestId = await host.RequestAsync(account.Username, "email-link");
        var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));

        await host.Host.InvokeMessageAndWaitAsync(new ExpireRecoveryRequest(requestId));

        Assert.Equal("pending", Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}")).Outcome);
        Assert.Equal(204, (await host.ResetAsync(token, "Meadow-Lantern-9182")).Context.Response.StatusCode);
    }

    [Fact]
    public async Task an_expired_code_is_refused_even_when_right()
    {
        await host.EnableAllChannelsAsync();
        var account = await host.NewAccountAsync();
        var requestId = await host.RequestAsync(account.Username, "email-otp");
        var code = RecoveryTestHost.CodeIn(await host.MessageAsync(account.Email!, "one-time-code"));

        host.Clock.Advance(TimeSpan.FromMinutes(11));
        var problem = await Problem.ReadAsync(await host.VerifyAsync(requestId, code));
        Assert.Equal((400, "expired"), (problem.Status, problem.Code));
        Assert.Equal("expired", Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}")).Outcome);
    }
}
