using System.Text.Json;
using Notifications.Settings;
using WireMock.Server;

namespace Notifications.Tests;

/// <summary>The write-only SMTP password and Vonage API secret stay with the server they were given for.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class CredentialSettingsTests(NotificationsHost host)
{
    [Fact]
    public async Task another_smtp_server_without_a_new_password_does_not_get_the_stored_one()
    {
        const string password = "Stored-Smtp-Pass-6120";
        await using var trusted = await SmtpTestServer.StartAsync(user: "mailer", password: password);
        // Stands for a server the person changing the settings controls: it would accept (and so learn) the stored password.
        await using var other = await SmtpTestServer.StartAsync(user: "mailer", password: password);
        try
        {
            var stored = await host.PutMailSettingsAsync(new { port = trusted.Port, authEnabled = true, username = "mailer", password });
            Assert.True(stored.PasswordSet);
            await host.WaitForStatusAsync(await host.SendTestMailAsync("olga@example.test"), "done");
            await trusted.WaitForMessageToAsync("olga@example.test");

            var moved = await host.PutMailSettingsAsync(new { port = other.Port });
            Assert.False(moved.PasswordSet);
            Assert.False((await MailSettingsAsync()).PasswordSet);
            Assert.Contains("password removed", await LatestSettingsSummaryAsync("mail_settings_changed"));

            var id = await host.SendTestMailAsync("olga@example.test");
            var failed = await host.WaitForStatusAsync(id, "failed");
            Assert.StartsWith("535", failed.LastError);
            Assert.Empty(other.MessagesTo("olga@example.test"));
        }
        finally
        {
            await host.RestoreMailSettingsAsync();
        }
    }

    [Fact]
    public async Task a_new_host_or_security_mode_drops_the_smtp_password_unless_given_again_and_a_new_sender_keeps_it()
    {
        const string password = "Stored-Smtp-Pass-7731";
        try
        {
            Assert.True((await host.PutMailSettingsAsync(new { password })).PasswordSet);
            Assert.True((await host.PutMailSettingsAsync(new { from = "Desk <desk@example.test>" })).PasswordSet);
            Assert.True((await MailSettingsAsync()).PasswordSet);

            Assert.False((await host.PutMailSettingsAsync(new { host = "localhost" })).PasswordSet);
            Assert.False((await MailSettingsAsync()).PasswordSet);

            Assert.True((await host.PutMailSettingsAsync(new { host = "127.0.0.1", password })).PasswordSet);
            Assert.False((await host.PutMailSettingsAsync(new { security = "StartTls" })).PasswordSet);
            Assert.False((await MailSettingsAsync()).PasswordSet);
        }
        finally
        {
            await host.RestoreMailSettingsAsync();
        }
    }

    [Fact]
    public async Task smtp_authentication_without_encryption_is_refused_except_to_a_loopback_host()
    {
        var root = await host.RootTokenAsync();
        try
        {
            var clear = await host.SendAsync(root, s => s.Put.Json(new
            {
                host = "smtp.example.test", port = 25, security = "None", authEnabled = true, username = "mailer", password = "Pass-In-Clear-1",
            }).ToUrl("/api/settings/mail"));
            var problem = await Testing.Problem.ReadAsync(clear);
            Assert.Equal((400, "invalid_request"), (problem.Status, problem.Code));
            var unchanged = await MailSettingsAsync();
            Assert.Equal(("127.0.0.1", false), (unchanged.Host, unchanged.PasswordSet));

            var local = await host.PutMailSettingsAsync(new { host = "localhost", security = "None", authEnabled = true, username = "mailer", password = "Pass-1" });
            Assert.Equal(("localhost", "None", true), (local.Host, local.Security, local.AuthEnabled));
            var encrypted = await host.PutMailSettingsAsync(new { host = "smtp.example.test", port = 587, security = "StartTls", password = "Pass-2" });
            Assert.Equal(("smtp.example.test", "StartTls", true), (encrypted.Host, encrypted.Security, encrypted.PasswordSet));
            var downgrade = await host.SendAsync(root, s => s.Put.Json(new { security = "None", password = "Pass-2" }).ToUrl("/api/settings/mail"));
            Assert.Equal("invalid_request", (await Testing.Problem.ReadAsync(downgrade)).Code);
        }
        finally
        {
            await host.RestoreMailSettingsAsync();
        }
    }

    [Fact]
    public async Task another_sms_base_url_without_a_new_secret_drops_the_api_key_and_secret_and_a_new_sender_keeps_them()
    {
        using var other = WireMockServer.Start();
        var root = await host.RootTokenAsync();
        try
        {
            var sender = await PutSmsAsync(new { from = "RecoveryOps" });
            Assert.Equal((true, NotificationsHost.VonageApiKey, "RecoveryOps"), (sender.ApiSecretSet, sender.ApiKey, sender.From));

            // While SMS is on, the move is refused rather than leaving SMS on without credentials.
            var whileOn = await host.SendAsync(root, s => s.Put.Json(new { baseUrl = other.Url }).ToUrl("/api/settings/sms"));
            Assert.Equal((400, "invalid_sms_settings"), ((await Testing.Problem.ReadAsync(whileOn)).Status, (await Testing.Problem.ReadAsync(whileOn)).Code));
            Assert.True((await SmsSettingsAsync()).ApiSecretSet);

            var moved = await PutSmsAsync(new { enabled = false, baseUrl = other.Url });
            Assert.Equal((false, (string?)null), (moved.ApiSecretSet, moved.ApiKey));
            var read = await SmsSettingsAsync();
            Assert.Equal((other.Url!, false, (string?)null), (read.BaseUrl, read.ApiSecretSet, read.ApiKey));
            Assert.Contains("API secret removed", await LatestSettingsSummaryAsync("sms_settings_changed"));
            var switchedOn = await host.SendAsync(root, s => s.Put.Json(new { enabled = true, apiKey = NotificationsHost.VonageApiKey }).ToUrl("/api/settings/sms"));
            Assert.Equal(400, switchedOn.Context.Response.StatusCode);

            var withSecret = await PutSmsAsync(new { enabled = true, baseUrl = host.Vonage.Url, apiKey = NotificationsHost.VonageApiKey, apiSecret = NotificationsHost.VonageApiSecret });
            Assert.Equal((true, true, NotificationsHost.VonageApiKey), (withSecret.Enabled, withSecret.ApiSecretSet, withSecret.ApiKey));
            Assert.Empty(other.LogEntries);
        }
        finally
        {
            await RestoreSmsSettingsAsync();
        }
    }

    [Theory]
    [InlineData("http://sms.example.test")]
    [InlineData("http://10.1.2.3:8080")]
    public async Task an_sms_base_url_without_https_is_refused_unless_it_is_a_loopback_host(string baseUrl)
    {
        var root = await host.RootTokenAsync();
        try
        {
            var refused = await host.SendAsync(root, s => s.Put.Json(new { enabled = false, baseUrl }).ToUrl("/api/settings/sms"));
            var problem = await Testing.Problem.ReadAsync(refused);
            Assert.Equal((400, "invalid_request"), (problem.Status, problem.Code));
            Assert.True((await SmsSettingsAsync()).ApiSecretSet);

            Assert.Equal("https://sms.example.test", (await PutSmsAsync(new { enabled = false, baseUrl = "https://sms.example.test" })).BaseUrl);
            Assert.Equal("http://localhost:9", (await PutSmsAsync(new { baseUrl = "http://localhost:9" })).BaseUrl);
            Assert.Equal("http://127.0.0.1:9", (await PutSmsAsync(new { baseUrl = "http://127.0.0.1:9" })).BaseUrl);
        }
        finally
        {
            await RestoreSmsSettingsAsync();
        }
    }

    [Theory]
    [InlineData("ABCDEFGHIJK", true)]
    [InlineData("Recovery123", true)]
    [InlineData("ABCDEFGHIJKL", false)]
    [InlineData("RecoveryServiceSenderName", false)]
    [InlineData("123456789012345", true)]
    [InlineData("+123456789012345", true)]
    [InlineData("1234567890123456", false)]
    [InlineData("+1234567890123456", false)]
    [InlineData("Recovery-App", false)]
    public async Task an_sms_sender_is_a_number_of_at_most_15_digits_or_at_most_11_letters_and_digits(string from, bool accepted)
    {
        var root = await host.RootTokenAsync();
        try
        {
            var result = await host.SendAsync(root, s => s.Put.Json(new { from }).ToUrl("/api/settings/sms"));
            if (accepted)
            {
                Assert.Equal(200, result.Context.Response.StatusCode);
                Assert.Equal(from, (await SmsSettingsAsync()).From);
            }
            else
            {
                var problem = await Testing.Problem.ReadAsync(result);
                Assert.Equal((400, "invalid_sms_settings"), (problem.Status, problem.Code));
                Assert.Equal(NotificationsHost.VonageFrom, (await SmsSettingsAsync()).From);
            }
        }
        finally
        {
            await RestoreSmsSettingsAsync();
        }
    }

    private async Task<MailSettingsView> MailSettingsAsync() =>
        (await (await host.SendAsync(await host.RootTokenAsync(), s => s.Get.Url("/api/settings/mail"))).ReadAsJsonAsync<MailSettingsView>())!;

    private async Task<SmsSettingsView> SmsSettingsAsync() =>
        (await (await host.SendAsync(await host.RootTokenAsync(), s => s.Get.Url("/api/settings/sms"))).ReadAsJsonAsync<SmsSettingsView>())!;

    private async Task<SmsSettingsView> PutSmsAsync(object settings)
    {
        var result = await host.SendAsync(await host.RootTokenAsync(), s => s.Put.Json(settings).ToUrl("/api/settings/sms"));
        Assert.Equal(200, result.Context.Response.StatusCode);
        return (await result.ReadAsJsonAsync<SmsSettingsView>())!;
    }

    private Task RestoreSmsSettingsAsync() => PutSmsAsync(new
    {
        enabled = true, baseUrl = host.Vonage.Url, apiKey = NotificationsHost.VonageApiKey, apiSecret = NotificationsHost.VonageApiSecret,
        from = NotificationsHost.VonageFrom,
    });

    /// <summary>What the auditors' security log says about the latest change of these settings.</summary>
    private async Task<string> LatestSettingsSummaryAsync(string type)
    {
        var result = await host.SendAsync(await host.RootTokenAsync(), s => s.Get.Url($"/api/audit/events?type={type}&pageSize=1"));
        using var json = JsonDocument.Parse(await result.ReadAsTextAsync());
        return json.RootElement.GetProperty("items")[0].GetProperty("summary").GetString()!;
    }
}
