using Alba;
using Recovery.Expiring;
using Recovery.Requesting;
using Recovery.Secrets;
using Testing;
using Wolverine.Tracking;

namespace Recovery.Tests;

/// <summary>
/// An administrator can point mail and SMS at a server of their own, so a root account does not recover through
/// self-service channels: the request is answered as any other, and nothing is sent.
/// </summary>
public sealed class RootRecoveryTests(RecoveryTestHost host) : IClassFixture<RecoveryTestHost>
{
    private const string RootEmail = "root@example.test";

    [Theory]
    [InlineData(RecoveryHost.RootUsername, "email-link")]
    [InlineData(RootEmail, "email-link")]
    [InlineData(RecoveryHost.RootUsername, "email-otp")]
    public async Task root_gets_no_message_and_the_same_answer_as_an_unknown_login(string login, string channel)
    {
        await host.EnableAllChannelsAsync();
        var secrets = host.Service<RecoverySecrets>();

        async Task<(IScenarioResult Result, long Secrets, int Issued, int Scheduled)> RequestAsync(string who)
        {
            var made = secrets.SecretsMade;
            var (result, tracked) = await host.RequestAndWaitAsync(who, channel);
            return (result, secrets.SecretsMade - made, tracked.Executed.MessagesOf<IssueRecoverySecret>().Count(),
                tracked.Scheduled.MessagesOf<ExpireRecoveryRequest>().Count());
        }

        var forRoot = await RequestAsync(login);
        var forUnknown = await RequestAsync($"ghost-{Guid.NewGuid():N}");

        Assert.Equal(202, forRoot.Result.Context.Response.StatusCode);
        Assert.Equal(forUnknown.Result.Context.Response.StatusCode, forRoot.Result.Context.Response.StatusCode);
        Assert.Equal(forUnknown.Result.Context.Response.ContentType, forRoot.Result.Context.Response.ContentType);
        var rootAnswer = await forRoot.Result.ReadAsJsonAsync<RecoveryTestHost.RequestAnswer>();
        Assert.Equal(channel, rootAnswer!.Channel);
        Assert.Equal((1, 1, 1), (forRoot.Secrets, forRoot.Issued, forRoot.Scheduled));
        Assert.Equal((forUnknown.Secrets, forUnknown.Issued, forUnknown.Scheduled), (forRoot.Secrets, forRoot.Issued, forRoot.Scheduled));

        Assert.Empty(host.MessagesTo(RootEmail, "reset-link"));
        Assert.Empty(host.MessagesTo(RootEmail, "one-time-code"));
        var row = Assert.Single(await host.ResetHistoryAsync("?pageSize=200"), r => r.RequestId == rootAnswer.RequestId);
        Assert.Equal("failed", row.Outcome);
    }

    [Fact]
    public async Task a_code_form_for_roots_request_answers_like_an_unknown_logins()
    {
        await host.EnableAllChannelsAsync();
        var requestId = await host.RequestAsync(RecoveryHost.RootUsername, "email-otp");
        for (var i = 0; i < 5; i++)
            Assert.Equal("invalid_code", (await Problem.ReadAsync(await host.VerifyAsync(requestId, "123456"))).Code);
        Assert.Equal("too_many_attempts", (await Problem.ReadAsync(await host.VerifyAsync(requestId, "123456"))).Code);
    }
}

/// <summary>A host where the operator allowed root to recover through self-service channels.</summary>
public sealed class RootSelfServiceHost : RecoveryTestHost
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Recovery:AllowRootSelfService"] = "true";
        return settings;
    }
}

public sealed class RootSelfServiceAllowedTests(RootSelfServiceHost host) : IClassFixture<RootSelfServiceHost>
{
    [Fact]
    public async Task with_root_self_service_allowed_root_gets_its_link()
    {
        var (result, _) = await host.RequestAndWaitAsync(RecoveryHost.RootUsername, "email-link");

        Assert.Equal(202, result.Context.Response.StatusCode);
        var link = RecoveryTestHost.LinkIn(await host.MessageAsync("root@example.test", "reset-link"));
        Assert.StartsWith($"{RecoveryTestHost.PublicBaseUrl}/reset-password?token=", link);
    }
}
