using Notifications.Contracts;
using Npgsql;

namespace Notifications.Tests;

/// <summary>Its own host, because the test stops it.</summary>
public sealed class RestartHost : NotificationsHost;

public sealed class RestartTests(RestartHost host) : IClassFixture<RestartHost>
{
    [Fact]
    public async Task a_scheduled_send_survives_a_host_restart_and_is_sent_once()
    {
        var id = Guid.NewGuid();
        var sendAt = DateTimeOffset.UtcNow.AddSeconds(8);
        await host.SendAsync(new SendNotificationV1(
            id, NotificationKinds.Test, NotificationChannels.Email, "ned@example.test", new Dictionary<string, string>(), SendAt: sendAt));

        var waiting = await host.NotificationAsync(id);
        Assert.Equal(("waiting", 0), (waiting!.Status, waiting.Attempts));
        var scheduled = await host.SendAsync(await host.RootTokenAsync(), s => s.Get.Url("/api/notifications/scheduled?status=waiting"));
        Assert.Contains(id.ToString(), await scheduled.ReadAsTextAsync());

        await host.Host.StopAsync();
        Assert.Equal(1, await EventCountAsync(id)); // only the request: the stopped host sent nothing

        await using var restarted = await host.StartHostAsync();
        var done = await host.WaitForStatusAsync(id, "done", restarted);
        Assert.Equal(1, done.Attempts);
        Assert.True(done.CompletedAt >= sendAt);
        Assert.Single(host.Smtp.MessagesTo("ned@example.test"));
        Assert.Equal(3, await EventCountAsync(id)); // requested, started, delivered
    }

    private async Task<long> EventCountAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from recovery.mt_events where stream_id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
