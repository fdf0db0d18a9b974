using Alba;
using Microsoft.Extensions.DependencyInjection;
using Testing;

namespace Recovery.Tests;

/// <summary>The real clock: the scheduled send must really wait and then really go.</summary>
public sealed class RealClockHost : RecoveryTestHost
{
    protected override void ConfigureServices(IServiceCollection services)
    {
    }
}

public sealed class DelayedAdminSendTests(RealClockHost host) : IClassFixture<RealClockHost>
{
    [Fact]
    public async Task a_delayed_administrator_send_is_waiting_in_the_scheduled_tasks_and_then_done()
    {
        var account = await host.NewAccountAsync();
        var root = await host.FreshRootTokenAsync();
        var reset = await host.SendAsync(root, s => s.Post.Json(new { method = "link", delaySeconds = 3 }).ToUrl($"/api/accounts/{account.Id}/password-reset"));
        Assert.Equal(202, reset.Context.Response.StatusCode);
        var taskId = (await reset.ReadAsJsonAsync<TaskAnswer>())!.TaskId;

        // The task is recorded by a message handler right after the answer; give it a moment to appear.
        var waiting = await PollAsync(root, taskId, t => t is not null);
        Assert.Equal("waiting", waiting!.Status);
        Assert.Equal(account.Email, waiting.To);
        Assert.Empty(host.MessagesTo(account.Email!, "reset-link"));

        var task = await PollAsync(root, taskId, t => t?.Status == "done");
        Assert.Equal("done", task!.Status);
        Assert.Equal(1, task.Attempts);

        var message = await host.MessageAsync(account.Email!, "reset-link");
        Assert.Equal(taskId.ToString(), message.Headers["X-Notification-Id"]);
        Assert.True(message.Date >= waiting.ScheduledFor.AddSeconds(-1), "sent no earlier than scheduled");
    }

    private async Task<ScheduledItem?> PollAsync(string token, Guid id, Func<ScheduledItem?, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var list = await (await host.SendAsync(token, s => s.Get.Url("/api/notifications/scheduled"))).ReadAsJsonAsync<ScheduledList>();
            var task = list!.Items.SingleOrDefault(i => i.Id == id);
            if (until(task) || DateTime.UtcNow > deadline) return task;
            await Task.Delay(100);
        }
    }

    private sealed record TaskAnswer(Guid TaskId);

    private sealed record ScheduledList(ScheduledItem[] Items);

    private sealed record ScheduledItem(Guid Id, string Kind, string To, DateTimeOffset ScheduledFor, string Status, int Attempts, string? LastError);
}
