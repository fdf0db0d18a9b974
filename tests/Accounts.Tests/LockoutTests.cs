using Accounts.Contracts;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Testing;
using Wolverine;

namespace Accounts.Tests;

/// <summary>A host whose clock the tests move.</summary>
public sealed class ClockedAccountsHost : RecoveryHost
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

public sealed class LockoutTests(ClockedAccountsHost host) : IClassFixture<ClockedAccountsHost>
{
    private const string Password = "Juniper-Valley-64";

    private async Task<string> NewAccountAsync()
    {
        var username = $"lock{Guid.NewGuid():N}"[..12];
        await host.CreateAccountAsync(username, Password);
        return username;
    }

    private async Task<int> SignInStatusAsync(string username, string password) =>
        (await host.SendAsync(null, s => s.Post.Json(new { login = username, password }).ToUrl("/api/auth/login"))).Context.Response.StatusCode;

    private async Task LockAsync(string username)
    {
        for (var i = 0; i < 5; i++) Assert.Equal(401, await SignInStatusAsync(username, "Wrong-Password-1"));
    }

    [Fact]
    public async Task five_failed_sign_ins_lock_the_account_and_a_locked_sign_in_looks_like_a_wrong_password()
    {
        var username = await NewAccountAsync();
        await LockAsync(username);

        var locked = await host.SendAsync(null, s => s.Post.Json(new { login = username, password = Password }).ToUrl("/api/auth/login"));
        var wrong = await host.SendAsync(null, s => s.Post.Json(new { login = username, password = "Wrong-Password-1" }).ToUrl("/api/auth/login"));
        Assert.Equal(await Problem.ReadAsync(wrong), await Problem.ReadAsync(locked));

        var search = await (await host.SendAsync(await host.RootTokenAsync(), s => s.Get.Url($"/api/accounts?keyword={username}"))).ReadAsJsonAsync<AccountPageAnswer>();
        Assert.Equal("locked", Assert.Single(search!.Items).Status);
    }

