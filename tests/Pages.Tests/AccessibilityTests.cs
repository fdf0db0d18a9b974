using System.Net.Http.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Pages.Tests;

/// <summary>
/// Every page at 360 px and at 1280 px: axe-core finds no serious or critical violation, and a screenshot of each is
/// written to TestResults/screenshots.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class AccessibilityTests(BrowserHost host)
{
    private async Task CheckAsync(IPage page, string path, string name, string heading)
    {
        await page.GotoAsync(path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1, Name = heading })).ToBeVisibleAsync();
        await Expect(page.Locator("main[aria-busy]")).ToHaveCountAsync(0);
        await Expect(page.Locator("[aria-busy=true]")).ToHaveCountAsync(0);
        await BrowserHost.ScreenshotAsync(page, name);

        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{path} at {page.ViewportSize?.Width} px: " + string.Join("; ",
            serious.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));

        // Nothing wider than the window: the page works at this width without sideways scrolling.
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{path} at {page.ViewportSize?.Width} px is {overflow} px wider than the window.");
    }

    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task every_page_is_accessible_and_fits(int width)
    {
        var person = await host.NewPersonAsync("a11y", phone: "+41446681801");
        var forced = await host.NewPersonAsync("forced", mustChangePassword: true);
        var test = await host.SendAsRootAsync(HttpMethod.Post, "/api/settings/mail/test", new { to = "a11y@example.test" });
        test.EnsureSuccessStatusCode();
        var taskId = (await test.Content.ReadFromJsonAsync<TaskAnswer>())!.TaskId;
        await host.MailAsync("a11y@example.test");

        var anonymous = await host.NewPageAsync(width);
        await CheckAsync(anonymous, "/", "sign-in", "Sign in");
        await CheckAsync(anonymous, "/forgot-password", "forgot-password", "Forgot password");
        await anonymous.EvaluateAsync("() => sessionStorage.setItem('recovery.flow', JSON.stringify({ requestId: '00000000-0000-4000-8000-000000000001', channel: 'email-otp' }))");
        await CheckAsync(anonymous, "/verify-code", "verify-code", "Enter your code");
        await CheckAsync(anonymous, "/reset-password?token=not-a-real-token", "reset-password", "Choose a new password");
        await CheckAsync(anonymous, "/no-such-page", "not-found", "Page not found");
        await anonymous.Context.CloseAsync();

        var user = await host.NewPageAsync(width);
        await BrowserHost.SignedInAsync(user, person.Username, person.Password);
        await CheckAsync(user, "/account", "account", "My account");
        await CheckAsync(user, "/admin/accounts", "forbidden", "Not available to you");
        await user.Context.CloseAsync();

        var mustChange = await host.NewPageAsync(width);
        await BrowserHost.SignedInAsync(mustChange, forced.Username, forced.Password);
        await CheckAsync(mustChange, "/change-password", "change-password-forced", "Choose a new password");
        await mustChange.Context.CloseAsync();

        var root = await host.NewPageAsync(width);
        await BrowserHost.SignedInAsync(root, BrowserHost.RootUsername, BrowserHost.RootPassword);
        await CheckAsync(root, "/admin/accounts", "admin-accounts", "Accounts");
        await CheckAsync(root, "/admin/accounts/new", "admin-account-new", "Create account");
        await CheckAsync(root, $"/admin/accounts/{person.Id}", "admin-account", $"Account {person.Username}");
        await CheckAsync(root, "/admin/tasks", "admin-tasks", "Scheduled tasks");
        await CheckAsync(root, "/admin/mail-log", "admin-mail-log", "Mail log");
        await CheckAsync(root, $"/admin/mail-log/{taskId}", "admin-message", "Message");
        await CheckAsync(root, "/admin/settings", "admin-settings", "Settings");
        await CheckAsync(root, "/audit/resets", "audit-resets", "Reset history");
        await CheckAsync(root, "/audit/events", "audit-events", "Security log");
        await root.Context.CloseAsync();
    }

    private sealed record TaskAnswer(Guid TaskId);
}
