using System.Net;
using Alba;
using Testing;

namespace Accounts.Tests;

/// <summary>
/// Smart lockout through the API: wrong passwords sent from elsewhere lock out elsewhere, while the owner keeps signing in
/// from an address they have signed in from before (docs/adr/0016).
/// </summary>
public sealed class SmartLockoutTests(AccountsHost host) : IClassFixture<AccountsHost>
{
    private async Task<int> SignInFromAsync(string address, string login, string password) =>
        (await host.SendAsync(null, s =>
        {
            s.Post.Json(new { login, password }).ToUrl("/api/auth/login");
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address));
        })).Context.Response.StatusCode;

    [Fact]
    public async Task an_attacker_elsewhere_locks_out_elsewhere_and_not_the_owner_at_home()
    {
        const string password = "Sandstone-Bridge-77";
        var username = $"sl{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(username, password);
        Assert.Equal(200, await SignInFromAsync("198.51.100.7", username, password));

        for (var i = 0; i < 8; i++) Assert.Equal(401, await SignInFromAsync("203.0.113.9", username, "not-it-" + i));

        Assert.Equal(401, await SignInFromAsync("203.0.113.9", username, password)); // locked there, right password or not
        Assert.Equal(401, await SignInFromAsync("192.0.2.44", username, password));  // and for every other unfamiliar address
        Assert.Equal(200, await SignInFromAsync("198.51.100.7", username, password)); // the owner is not locked out

        var root = await host.RootTokenAsync();
        var found = await host.SendAsync(root, s => s.Get.Url($"/api/accounts?keyword={username}"));
        Assert.Contains("\"locked\"", await found.ReadAsTextAsync());
    }

    [Fact]
    public async Task failures_from_the_owners_own_address_still_lock_it()
    {
        const string password = "Sandstone-Bridge-78";
        var username = $"sm{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(username, password);
        Assert.Equal(200, await SignInFromAsync("198.51.100.8", username, password));

        for (var i = 0; i < 5; i++) Assert.Equal(401, await SignInFromAsync("198.51.100.8", username, "not-it-" + i));
        Assert.Equal(401, await SignInFromAsync("198.51.100.8", username, password));
    }
}