    [Fact]
    public async Task a_token_stops_working_when_its_lifetime_is_over()
    {
        var username = await NewAccountAsync();
        var token = await host.SignInAsync(username, Password);
        // Used every 20 minutes, so that only the absolute lifetime can end it.
        for (var minutes = 20; minutes < 480; minutes += 20)
        {
            host.Clock.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(200, (await host.SendAsync(token, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        }

        host.Clock.Advance(TimeSpan.FromMinutes(19));
        Assert.Equal(200, (await host.SendAsync(token, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(401, (await host.SendAsync(token, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
    }

    [Fact]
    public async Task a_token_left_unused_for_the_idle_time_stops_working_and_every_use_starts_that_time_again()
    {
        var username = await NewAccountAsync();
        var token = await host.SignInAsync(username, Password);
        host.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(200, (await host.SendAsync(token, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        host.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(200, (await host.SendAsync(token, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        host.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(401, (await host.SendAsync(token, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        // The idle session is gone from the owner's list of sessions as well.
        var fresh = await host.SignInAsync(username, Password);
        var sessions = await (await host.SendAsync(fresh, s => s.Get.Url("/api/me/sessions"))).ReadAsTextAsync();
        Assert.Single(System.Text.Json.JsonDocument.Parse(sessions).RootElement.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task the_lock_ends_after_lockout_minutes()
    {
        var username = await NewAccountAsync();
        await LockAsync(username);
        host.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(401, await SignInStatusAsync(username, Password));
        host.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(200, await SignInStatusAsync(username, Password));
    }

    [Fact]
    public async Task an_administrator_unlock_lets_the_owner_sign_in_at_once()
    {
        var username = await NewAccountAsync();
        await LockAsync(username);
        var id = await IdOfAsync(username);

        var unlock = await host.SendAsync(await host.RootTokenAsync(), s => s.Post.Url($"/api/accounts/{id}/unlock"));
        Assert.Equal(204, unlock.Context.Response.StatusCode);
        Assert.Equal(200, await SignInStatusAsync(username, Password));
    }

    [Fact]
    public async Task a_password_reset_clears_the_lock()
    {
        var username = await NewAccountAsync();
        await LockAsync(username);
        var id = await IdOfAsync(username);

        using var scope = host.Host.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<SetPasswordResultV1>(
            new SetPasswordV1(id, "Tangerine-Summit-93", PasswordChangeReasons.SelfReset, null, Guid.NewGuid()));

        Assert.True(result.Succeeded);
        Assert.Equal(200, await SignInStatusAsync(username, "Tangerine-Summit-93"));
    }

    [Fact]
    public async Task concurrent_sign_ins_of_one_account_are_all_answered_and_all_failures_count()
    {
        var username = await NewAccountAsync();
        var client = host.Host.Server.CreateClient();
        var attempts = Enumerable.Range(0, 6).Select(i => client.PostAsync("/api/auth/login",
            System.Net.Http.Json.JsonContent.Create(new { login = username, password = "Wrong-Password-" + i })));
        var statuses = (await Task.WhenAll(attempts)).Select(r => (int)r.StatusCode).ToList();

        // Every attempt is answered as a failed sign-in (none collides), and five of them lock the account.
        Assert.All(statuses, s => Assert.Equal(401, s));
        Assert.Equal(401, await SignInStatusAsync(username, Password));
    }

    [Fact]
    public async Task a_temporary_password_stops_working_when_unused_for_its_lifetime()
    {
        var early = await NewAccountAsync();
        var late = await NewAccountAsync();
        using var scope = host.Host.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        foreach (var name in new[] { early, late })
        {
            var result = await bus.InvokeAsync<SetPasswordResultV1>(new SetPasswordV1(await IdOfAsync(name), "Temporary-Orbit-58", PasswordChangeReasons.AdminReset, null, Guid.NewGuid(), MustChangePassword: true));
            Assert.True(result.Succeeded);
        }

        host.Clock.Advance(TimeSpan.FromHours(71));
        Assert.Equal(200, await SignInStatusAsync(early, "Temporary-Orbit-58"));
        host.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(401, await SignInStatusAsync(late, "Temporary-Orbit-58"));
    }

    [Fact]
    public async Task a_recovery_flow_cannot_set_the_password_of_a_disabled_account()
    {
        var username = await NewAccountAsync();
        var id = await IdOfAsync(username);
        await host.SendAsync(await host.RootTokenAsync(), s => s.Patch.Json(new { disabled = true }).ToUrl($"/api/accounts/{id}"));

        using var scope = host.Host.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<SetPasswordResultV1>(
            new SetPasswordV1(id, "Tangerine-Summit-93", PasswordChangeReasons.SelfReset, null, Guid.NewGuid()));

        Assert.Equal((false, "account_disabled"), (result.Succeeded, result.Error));
    }

    [Fact]
    public async Task a_successful_sign_in_resets_the_failure_count()
    {
        var username = await NewAccountAsync();
        for (var i = 0; i < 4; i++) Assert.Equal(401, await SignInStatusAsync(username, "Wrong-Password-1"));
        Assert.Equal(200, await SignInStatusAsync(username, Password));
        for (var i = 0; i < 4; i++) Assert.Equal(401, await SignInStatusAsync(username, "Wrong-Password-1"));
        Assert.Equal(200, await SignInStatusAsync(username, Password));
    }

    private async Task<Guid> IdOfAsync(string username)
    {
        var page = await (await host.SendAsync(await host.RootTokenAsync(), s => s.Get.Url($"/api/accounts?keyword={username}"))).ReadAsJsonAsync<AccountPageAnswer>();
        return Assert.Single(page!.Items).Id;
    }
}

public sealed record AccountPageAnswer(AccountItem[] Items, int Total);

public sealed record AccountItem(Guid Id, string Username, string? Email, string? Phone, string[] Roles, string Status);

public sealed class CurrentPasswordGuessingTests(AccountsHost host) : IClassFixture<AccountsHost>
{
    [Fact]
    public async Task wrong_current_passwords_count_towards_the_lockout_and_the_lock_ends_the_sessions()
    {
        var username = $"guess{Guid.NewGuid():N}"[..12];
        await host.CreateAccountAsync(username, "Juniper-Valley-64");
        var token = await host.SignInAsync(username, "Juniper-Valley-64");

        for (var i = 0; i < 5; i++)
        {
            var guess = await host.SendAsync(token, s => s.Post.Json(new { currentPassword = $"Guess-{i}-Valley", newPassword = "Amber-Forest-77", confirmPassword = "Amber-Forest-77" }).ToUrl("/api/me/password"));
            Assert.Equal("invalid_current_password", (await Problem.ReadAsync(guess)).Code);
        }

        Assert.Equal(401, (await host.SendAsync(token, s => s.Get.Url("/api/me"))).Context.Response.StatusCode);
        var signIn = await host.SendAsync(null, s => s.Post.Json(new { login = username, password = "Juniper-Valley-64" }).ToUrl("/api/auth/login"));
        Assert.Equal("invalid_credentials", (await Problem.ReadAsync(signIn)).Code);
    }
}

/// <summary>A host with a tight per-address sign-in limit.</summary>
public sealed class ThrottledHost : RecoveryHost
{
    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?> { ["Accounts:SignInRateLimit:PerAddressPermits"] = "3" };
}

public sealed class SignInThrottlingTests(ThrottledHost host) : IClassFixture<ThrottledHost>
{
    [Fact]
    public async Task sign_ins_past_the_per_address_limit_are_answered_429_with_retry_after()
    {
        var statuses = new List<int>();
        IScenarioResult? last = null;
        for (var i = 0; i < 4; i++)
        {
            last = await host.SendAsync(null, s => s.Post.Json(new { login = $"someone{i}", password = "Whatever-Pass-1" }).ToUrl("/api/auth/login"));
            statuses.Add(last.Context.Response.StatusCode);
        }

        Assert.Equal([401, 401, 401, 429], statuses);
        var problem = await Problem.ReadAsync(last!);
        Assert.Equal("too_many_requests", problem.Code);
        Assert.True(int.Parse(last!.Context.Response.Headers.RetryAfter.ToString()) > 0);
    }
}

/// <summary>A tight per-address limit on failed sign-ins, for one test class alone (its counts are per address).</summary>
public sealed class OfficeHost : RecoveryHost
{
    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?> { ["Accounts:SignInRateLimit:PerAddressPermits"] = "3" };
}

public sealed class SharedSignInLimitTests(OfficeHost host) : IClassFixture<OfficeHost>
{
    private Task<IScenarioResult> SignInAsync(IAlbaHost through, string login, string password) =>
        through.Scenario(s =>
        {
            s.Post.Json(new { login, password }).ToUrl("/api/auth/login");
            s.IgnoreStatusCode();
        });

    [Fact]
    public async Task successes_do_not_count_failures_do_and_every_node_counts_against_the_same_limit()
    {
        await host.CreateAccountAsync("office", "Lantern-Orchard-88");
        // A whole office behind one address signs in: no 429.
        for (var i = 0; i < 10; i++) Assert.Equal(200, (await SignInAsync(host.Host, "office", "Lantern-Orchard-88")).Context.Response.StatusCode);

        // Wrong passwords through two nodes on one database count together: three allowed, the fourth refused.
        await using var second = await host.StartHostAsync();
        Assert.Equal(401, (await SignInAsync(host.Host, "office", "Wrong-Lantern-1")).Context.Response.StatusCode);
        Assert.Equal(401, (await SignInAsync(second, "office", "Wrong-Lantern-2")).Context.Response.StatusCode);
        Assert.Equal(401, (await SignInAsync(host.Host, "nobody-here", "Wrong-Lantern-3")).Context.Response.StatusCode);
        var refused = await SignInAsync(second, "office", "Wrong-Lantern-4");
        Assert.Equal((429, "too_many_requests"), ((await Problem.ReadAsync(refused)).Status, (await Problem.ReadAsync(refused)).Code));
        Assert.Equal(429, (await SignInAsync(host.Host, "office", "Lantern-Orchard-88")).Context.Response.StatusCode);
    }
}

/// <summary>A tight per-session limit on password-change attempts.</summary>
public sealed class ChangeLimitHost : RecoveryHost
{
    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?> { ["Accounts:PasswordChangeLimit:PerSessionAttempts"] = "3" };
}

public sealed class PasswordChangeLimitTests(ChangeLimitHost host) : IClassFixture<ChangeLimitHost>
{
    [Fact]
    public async Task a_session_past_its_change_attempts_is_answered_429_and_another_session_is_not()
    {
        await host.CreateAccountAsync("changer", "Juniper-Valley-64");
        var token = await host.SignInAsync("changer", "Juniper-Valley-64");
        var codes = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            var refused = await host.SendAsync(token, s => s.Post.Json(new { currentPassword = "Juniper-Valley-64", newPassword = "short", confirmPassword = "short" }).ToUrl("/api/me/password"));
            codes.Add((await Problem.ReadAsync(refused)).Code);
        }

        // The fourth attempt is refused before anything is hashed, even with a good new password.
        var limited = await host.SendAsync(token, s => s.Post.Json(new { currentPassword = "Juniper-Valley-64", newPassword = "Amber-Forest-77", confirmPassword = "Amber-Forest-77" }).ToUrl("/api/me/password"));
        var problem = await Problem.ReadAsync(limited);
        Assert.Equal(["password_policy", "password_policy", "password_policy"], codes);
        Assert.Equal((429, "too_many_requests"), (problem.Status, problem.Code));
        Assert.True(int.Parse(limited.Context.Response.Headers.RetryAfter.ToString()) > 0);

        // The owner, signed in again, is not held back by the other session's attempts.
        var fresh = await host.SignInAsync("changer", "Juniper-Valley-64");
        var changed = await host.SendAsync(fresh, s => s.Post.Json(new { currentPassword = "Juniper-Valley-64", newPassword = "Amber-Forest-77", confirmPassword = "Amber-Forest-77" }).ToUrl("/api/me/password"));
        Assert.Equal(204, changed.Context.Response.StatusCode);
    }
}
