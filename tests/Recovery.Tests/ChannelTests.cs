using Alba;
using Testing;

namespace Recovery.Tests;

/// <summary>Changes the channel settings, so it has a host of its own.</summary>
public sealed class ChannelHost : RecoveryTestHost;

public sealed class ChannelTests(ChannelHost host) : IClassFixture<ChannelHost>
{
    [Fact]
    public async Task channels_follow_the_settings_and_a_disabled_channel_is_refused()
    {
        // SMS is configured in this host; email only reaches the pickup folder, so email codes are not on by default.
        var defaults = await (await host.SendAsync(null, s => s.Get.Url("/api/recovery/channels"))).ReadAsJsonAsync<ChannelsAnswer>();
        Assert.Equal(["email-link", "sms-otp"], defaults!.Channels);

        // Switching SMS off at run time takes it out of the defaults at once.
        var root = await host.FreshRootTokenAsync();
        Assert.Equal(200, (await host.SendAsync(root, s => s.Put.Json(new { enabled = false }).ToUrl("/api/settings/sms"))).Context.Response.StatusCode);
        var withoutSms = await (await host.SendAsync(null, s => s.Get.Url("/api/recovery/channels"))).ReadAsJsonAsync<ChannelsAnswer>();
        Assert.Equal(["email-link"], withoutSms!.Channels);
        Assert.Equal(200, (await host.SendAsync(root, s => s.Put.Json(new { enabled = true }).ToUrl("/api/settings/sms"))).Context.Response.StatusCode);

        var account = await host.NewAccountAsync();
        var refused = await host.SendAsync(null, s => s.Post.Json(new { login = account.Username, channel = "email-otp" }).ToUrl("/api/recovery/requests"));
        var problem = await Problem.ReadAsync(refused);
        Assert.Equal((400, "channel_disabled"), (problem.Status, problem.Code));
        var unknown = await Problem.ReadAsync(await host.SendAsync(null, s => s.Post.Json(new { login = account.Username, channel = "carrier-pigeon" }).ToUrl("/api/recovery/requests")));
        Assert.Equal("channel_disabled", unknown.Code);

        await host.PutSettingsAsync(new { channels = new[] { "sms-otp" }, linkLifetimeMinutes = 60, otpLifetimeMinutes = 5, otpLength = 8, otpMaxAttempts = 3, adminResetDelaySeconds = 0 });
        var now = await (await host.SendAsync(null, s => s.Get.Url("/api/recovery/channels"))).ReadAsJsonAsync<ChannelsAnswer>();
        Assert.Equal(["sms-otp"], now!.Channels);
        var link = await Problem.ReadAsync(await host.SendAsync(null, s => s.Post.Json(new { login = account.Username, channel = "email-link" }).ToUrl("/api/recovery/requests")));
        Assert.Equal("channel_disabled", link.Code);

        var requestId = await host.RequestAsync(account.Username, "sms-otp");
        var code = RecoveryTestHost.CodeIn(await host.MessageAsync(account.Phone!, "one-time-code"), length: 8);
        Assert.Equal(200, (await host.VerifyAsync(requestId, code)).Context.Response.StatusCode);
    }

    [Fact]
    public async Task settings_are_validated_and_kept_for_the_next_read()
    {
        var token = await host.FreshRootTokenAsync();
        var bad = await Problem.ReadAsync(await host.SendAsync(token, s => s.Put.Json(new { channels = new[] { "fax" }, linkLifetimeMinutes = 0, otpLifetimeMinutes = 10, otpLength = 2, otpMaxAttempts = 5, adminResetDelaySeconds = 0 }).ToUrl("/api/settings/recovery")));
        Assert.Equal((400, "invalid_request"), (bad.Status, bad.Code));

        var user = await host.NewAccountAsync();
        var userToken = await host.SignInAsync(user.Username, user.Password);
        Assert.Equal(403, (await host.SendAsync(userToken, s => s.Get.Url("/api/settings/recovery"))).Context.Response.StatusCode);
    }

    public sealed record ChannelsAnswer(string[] Channels);
}
