using Microsoft.Extensions.DependencyInjection;
using Notifications.Delivering;
using Wolverine;

namespace Notifications.Tests;

/// <summary>A host whose failed deliveries wait an hour for their next try, as in production after a few failures.</summary>
public sealed class SlowRetryHost : NotificationsHost
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Notifications:Delivery:MaxAttempts"] = "5";
        settings["Notifications:Delivery:RetryDelaySeconds"] = "3600";
        return settings;
    }
}

/// <summary>
/// An SMTP outage: the mail log shows the failure, the administrator fixes the settings and presses Redo. The task is
/// sent now, not at its next automatic retry, and that retry sends nothing a second time.
/// </summary>
public sealed class RedoDuringRetryTests(SlowRetryHost host) : IClassFixture<SlowRetryHost>
{
    [Fact]
    public async Task redo_sends_a_task_waiting_for_its_retry_now_and_the_pending_retry_sends_nothing()
    {
        await host.PutMailSettingsAsync(new { port = SmtpTestServer.FreePort() });
        var id = await host.SendTestMailAsync("outage@example.test");
        var waiting = await Wait.UntilAsync("the first attempt to fail and wait for its retry", async () =>
            await host.NotificationAsync(id) is { Status: "waiting", Attempts: 1, LastError: not null } task ? task : null);
        Assert.True(waiting.ScheduledFor > DateTimeOffset.UtcNow.AddMinutes(30));

        await host.RestoreMailSettingsAsync();
        var redo = await host.SendAsync(await host.RootTokenAsync(), s => s.Post.Url($"/api/notifications/{id}/redo"));
        Assert.Equal(202, redo.Context.Response.StatusCode);
        var done = await host.WaitForStatusAsync(id, "done");
        Assert.Equal(2, done.Attempts);
        await host.Smtp.WaitForMessageToAsync("outage@example.test");

        // The retry that was scheduled for later carries the attempt the redo has used: it finds it taken.
        using (var scope = host.Host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new DeliverNotification(id, 2));
        Assert.Equal("done", (await host.NotificationAsync(id))!.Status);
        Assert.Single(host.Smtp.MessagesTo("outage@example.test"));
    }
}
