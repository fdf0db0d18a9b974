using System.Net;
using Alba;
using Testing;

namespace Recovery.Tests;

/// <summary>A host with low limits: two requests per login and six per address in the window.</summary>
public sealed class LowLimitsHost : RecoveryTestHost
{
    protected override IDictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["Recovery:RateLimits:PerLoginPermits"] = "2";
        settings["Recovery:RateLimits:PerAddressPermits"] = "6";
        return settings;
    }
}

public sealed class RateLimitTests(LowLimitsHost host) : IClassFixture<LowLimitsHost>
{
    private Task<IScenarioResult> RequestFromAsync(string address, string login) =>
        host.SendAsync(null, s =>
        {
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address));
            s.Post.Json(new { login, channel = "email-link" }).ToUrl("/api/recovery/requests");
        });

    [Fact]
    public async Task a_login_gets_429_with_retry_after_past_its_limit_whether_it_exists_or_not()
    {
        var known = await host.NewAccountAsync();
        var unknown = $"ghost-{Guid.NewGuid():N}";
        foreach (var login in new[] { known.Username, unknown })
        {
            Assert.Equal(202, (await RequestFromAsync("198.51.100.1", login)).Context.Response.StatusCode);
            Assert.Equal(202, (await RequestFromAsync("198.51.100.1", login)).Context.Response.StatusCode);
            var refused = await RequestFromAsync("198.51.100.1", login);
            var problem = await Problem.ReadAsync(refused);
            Assert.Equal((429, "too_many_requests"), (problem.Status, problem.Code));
            Assert.True(int.Parse(refused.Context.Response.Headers.RetryAfter.ToString()) > 0);
        }
    }

    [Fact]
    public async Task an_address_gets_429_with_retry_after_past_its_limit()
    {
        for (var i = 0; i < 6; i++)
            Assert.Equal(202, (await RequestFromAsync("203.0.113.9", $"someone-{i}-{Guid.NewGuid():N}")).Context.Response.StatusCode);
        var refused = await RequestFromAsync("203.0.113.9", $"someone-else-{Guid.NewGuid():N}");
        Assert.Equal((429, "too_many_requests"), ((await Problem.ReadAsync(refused)).Status, (await Problem.ReadAsync(refused)).Code));
        Assert.True(int.Parse(refused.Context.Response.Headers.RetryAfter.ToString()) > 0);

        // Another address is not held back by this one.
        Assert.Equal(202, (await RequestFromAsync("203.0.113.10", $"someone-{Guid.NewGuid():N}")).Context.Response.StatusCode);
    }
}
