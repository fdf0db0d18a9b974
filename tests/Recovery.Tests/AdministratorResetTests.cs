using Alba;
using Notifications.Contracts;
using Testing;
using Wolverine.Tracking;

namespace Recovery.Tests;

public sealed class AdministratorResetTests(RecoveryTestHost host) : IClassFixture<RecoveryTestHost>
{
    private async Task<IScenarioResult> AdminResetAsync(Guid accountId, object body) =>
        await host.SendAsync(await host.FreshRootTokenAsync(), s => s.Post.Json(body).ToUrl($"/api/accounts/{accountId}/password-reset"));

    [Fact]
    public async Task a_temporary_password_works_at_once_ends_sessions_and_must_be_changed()
    {
        var account = await host.NewAccountAsync();
        var session = await host.SignInAsync(account.Username, account.Password);

        // The reset history records the temporary password when Accounts announces it: wait for that message as well.
        var result = await host.AndWaitAsync(() => AdminResetAsync(account.Id, new { method = "temporary-password", delaySeconds = 0 }));
        Assert.Equal(202, result.Context.Response.StatusCode);
        var taskId = (await result.ReadAsJsonAsync<TaskAnswer>())!.TaskId;
        Assert.NotEqual(Guid.Empty, taskId);

        Assert.Equal(401, (await host.SendAsync(session, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        var mail = await host.MessageAsync(account.Email!, "temporary-password");
        var temporary = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? string.Empty, @"temporary password:\s+(\S+)").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(temporary));

        var signIn = await host.SendAsync(null, s => s.Post.Json(new { login = account.Username, password = temporary }).ToUrl("/api/auth/login"));
        var answer = await signIn.ReadAsJsonAsync<RecoveryHost.TokenAnswer>();
        Assert.True(answer!.MustChangePassword);
        var blocked = await Problem.ReadAsync(await host.SendAsync(answer.Token, s => s.Get.Url("/api/audit/resets")));
        Assert.Equal((403, "password_change_required"), (blocked.Status, blocked.Code));
        Assert.Equal(401, await host.SignInStatusAsync(account.Username, account.Password));
        Assert.Empty(host.MessagesTo(account.Email!, "password-changed"));

        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal(("temporary-password", "admin", "completed"), (row.Channel, row.InitiatedBy, row.Outcome));
        Assert.NotNull(row.ActorId);
    }

    [Fact]
    public async Task a_link_sent_by_an_administrator_is_a_recovery_request_initiated_by_the_administrator()
    {
        var account = await host.NewAccountAsync();
        var result = await AdminResetAsync(account.Id, new { method = "link", delaySeconds = 0 });
        Assert.Equal(202, result.Context.Response.StatusCode);

        var token = RecoveryTestHost.TokenIn(await host.MessageAsync(account.Email!, "reset-link"));
        Assert.Equal(204, (await host.ResetAsync(token, "Granite-Orchard-3141")).Context.Response.StatusCode);
        Assert.Equal(200, await host.SignInStatusAsync(account.Username, "Granite-Orchard-3141"));

        var row = Assert.Single(await host.ResetHistoryAsync($"?accountId={account.Id}"));
        Assert.Equal(("email-link", "admin", "completed"), (row.Channel, row.InitiatedBy, row.Outcome));
        Assert.NotNull(row.ActorId);
    }

    [Fact]
    public async Task an_administrator_who_is_not_root_may_not_reset_a_root_account()
    {
        var admin = $"adm{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(admin, "Granite-Orchard-3141", roles: ["admin"]);
        var adminToken = await host.SignInAsync(admin, "Granite-Orchard-3141");
        var me = await (await host.SendAsync(await host.FreshRootTokenAsync(), s => s.Get.Url("/api/me"))).ReadAsJsonAsync<RootAnswer>();

        var refused = await Problem.ReadAsync(await host.SendAsync(adminToken, s => s.Post.Json(new { method = "temporary-password", delaySeconds = 0 }).ToUrl($"/api/accounts/{me!.Id}/password-reset")));

        Assert.Equal((403, "forbidden"), (refused.Status, refused.Code));
        Assert.Equal(200, await host.SignInStatusAsync(RecoveryHost.RootUsername, RecoveryHost.RootPassword));
    }

    private sealed record RootAnswer(Guid Id);

    [Fact]
    public async Task the_task_id_is_the_id_of_the_message_sent()
    {
        var account = await host.NewAccountAsync();
        var result = await AdminResetAsync(account.Id, new { method = "link", delaySeconds = 0 });
        var taskId = (await result.ReadAsJsonAsync<TaskAnswer>())!.TaskId;
        var message = await host.MessageAsync(account.Email!, "reset-link");
        Assert.Equal(taskId.ToString(), message.Headers["X-Notification-Id"]);
    }

    [Theory]
    [InlineData("link")]
    [InlineData("temporary-password")]
    public async Task a_delayed_send_asks_notifications_for_the_message_at_the_delay_under_the_task_id(string method)
    {
        var account = await host.NewAccountAsync();
        var token = await host.FreshRootTokenAsync();
        IScenarioResult? result = null;
        var before = host.Clock.GetUtcNow();
        var tracked = await host.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync((Wolverine.IMessageContext _) =>
            Task.Run(async () => result = await host.SendAsync(token, s => s.Post.Json(new { method, delaySeconds = 3600 }).ToUrl($"/api/accounts/{account.Id}/password-reset"))));

        Assert.Equal(202, result!.Context.Response.StatusCode);
        var taskId = (await result.ReadAsJsonAsync<TaskAnswer>())!.TaskId;
        var send = Assert.Single(tracked.Sent.MessagesOf<SendNotificationV1>().Concat(tracked.Executed.MessagesOf<SendNotificationV1>()).DistinctBy(m => m.NotificationId),
            m => m.To == account.Email);
        Assert.Equal(taskId, send.NotificationId);
        Assert.Equal(before.AddHours(1), send.SendAt!.Value, TimeSpan.FromSeconds(5));
        Assert.NotNull(send.ProtectedSecret);
    }

    [Fact]
    public async Task unknown_accounts_and_bad_methods_are_refused()
    {
        var missing = await Problem.ReadAsync(await AdminResetAsync(Guid.NewGuid(), new { method = "link" }));
        Assert.Equal((404, "not_found"), (missing.Status, missing.Code));
        var account = await host.NewAccountAsync();
        var bad = await Problem.ReadAsync(await AdminResetAsync(account.Id, new { method = "carrier-pigeon" }));
        Assert.Equal((400, "invalid_request"), (bad.Status, bad.Code));

        var user = await host.SignInAsync(account.Username, account.Password);
        var forbidden = await host.SendAsync(user, s => s.Post.Json(new { method = "link" }).ToUrl($"/api/accounts/{account.Id}/password-reset"));
        Assert.Equal(403, forbidden.Context.Response.StatusCode);
    }

    public sealed record TaskAnswer(Guid TaskId);
}
