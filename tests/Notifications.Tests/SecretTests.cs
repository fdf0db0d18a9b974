using System.Text;
using Notifications.Contracts;
using Npgsql;

namespace Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class SecretTests(NotificationsHost host)
{
    [Fact]
    public async Task one_time_secrets_and_credentials_never_appear_in_logs_stored_data_or_api_answers()
    {
        const string smtpPassword = "Smtp-Password-Never-Shown-8812";
        const string smsSecret = "Sms-Secret-Never-Shown-3307";
        var token = NotificationsHost.RandomToken();
        var code = NotificationsHost.RandomDigits(9);
        var temporaryPassword = "Tmp-" + NotificationsHost.RandomToken()[..12];
        var root = await host.RootTokenAsync();
        var answers = new StringBuilder();

        // Stored through the settings (the SMTP password unused while authentication is off), then used for real messages.
        answers.Append(await (await host.SendAsync(root, s => s.Put.Json(new { password = smtpPassword }).ToUrl("/api/settings/mail"))).ReadAsTextAsync());
        answers.Append(await (await host.SendAsync(root, s => s.Put.Json(new { apiSecret = smsSecret }).ToUrl("/api/settings/sms"))).ReadAsTextAsync());
        try
        {
            var linkId = Guid.NewGuid();
            var codeId = Guid.NewGuid();
            var passwordId = Guid.NewGuid();
            await host.SendAsync(new SendNotificationV1(linkId, NotificationKinds.ResetLink, NotificationChannels.Email, "max@example.test",
                new Dictionary<string, string> { ["username"] = "max", ["resetBaseUrl"] = "http://localhost:5000/reset-password", ["lifetimeMinutes"] = "1440" },
                host.Protect(token)));
            await host.SendAsync(new SendNotificationV1(codeId, NotificationKinds.OneTimeCode, NotificationChannels.Sms, "+4915112345678",
                new Dictionary<string, string> { ["username"] = "max", ["lifetimeMinutes"] = "10" }, host.Protect(code)));
            await host.SendAsync(new SendNotificationV1(passwordId, NotificationKinds.TemporaryPassword, NotificationChannels.Email, "max@example.test",
                new Dictionary<string, string> { ["username"] = "max" }, host.Protect(temporaryPassword)));
            foreach (var id in new[] { linkId, codeId, passwordId }) await host.WaitForStatusAsync(id, "done");

            // The secrets did go out, so their absence below means something.
            var mails = host.Smtp.MessagesTo("max@example.test");
            Assert.Contains(mails, m => m.TextBody?.Contains(token) == true);
            Assert.Contains(mails, m => m.TextBody?.Contains(temporaryPassword) == true);
            var vonage = host.Vonage.LogEntries.Select(e => e.RequestMessage.Body ?? "").Where(b => b.Contains("to=4915112345678")).ToList();
            Assert.Contains(vonage, b => b.Contains(code) && b.Contains(smsSecret));

            foreach (var url in new[] { "/api/settings/mail", "/api/settings/sms", "/api/notifications/mail-log?pageSize=500", "/api/notifications/scheduled?pageSize=500",
                         $"/api/notifications/{linkId}", $"/api/notifications/{codeId}", $"/api/notifications/{passwordId}" })
            {
                var answer = await host.SendAsync(root, s => s.Get.Url(url));
                Assert.Equal(200, answer.Context.Response.StatusCode);
                answers.Append(await answer.ReadAsTextAsync());
            }

            var secrets = new[] { token, code, temporaryPassword, smtpPassword, smsSecret };
            var stored = await EveryRowAsync();
            var logs = string.Join("\n", host.Logs.Lines);
            Assert.Contains(linkId.ToString(), logs);
            Assert.Contains(linkId.ToString(), stored);
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, answers.ToString());
                Assert.DoesNotContain(secret, logs);
                Assert.DoesNotContain(secret, stored);
                // bytea columns (message envelopes) show as hex in row_to_json.
                Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)), stored);
            }
        }
        finally
        {
            await host.SendAsync(root, s => s.Put.Json(new { password = "" }).ToUrl("/api/settings/mail"));
            await host.SendAsync(root, s => s.Put.Json(new { apiSecret = NotificationsHost.VonageApiSecret }).ToUrl("/api/settings/sms"));
        }
    }

    /// <summary>Every row of every table of the host's database (events, documents, message envelopes, keys), as text.</summary>
    private async Task<string> EveryRowAsync()
    {
        await using var connection = new NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
                         "select quote_ident(table_schema) || '.' || quote_ident(table_name) from information_schema.tables " +
                         "where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        Assert.Contains(tables, t => t.EndsWith("mt_events"));
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"select row_to_json(t)::text from {table} t", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync()) text.AppendLine(reader.GetString(0));
        }

        return text.ToString();
    }
}
