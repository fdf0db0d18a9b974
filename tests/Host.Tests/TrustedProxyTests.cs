using System.Net;
using System.Text.Json;
using Alba;
using Testing;

namespace Host.Tests;

public sealed class ProxiedHost : RecoveryHost
{
    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?> { ["ForwardedHeaders:KnownProxies"] = "10.1.2.3" };
}

/// <summary>The client's address comes from X-Forwarded-For only when a configured proxy sent the request.</summary>
public sealed class TrustedProxyTests(ProxiedHost host) : IClassFixture<ProxiedHost>
{
    private async Task<string?> SignedInFromAsync(string connectionAddress)
    {
        var signIn = await host.Host.Scenario(s =>
        {
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(connectionAddress));
            s.WithRequestHeader("X-Forwarded-For", "203.0.113.7");
            s.Post.Json(new { login = RecoveryHost.RootUsername, password = RecoveryHost.RootPassword }).ToUrl("/api/auth/login");
        });
        var token = (await signIn.ReadAsJsonAsync<RecoveryHost.TokenAnswer>())!.Token;
        var sessions = await host.SendAsync(token, s => s.Get.Url("/api/me/sessions"));
        using var json = JsonDocument.Parse(await sessions.ReadAsTextAsync());
        return json.RootElement.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("current").GetBoolean()).GetProperty("clientIp").GetString();
    }

    [Fact]
    public async Task the_forwarded_address_counts_from_a_known_proxy_and_from_nobody_else()
    {
        Assert.Equal("203.0.113.7", await SignedInFromAsync("10.1.2.3"));
        Assert.Equal("10.9.9.9", await SignedInFromAsync("10.9.9.9"));
    }
}
