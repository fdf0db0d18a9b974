using System.Net;
using MimeKit;
using Notifications.Contracts;
using Notifications.Settings;

namespace Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class PickupAndSmsTests(NotificationsHost host)
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task with_smtp_off_a_message_is_an_eml_file_readable_by_the_owner_only_and_logged_as_pickup()
    {
        await host.PutMailSettingsAsync(new { enabled = false });
        try
        {
            var capabilities = await host.InvokeAsync<DeliveryCapabilitiesV1>(new GetDeliveryCapabilitiesV1());
            Assert.Equal((false, true), (capabilities.EmailConfigured, capabilities.PickupOnly));

            var id = Guid.NewGuid();
            var code = NotificationsHost.RandomDigits(6);
            await host.SendAsync(new SendNotificationV1(
                id, NotificationKinds.OneTimeCode, NotificationChannels.Email, "Jo.Pickup@Example.test",
                new Dictionary<string, string> { ["username"] = "jo", ["lifetimeMinutes"] = "10" }, host.Protect(code)));
            await host.WaitForStatusAsync(id, "done");

            var file = Assert.Single(Directory.GetFiles(host.PickupDirectory, "jo.pickup@example.test_*.eml"));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(host.PickupDirectory));
            var mail = await MimeMessage.LoadAsync(file);
            Assert.Matches($@"(?m)^{code}$", mail.TextBody);
            Assert.NotNull(mail.HtmlBody);
            Assert.Empty(host.Smtp.MessagesTo("jo.pickup@example.test"));

            var entry = Assert.Single((await host.MailLogAsync("?to=jo.pickup")).Items);
            Assert.Equal(("pickup", "sent"), (entry.Channel, entry.Status));
        }
        finally
        {
            await host.RestoreMailSettingsAsync();
        }
    }

    [Fact]
    public async Task sms_goes_to_vonage_with_the_number_without_its_plus_and_the_code_in_the_text()
    {
        var id = Guid.NewGuid();
        var code = NotificationsHost.RandomDigits(6);
        await host.SendAsync(new SendNotificationV1(
            id, NotificationKinds.OneTimeCode, NotificationChannels.Sms, "+41 44 668 18 00",
            new Dictionary<string, string> { ["username"] = "kim", ["lifetimeMinutes"] = "10" }, host.Protect(code)));

        var done = await host.WaitForStatusAsync(id, "done");
        var form = VonageRequests().Single(f => f["text"].Contains(code));
        Assert.Equal("41446681800", form["to"]);
        Assert.Equal(NotificationsHost.VonageApiKey, form["api_key"]);
        Assert.Equal(NotificationsHost.VonageApiSecret, form["api_secret"]);
        Assert.Equal(NotificationsHost.VonageFrom, form["from"]);
        Assert.Matches(@"\b" + code + @"\b", form["text"]);

        Assert.DoesNotContain(code, done.Body);
        var entry = Assert.Single((await host.MailLogAsync("?channel=sms&to=%2B41")).Items, e => e.Id == id);
        Assert.Equal(("sms", "sent", 1), (entry.Channel, entry.Status, entry.Attempt));
    }

    [Fact]
    public async Task an_sms_vonage_refuses_is_a_failed_entry_with_vonages_error_text()
    {
        var id = Guid.NewGuid();
        await host.SendAsync(new SendNotificationV1(
            id, NotificationKinds.OneTimeCode, NotificationChannels.Sms, NotificationsHost.UnroutableNumber,
            new Dictionary<string, string> { ["username"] = "lou", ["lifetimeMinutes"] = "10" }, host.Protect("314159")));

        var failed = await host.WaitForStatusAsync(id, "failed");
        Assert.Equal(1, failed.Attempts);
        Assert.Equal("Vonage status 6: Unroutable message - rejected", failed.LastError);
        var entry = Assert.Single((await host.MailLogAsync("?status=failed&channel=sms")).Items, e => e.Id == id);
        Assert.Equal("Vonage status 6: Unroutable message - rejected", entry.Error);
        Assert.Contains(VonageRequests(), f => f["to"] == "15005550009");
    }

    [Fact]
    public async Task a_vonage_server_error_is_tried_again_before_the_task_fails()
    {
        var id = Guid.NewGuid();
        await host.SendAsync(new SendNotificationV1(
            id, NotificationKinds.OneTimeCode, NotificationChannels.Sms, NotificationsHost.TroubledNumber,
            new Dictionary<string, string> { ["username"] = "mia", ["lifetimeMinutes"] = "10" }, host.Protect("271828")));

        var failed = await host.WaitForStatusAsync(id, "failed");
        Assert.Equal(2, failed.Attempts);
        Assert.Equal("HTTP 500 Internal Server Error", failed.LastError);
        Assert.Equal(2, VonageRequests().Count(f => f["to"] == "15005550500"));
    }

    [Fact]
    public async Task sms_settings_are_write_only_for_the_secret_and_switching_sms_off_shows_in_the_capabilities()
    {
        var token = await host.RootTokenAsync();
        Assert.True((await host.InvokeAsync<DeliveryCapabilitiesV1>(new GetDeliveryCapabilitiesV1())).SmsConfigured);
        try
        {
            var put = await host.SendAsync(token, s => s.Put.Json(new { enabled = false }).ToUrl("/api/settings/sms"));
            Assert.Equal(200, put.Context.Response.StatusCode);
            var text = await put.ReadAsTextAsync();
            Assert.DoesNotContain(NotificationsHost.VonageApiSecret, text);
            var view = await (await host.SendAsync(token, s => s.Get.Url("/api/settings/sms"))).ReadAsJsonAsync<SmsSettingsView>();
            Assert.Equal((false, true, NotificationsHost.VonageApiKey), (view!.Enabled, view.ApiSecretSet, view.ApiKey));
            Assert.False((await host.InvokeAsync<DeliveryCapabilitiesV1>(new GetDeliveryCapabilitiesV1())).SmsConfigured);
        }
        finally
        {
            await host.SendAsync(token, s => s.Put.Json(new { enabled = true }).ToUrl("/api/settings/sms"));
        }

        Assert.True((await host.InvokeAsync<DeliveryCapabilitiesV1>(new GetDeliveryCapabilitiesV1())).SmsConfigured);
    }

    private IEnumerable<Dictionary<string, string>> VonageRequests() =>
        host.Vonage.LogEntries
            .Where(e => e.RequestMessage.Path == "/sms/json")
            .Select(e => (e.RequestMessage.Body ?? string.Empty).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : string.Empty)))
            .ToList();
}
