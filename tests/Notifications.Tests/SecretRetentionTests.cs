using Marten;
using Notifications.Contracts;
using Notifications.Requesting;

namespace Notifications.Tests;

/// <summary>The default retention (24 hours): a recent send can be redone with its real secret.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class SecretRetentionTests(NotificationsHost host)
{
    [Fact]
    public async Task within_the_retention_period_a_redo_sends_the_real_secret_again()
    {
        var id = Guid.NewGuid();
        const string password = "Kp4-vQ8!nR2z-Tm6";
        await host.SendAsync(new SendNotificationV1(
            id, NotificationKinds.TemporaryPassword, NotificationChannels.Email, "rita@example.test",
            new Dictionary<string, string> { ["username"] = "rita" }, host.Protect(password)));
        await host.WaitForStatusAsync(id, "done");
        Assert.True(await SecretRetention.StoredAsync(host, id));

        var redo = await host.SendAsync(await host.RootTokenAsync(), s => s.Post.Url($"/api/notifications/{id}/redo"));
        Assert.Equal(202, redo.Context.Response.StatusCode);

        var mails = await Wait.UntilAsync("the second message to rita", () =>
            Task.FromResult(host.Smtp.MessagesTo("rita@example.test") is { Count: 2 } both ? both : null));
        Assert.All(mails, m => Assert.Contains(password, m.TextBody));
        await Wait.UntilAsync("the redo to be done", async () => await host.NotificationAsync(id) is { Status: "done", Attempts: 2 });
    }
}

/// <summary>A retention of 0: the secret is deleted as soon as the message has gone out.</summary>
public sealed class NoSecretRetentionHost : NotificationsHost
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Notifications:Delivery:SecretRetentionHours"] = "0";
        return settings;
    }
}

public sealed class NoSecretRetentionTests(NoSecretRetentionHost host) : IClassFixture<NoSecretRetentionHost>
{
    [Fact]
    public async Task without_retention_the_secret_is_deleted_at_delivery_and_a_redo_is_refused_as_expired()
    {
        var id = Guid.NewGuid();
        var token = NotificationsHost.RandomToken();
        await host.SendAsync(new SendNotificationV1(
            id, NotificationKinds.ResetLink, NotificationChannels.Email, "sam@example.test",
            new Dictionary<string, string> { ["username"] = "sam", ["resetBaseUrl"] = "http://localhost:5000/reset-password", ["lifetimeMinutes"] = "1440" },
            host.Protect(token)));
        await host.WaitForStatusAsync(id, "done");
        Assert.Contains(token, (await host.Smtp.WaitForMessageToAsync("sam@example.test")).TextBody);

        Assert.False(await SecretRetention.StoredAsync(host, id));
        await SecretRetention.AssertRedoRefusedAsExpiredAsync(host, id);
        Assert.Single(host.Smtp.MessagesTo("sam@example.test"));
    }

    [Fact]
    public async Task a_message_without_a_secret_can_still_be_redone()
    {
        var id = await host.SendTestMailAsync("tom@example.test");
        await host.WaitForStatusAsync(id, "done");
        var redo = await host.SendAsync(await host.RootTokenAsync(), s => s.Post.Url($"/api/notifications/{id}/redo"));
        Assert.Equal(202, redo.Context.Response.StatusCode);
        await Wait.UntilAsync("the second test message", () => Task.FromResult(host.Smtp.MessagesTo("tom@example.test").Count == 2));
    }
}

/// <summary>A retention of a few seconds, to see the scheduled deletion happen.</summary>
public sealed class ShortSecretRetentionHost : NotificationsHost
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Notifications:Delivery:SecretRetentionHours"] = "0.001";
        return settings;
    }
}

public sealed class ShortSecretRetentionTests(ShortSecretRetentionHost host) : IClassFixture<ShortSecretRetentionHost>
{
    [Fact]
    public async Task after_the_retention_period_the_secret_is_deleted_and_a_redo_is_refused_as_expired()
    {
        var id = Guid.NewGuid();
        var code = NotificationsHost.RandomDigits(6);
        await host.SendAsync(new SendNotificationV1(
            id, NotificationKinds.OneTimeCode, NotificationChannels.Email, "uma@example.test",
            new Dictionary<string, string> { ["username"] = "uma", ["lifetimeMinutes"] = "10" }, host.Protect(code)));
        await host.WaitForStatusAsync(id, "done");

        await Wait.UntilAsync("the secret to be deleted", async () => !await SecretRetention.StoredAsync(host, id));
        await SecretRetention.AssertRedoRefusedAsExpiredAsync(host, id);
    }
}

internal static class SecretRetention
{
    public static async Task<bool> StoredAsync(NotificationsHost host, Guid id)
    {
        await using var session = host.Service<IDocumentStore>().QuerySession();
        return await session.LoadAsync<ProtectedNotificationSecret>(id) is not null;
    }

    public static async Task AssertRedoRefusedAsExpiredAsync(NotificationsHost host, Guid id)
    {
        var redo = await host.SendAsync(await host.RootTokenAsync(), s => s.Post.Url($"/api/notifications/{id}/redo"));
        var problem = await Testing.Problem.ReadAsync(redo);
        Assert.Equal((409, "secret_expired"), (problem.Status, problem.Code));
        Assert.StartsWith("application/problem+json", problem.ContentType);
        Assert.Contains("start a new password reset", problem.Title);
        Assert.Equal("done", (await host.NotificationAsync(id))!.Status);
    }
}
