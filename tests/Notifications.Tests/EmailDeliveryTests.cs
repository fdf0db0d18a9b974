using MimeKit;
using Notifications.Contracts;

namespace Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class EmailDeliveryTests(NotificationsHost host)
{
    [Fact]
    public async Task reset_link_mail_arrives_with_text_and_html_parts_and_only_a_masked_copy_is_kept()
    {
        var id = Guid.NewGuid();
        var token = NotificationsHost.RandomToken();
        var link = $"http://localhost:5000/reset-password?token={token}";
        await host.SendAsync(new SendNotificationV1(
            id, NotificationKinds.ResetLink, NotificationChannels.Email, "ada@example.test",
            new Dictionary<string, string> { ["username"] = "ada", ["resetBaseUrl"] = "http://localhost:5000/reset-password", ["lifetimeMinutes"] = "1440" },
            host.Protect(token)));

        var mail = await host.Smtp.WaitForMessageToAsync("ada@example.test");
        Assert.Equal(NotificationsHost.MailFrom, mail.From.Mailboxes.Single().Address);
        Assert.Equal("Reset your password", mail.Subject);
        Assert.False(string.IsNullOrEmpty(mail.MessageId));
        Assert.Equal(id.ToString(), mail.Headers["X-Notification-Id"]);
        var alternative = Assert.IsType<MultipartAlternative>(mail.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType).ToArray());
        Assert.Contains(link, mail.TextBody);
        Assert.Contains("Hello ada,", mail.TextBody);
        Assert.Contains("1440 minutes", mail.TextBody);
        Assert.Contains($"href=\"{link}\"", System.Net.WebUtility.HtmlDecode(mail.HtmlBody));

        var stored = await host.WaitForStatusAsync(id, "done");
        Assert.Equal("Reset your password", stored.Subject);
        Assert.Contains("http://localhost:5000/reset-password?token=********", stored.Body);
        Assert.DoesNotContain(token, stored.Body);
        Assert.Contains("?token=********", System.Net.WebUtility.HtmlDecode(stored.HtmlBody));
        Assert.DoesNotContain(token, stored.HtmlBody!);

