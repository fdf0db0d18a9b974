using Alba;
using Testing;

namespace Accounts.Tests;

/// <summary>The history window: historyCount N counts the current password; tests here change the policy, so they share a host of their own.</summary>
public sealed class PasswordHistoryTests(AccountsHost host) : IClassFixture<AccountsHost>
{
    private static readonly string[] Passwords = ["Alpha-Quartz-101", "Bravo-Quartz-202", "Charlie-Quartz-303", "Delta-Quartz-404", "Echo-Quartz-505", "Foxtrot-Quartz-606"];

    private async Task SetHistoryCountAsync(int count)
    {
        var root = await host.RootTokenAsync();
        var policy = await (await host.SendAsync(root, s => s.Get.Url("/api/settings/password-policy"))).ReadAsJsonAsync<Dictionary<string, object>>();
        policy!["historyCount"] = count;
        var put = await host.SendAsync(root, s => s.Put.Json(policy).ToUrl("/api/settings/password-policy"));
        Assert.Equal(200, put.Context.Response.StatusCode);
    }

    /// <summary>Changes through the list of passwords, signing in again after each change (a change ends the session).</summary>
    private async Task<string> ChangeThroughAsync(string username, int changes)
    {
        var current = Passwords[0];
        for (var i = 1; i <= changes; i++)
        {
            var token = await host.SignInAsync(username, current);
            var result = await host.SendAsync(token, s => s.Post.Json(new { currentPassword = current, newPassword = Passwords[i], confirmPassword = Passwords[i] }).ToUrl("/api/me/password"));
            Assert.Equal(204, result.Context.Response.StatusCode);
            current = Passwords[i];
        }

        return current;
    }

    private async Task<Problem?> TryChangeAsync(string username, string current, string next)
    {
        var token = await host.SignInAsync(username, current);
        var result = await host.SendAsync(token, s => s.Post.Json(new { currentPassword = current, newPassword = next, confirmPassword = next }).ToUrl("/api/me/password"));
        return result.Context.Response.StatusCode == 204 ? null : await Problem.ReadAsync(result);
    }

    [Fact]
    public async Task a_password_the_rules_refuse_is_not_compared_with_the_history()
    {
        await SetHistoryCountAsync(3);
        var username = $"hx{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(username, Passwords[0]);
        var current = await ChangeThroughAsync(username, 1);
        var token = await host.SignInAsync(username, current);
        // Passwords[0] is in the history, but the confirmation differs: the answer is the rule alone.
        var result = await host.SendAsync(token, s => s.Post.Json(new { currentPassword = current, newPassword = Passwords[0], confirmPassword = "something-else" }).ToUrl("/api/me/password"));
        Assert.Equal(["mismatch"], (await Problem.ReadAsync(result)).Violations);
        Assert.Contains("recently_used", (await TryChangeAsync(username, current, Passwords[0]))!.Violations);
    }

    [Fact]
    public async Task with_history_three_the_current_and_two_previous_passwords_are_refused_but_the_third_previous_is_allowed()
    {
        await SetHistoryCountAsync(3);
        var username = $"h3{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(username, Passwords[0]);
        var current = await ChangeThroughAsync(username, 3); // history: D(current), C, B, A

        Assert.Contains("recently_used", (await TryChangeAsync(username, current, Passwords[3]))!.Violations);
        Assert.Contains("recently_used", (await TryChangeAsync(username, current, Passwords[2]))!.Violations);
        Assert.Contains("recently_used", (await TryChangeAsync(username, current, Passwords[1]))!.Violations);
        Assert.Null(await TryChangeAsync(username, current, Passwords[0]));
    }

    [Fact]
    public async Task with_history_five_the_last_five_passwords_are_refused()
    {
        await SetHistoryCountAsync(5);
        var username = $"h5{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(username, Passwords[0]);
        var current = await ChangeThroughAsync(username, 5); // history: F(current), E, D, C, B, A

        foreach (var old in Passwords[1..6])
            Assert.Contains("recently_used", (await TryChangeAsync(username, current, old))!.Violations);
        Assert.Null(await TryChangeAsync(username, current, Passwords[0]));
    }

    [Fact]
    public async Task raising_the_history_count_applies_at_once_to_passwords_already_in_the_event_history()
    {
        await SetHistoryCountAsync(1);
        var username = $"hr{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(username, Passwords[0]);
        var current = await ChangeThroughAsync(username, 2); // history: C(current), B, A

        await SetHistoryCountAsync(3);

        Assert.Contains("recently_used", (await TryChangeAsync(username, current, Passwords[0]))!.Violations);
    }

    [Fact]
    public async Task history_zero_allows_even_the_current_password()
    {
        await SetHistoryCountAsync(0);
        var username = $"h0{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(username, Passwords[0]);
        Assert.Null(await TryChangeAsync(username, Passwords[0], Passwords[0]));
    }
}
