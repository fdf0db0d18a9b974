using System.Text.Json;
using Alba;
using Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Recovery.Tests;

/// <summary>Root may recover by self-service here, so that the SMS path can be tried too.</summary>
public sealed class RootSecretHost : RecoveryTestHost
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Recovery:AllowRootSelfService"] = "true";
        return settings;
    }
}

/// <summary>
/// An administrator short of root repoints SMTP or SMS at a server of their own while a root's temporary password,
/// link or code is on its way, or redoes it afterwards: the secret never reaches their server (docs/adr/0019).
/// </summary>
public sealed class RootSecretTests(RootSecretHost host) : IClassFixture<RootSecretHost>
{
    private const string AdminPassword = "Sandstone-Bridge-77";

    private async Task<(string AdminToken, Guid RootId, string RootEmail, string RootPhone, string RootName)> SetUpAsync()
    {
        var name = $"r{Guid.NewGuid():N}"[..10];
        var rootEmail = $"{name}@example.test";
        var rootPhone = "+4179" + Random.Shared.Next(1000000, 9999999);
        var rootId = await host.CreateAccountAsync(name, "Juniper-Lighthouse-404", rootEmail, rootPhone, ["root"]);
        var admin = $"a{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(admin, AdminPassword, roles: ["admin"]);
        return (await host.SignInAsync(admin, AdminPassword), rootId, rootEmail, rootPhone, name);
    }

    private async Task<IScenarioResult> PutAsync(string token, string url, object body)
    {
        var result = await host.SendAsync(token, s => s.Put.Json(body).ToUrl(url));
        Assert.Equal(200, result.Context.Response.StatusCode);
        return result;
    }

    private async Task<(string Status, string? LastError)> TaskAsync(Guid taskId)
    {
        var result = await host.SendAsync(await host.FreshRootTokenAsync(), s => s.Get.Url($"/api/notifications/{taskId}"));
        using var json = JsonDocument.Parse(await result.ReadAsTextAsync());
        return (json.RootElement.GetProperty("status").GetString()!, json.RootElement.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task an_administrator_who_repoints_smtp_does_not_receive_a_roots_temporary_password_nor_can_redo_it()
    {
        var (adminToken, rootId, rootEmail, _, _) = await SetUpAsync();
        await using var theirs = await SmtpTestServer.StartAsync();
        await PutAsync(adminToken, "/api/settings/mail", new { enabled = true, host = "127.0.0.1", port = theirs.Port, security = "None", authEnabled = false });

        // Another root resets this root's password; the message would go through the administrator's server.
        var otherRoot = await host.FreshRootTokenAsync();
        var reset = await host.AndWaitAsync(() => host.SendAsync(
            otherRoot, s => s.Post.Json(new { method = "temporary-password", delaySeconds = 0 }).ToUrl($"/api/accounts/{rootId}/password-reset")));
        Assert.Equal(202, reset.Context.Response.StatusCode);
        var taskId = (await reset.ReadAsJsonAsync<TaskAnswer>())!.TaskId;
        var (status, error) = await TaskAsync(taskId);
        Assert.Equal("failed", status);
        Assert.Contains("Held back", error);
        Assert.Empty(theirs.MessagesTo(rootEmail));

        // The administrator may not send it again; root may, once root has checked and saved the settings.
        var redo = await Problem.ReadAsync(await host.SendAsync(adminToken, s => s.Post.Url($"/api/notifications/{taskId}/redo")));
        Assert.Equal((403, "forbidden"), (redo.Status, redo.Code));
        var root = await host.FreshRootTokenAsync();
        await using var ours = await SmtpTestServer.StartAsync();
        await PutAsync(root, "/api/settings/mail", new { enabled = true, host = "127.0.0.1", port = ours.Port, security = "None", authEnabled = false });
        Assert.Equal(202, (await host.AndWaitAsync(() => host.SendAsync(root, s => s.Post.Url($"/api/notifications/{taskId}/redo")))).Context.Response.StatusCode);
        await ours.WaitForMessageToAsync(rootEmail);
        Assert.Empty(theirs.MessagesTo(rootEmail));

        // Everyone else's messages still go through the settings an administrator saved.
        var user = await host.NewAccountAsync();
        await PutAsync(adminToken, "/api/settings/mail", new { enabled = true, host = "127.0.0.1", port = theirs.Port, security = "None", authEnabled = false });
        await host.RequestAsync(user.Username, "email-link");
        await theirs.WaitForMessageToAsync(user.Email!);
        await PutAsync(root, "/api/settings/mail", new { enabled = false });
    }

    [Fact]
    public async Task an_administrator_who_repoints_sms_does_not_receive_a_roots_code()
    {
        var (adminToken, _, _, rootPhone, rootName) = await SetUpAsync();
        await host.EnableAllChannelsAsync();
        using var theirs = WireMockServer.Start();
        theirs.Given(Request.Create().WithPath("/sms/json").UsingPost()).RespondWith(Response.Create().WithStatusCode(200)
            .WithBody("""{"message-count":"1","messages":[{"to":"1","message-id":"X","status":"0"}]}"""));
        await PutAsync(adminToken, "/api/settings/sms", new { enabled = true, baseUrl = theirs.Url, apiKey = "theirs", apiSecret = "their-secret-1", from = "Them" });
        try
        {
            await host.RequestAsync(rootName, "sms-otp");

            Assert.Empty(theirs.LogEntries);
            var log = await host.SendAsync(await host.FreshRootTokenAsync(), s => s.Get.Url($"/api/notifications/mail-log?to={Uri.EscapeDataString(rootPhone)}"));
            using var json = JsonDocument.Parse(await log.ReadAsTextAsync());
            var entry = Assert.Single(json.RootElement.GetProperty("items").EnumerateArray());
            Assert.Equal("failed", entry.GetProperty("status").GetString());
            Assert.Contains("Held back", entry.GetProperty("error").GetString());
        }
        finally
        {
            await PutAsync(await host.FreshRootTokenAsync(), "/api/settings/sms",
                new { enabled = true, baseUrl = host.Vonage.Url, apiKey = "vonage-key", apiSecret = "vonage-secret", from = "Recovery" });
        }
    }

    private sealed record TaskAnswer(Guid TaskId);
}