        var log = await host.MailLogAsync("?to=ada@example.test");
        var entry = Assert.Single(log.Items);
        Assert.Equal((id, "email", "sent", 1, "Reset your password", (string?)null), (entry.Id, entry.Channel, entry.Status, entry.Attempt, entry.Subject, entry.Error));
    }

    [Fact]
    public async Task one_time_code_and_temporary_password_mails_carry_the_secret_literally_and_the_stored_copy_does_not()
    {
        var codeId = Guid.NewGuid();
        var code = NotificationsHost.RandomDigits(6);
        await host.SendAsync(new SendNotificationV1(
            codeId, NotificationKinds.OneTimeCode, NotificationChannels.Email, "bea@example.test",
            new Dictionary<string, string> { ["username"] = "bea", ["lifetimeMinutes"] = "10" }, host.Protect(code)));
        var passwordId = Guid.NewGuid();
        const string password = "Tq7-mZ2!pL9x-Wr4";
        await host.SendAsync(new SendNotificationV1(
            passwordId, NotificationKinds.TemporaryPassword, NotificationChannels.Email, "cyd@example.test",
            new Dictionary<string, string> { ["username"] = "cyd" }, host.Protect(password)));

        var codeMail = await host.Smtp.WaitForMessageToAsync("bea@example.test");
        Assert.Matches($@"(?m)^{code}$", codeMail.TextBody);
        Assert.Contains(code, codeMail.HtmlBody);
        var passwordMail = await host.Smtp.WaitForMessageToAsync("cyd@example.test");
        Assert.Contains(password, passwordMail.TextBody);
        Assert.Equal("Your temporary password", passwordMail.Subject);

        var storedCode = await host.WaitForStatusAsync(codeId, "done");
        Assert.DoesNotContain(code, storedCode.Body + storedCode.HtmlBody);
        Assert.Contains("********", storedCode.Body);
        var storedPassword = await host.WaitForStatusAsync(passwordId, "done");
        Assert.DoesNotContain(password, storedPassword.Body + storedPassword.HtmlBody);
    }

    [Fact]
    public async Task password_changed_mail_tells_the_owner_what_to_do_if_it_was_not_them()
    {
        var id = Guid.NewGuid();
        await host.SendAsync(new SendNotificationV1(
            id, NotificationKinds.PasswordChanged, NotificationChannels.Email, "dan@example.test",
            new Dictionary<string, string> { ["username"] = "dan", ["changedAt"] = "2030-01-02 03:04:05Z" }));

        var mail = await host.Smtp.WaitForMessageToAsync("dan@example.test");
        Assert.Equal("Your password was changed", mail.Subject);
        Assert.Contains("If this was not you", mail.TextBody);
        Assert.Contains("2030-01-02 03:04:05Z", mail.TextBody);
        Assert.Contains("If this was not you", mail.HtmlBody);
    }

    [Fact]
    public async Task smtp_down_then_up_gives_a_failed_entry_with_the_error_and_a_redo_sends_it()
    {
        var port = SmtpTestServer.FreePort();
        await host.PutMailSettingsAsync(new { port });
        try
        {
            var id = await host.SendTestMailAsync("eve@example.test");
            var failed = await host.WaitForStatusAsync(id, "failed");
            Assert.Equal(2, failed.Attempts); // a refused connection is worth another try; the test host allows two
            Assert.Contains("Connection refused", failed.LastError);
            var log = await host.MailLogAsync("?to=eve@example.test&status=failed");
            Assert.Equal(2, log.Total);
            Assert.All(log.Items, e => Assert.Contains("Connection refused", e.Error));

            await using var revived = await SmtpTestServer.StartAsync(port);
            var redo = await host.SendAsync(await host.RootTokenAsync(), s => s.Post.Url($"/api/notifications/{id}/redo"));
            Assert.Equal(202, redo.Context.Response.StatusCode);

            var done = await host.WaitForStatusAsync(id, "done");
            Assert.Equal(3, done.Attempts);
            var mail = await revived.WaitForMessageToAsync("eve@example.test");
            Assert.Equal("Test message from the account recovery service", mail.Subject);
            var sent = await host.MailLogAsync("?to=eve@example.test&status=sent");
            Assert.Equal(3, Assert.Single(sent.Items).Attempt);
            Assert.Equal(new[] { "sent", "failed", "failed" }, (await host.MailLogAsync("?to=eve@example.test")).Items.Select(i => i.Status));
        }
        finally
        {
            await host.RestoreMailSettingsAsync();
        }
    }

    [Fact]
    public async Task a_running_or_waiting_task_cannot_be_redone_and_an_unknown_one_is_not_found()
    {
        var token = await host.RootTokenAsync();
        var unknown = await host.SendAsync(token, s => s.Post.Url($"/api/notifications/{Guid.NewGuid()}/redo"));
        Assert.Equal(404, unknown.Context.Response.StatusCode);
        Assert.Equal(404, (await host.SendAsync(token, s => s.Get.Url($"/api/notifications/{Guid.NewGuid()}"))).Context.Response.StatusCode);
        var malformed = await host.SendAsync(token, s => s.Get.Url("/api/notifications/not-an-id"));
        Assert.InRange(malformed.Context.Response.StatusCode, 400, 404);

        var id = Guid.NewGuid();
        await host.SendAsync(new SendNotificationV1(
            id, NotificationKinds.Test, NotificationChannels.Email, "fay@example.test", new Dictionary<string, string>(), SendAt: DateTimeOffset.UtcNow.AddHours(1)));
        var waiting = await host.SendAsync(token, s => s.Post.Url($"/api/notifications/{id}/redo"));
        Assert.Equal(409, waiting.Context.Response.StatusCode);
        Assert.Equal("not_redoable", (await Testing.Problem.ReadAsync(waiting)).Code);
    }

    [Fact]
    public async Task authentication_failure_fails_at_once_with_the_servers_reply_and_the_right_password_then_works()
    {
        await using var guarded = await SmtpTestServer.StartAsync(user: "mailer", password: "Right-Smtp-Pass-42");
        await host.PutMailSettingsAsync(new { port = guarded.Port, authEnabled = true, username = "mailer", password = "Wrong-Smtp-Pass-41" });
        try
        {
            var id = await host.SendTestMailAsync("gus@example.test");
            var failed = await host.WaitForStatusAsync(id, "failed");
            Assert.Equal(1, failed.Attempts); // bad credentials are not tried again
            Assert.StartsWith("535", failed.LastError);
            Assert.Contains("5.7.8 Username and Password not accepted", failed.LastError);
            var entry = Assert.Single((await host.MailLogAsync("?to=gus@example.test")).Items);
            Assert.Contains("5.7.8 Username and Password not accepted", entry.Error);

            var settings = await host.PutMailSettingsAsync(new { password = "Right-Smtp-Pass-42" });
            Assert.True(settings.PasswordSet);
            var redo = await host.SendAsync(await host.RootTokenAsync(), s => s.Post.Url($"/api/notifications/{id}/redo"));
            Assert.Equal(202, redo.Context.Response.StatusCode);
            await host.WaitForStatusAsync(id, "done");
            await guarded.WaitForMessageToAsync("gus@example.test");
        }
        finally
        {
            await host.RestoreMailSettingsAsync();
        }
    }

    [Fact]
    public async Task mail_settings_changed_at_run_time_apply_to_the_next_message()
    {
        await using var other = await SmtpTestServer.StartAsync();
        var token = await host.RootTokenAsync();
        var before = await host.MailLogAsync();
        try
        {
            var changed = await host.PutMailSettingsAsync(new { port = other.Port, from = "Service Desk <desk@example.test>" });
            Assert.Equal(other.Port, changed.Port);

            var read = await host.SendAsync(token, s => s.Get.Url("/api/settings/mail"));
            var view = await read.ReadAsJsonAsync<Settings.MailSettingsView>();
            Assert.Equal((other.Port, "Service Desk <desk@example.test>", "None", false), (view!.Port, view.From, view.Security, view.PasswordSet));

            var id = await host.SendTestMailAsync("hal@example.test");
            var mail = await other.WaitForMessageToAsync("hal@example.test");
            Assert.Equal("desk@example.test", mail.From.Mailboxes.Single().Address);
            await host.WaitForStatusAsync(id, "done");
            Assert.Empty(host.Smtp.MessagesTo("hal@example.test"));
        }
        finally
        {
            await host.RestoreMailSettingsAsync();
        }
    }

    [Fact]
    public async Task invalid_mail_settings_are_refused_with_a_problem()
    {
        var token = await host.RootTokenAsync();
        var result = await host.SendAsync(token, s => s.Put.Json(new { port = 70000, security = "Sometimes" }).ToUrl("/api/settings/mail"));
        var problem = await Testing.Problem.ReadAsync(result);
        Assert.Equal((400, "invalid_mail_settings"), (problem.Status, problem.Code));

        var test = await host.SendAsync(token, s => s.Post.Json(new { to = "not an address" }).ToUrl("/api/settings/mail/test"));
        Assert.Equal((400, "invalid_email"), ((await Testing.Problem.ReadAsync(test)).Status, (await Testing.Problem.ReadAsync(test)).Code));
    }

    [Fact]
    public async Task notification_routes_are_for_administrators_only()
    {
        await host.CreateAccountAsync("ivy", "Velvet-Harbour-73");
        var user = await host.SignInAsync("ivy", "Velvet-Harbour-73");
        foreach (var url in new[] { "/api/notifications/mail-log", "/api/notifications/scheduled", "/api/settings/mail", "/api/settings/sms" })
        {
            Assert.Equal(403, (await host.SendAsync(user, s => s.Get.Url(url))).Context.Response.StatusCode);
            Assert.Equal(401, (await host.SendAsync(null, s => s.Get.Url(url))).Context.Response.StatusCode);
        }
    }
}
