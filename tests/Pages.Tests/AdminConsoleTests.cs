using System.Net.Http.Json;
using Microsoft.Playwright;
using Testing;
using static Microsoft.Playwright.Assertions;

namespace Pages.Tests;

/// <summary>An administrator and an auditor at work, reading the real messages.</summary>
[Collection(PagesCollection.Name)]
public sealed class AdminConsoleTests(BrowserHost host)
{
    private async Task<IPage> RootPageAsync(int width = 1280)
    {
        var page = await host.NewPageAsync(width);
        await BrowserHost.SignInAsync(page, BrowserHost.RootUsername, BrowserHost.RootPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accounts", Exact = true })).ToBeVisibleAsync();
        return page;
    }

    private static async Task OpenAccountAsync(IPage page, BrowserHost.Person person)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Accounts" }).ClickAsync();
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search" }).FillAsync(person.Username);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = person.Username, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Account {person.Username}" })).ToBeVisibleAsync();
    }

    private static async Task ResetAsync(IPage page, string method, int delaySeconds)
    {
        await page.GetByLabel(method).CheckAsync();
        await page.GetByLabel("Delay before sending (seconds)").FillAsync(delaySeconds.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm reset" }).ClickAsync();
        await Expect(page.GetByText("was scheduled")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task a_temporary_password_from_the_admin_console_forces_a_change_at_the_next_sign_in()
    {
        var person = await host.NewPersonAsync("temp");
        var admin = await RootPageAsync();
        await OpenAccountAsync(admin, person);
        await ResetAsync(admin, "Temporary password (the person must change it at next sign-in)", 0);
        await Expect(admin.GetByRole(AriaRole.Link, new() { Name = "View the scheduled task" })).ToBeVisibleAsync();

        var mail = await host.MailAsync(person.Email, m => m.TextBody?.Contains("temporary password") == true);
        var temporary = System.Text.RegularExpressions.Regex.Match(mail.TextBody!, @"temporary password:\s+(\S+)").Groups[1].Value;
        Assert.NotEmpty(temporary);

        var page = await host.NewPageAsync(360);
        await BrowserHost.SignInAsync(page, person.Username, temporary);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();
        Assert.Equal(host.BaseUrl + "/change-password", page.Url);
        // Nowhere else until the password is changed.
        await page.GotoAsync("/account");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();

        await page.GetByLabel("Current password").FillAsync(temporary);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Cobalt-Meadow-5151!");
        await page.GetByLabel("New password again").FillAsync("Cobalt-Meadow-5151!");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(page.GetByText("Your password has been changed")).ToBeVisibleAsync();
        await BrowserHost.SignInAsync(page, person.Username, "Cobalt-Meadow-5151!");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task a_link_reset_waits_in_scheduled_tasks_and_then_is_done()
    {
        var person = await host.NewPersonAsync("later");
        var admin = await RootPageAsync();
        await OpenAccountAsync(admin, person);
        await ResetAsync(admin, "Reset link by email", 4);

        await admin.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Scheduled tasks" }).ClickAsync();
        var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = person.Email });
        await Expect(row).ToContainTextAsync("Waiting");
        await BrowserHost.ScreenshotAsync(admin, "admin-tasks-waiting");

        await host.MailAsync(person.Email);
        await Wait.UntilAsync("the task to be done", async () =>
        {
            await admin.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
            return (await row.TextContentAsync())?.Contains("Done") == true;
        }, TimeSpan.FromSeconds(30));
        await Expect(row.GetByRole(AriaRole.Button, new() { NameRegex = new("^Redo") })).ToBeVisibleAsync();
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task a_failed_mail_shows_the_servers_error_and_is_sent_by_redo_after_the_settings_are_fixed()
    {
        var closedPort = SmtpTestServer.FreePort();
        var admin = await RootPageAsync();
        var to = $"test-{Guid.NewGuid():N}"[..13] + "@example.test";
        try
        {
            await admin.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
            await admin.GetByLabel("Port").FillAsync(closedPort.ToString());
            await admin.GetByRole(AriaRole.Button, new() { Name = "Save mail settings" }).ClickAsync();
            await Expect(admin.GetByText("Saved. The stored values are shown.")).ToBeVisibleAsync();
            await admin.GetByLabel("To", new() { Exact = true }).FillAsync(to);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Send test message" }).ClickAsync();
            await Expect(admin.GetByText("A test message was queued")).ToBeVisibleAsync();

            await admin.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Mail log" }).ClickAsync();
            var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = to });
            await Wait.UntilAsync("the failure in the mail log", async () =>
            {
                await admin.ReloadAsync();
                return await row.CountAsync() > 0;
            }, TimeSpan.FromSeconds(30));
            await Expect(row).ToContainTextAsync("Failed");
            // The server's own words: here the operating system's answer to a connection to a closed port.
            await Expect(row).ToContainTextAsync(new System.Text.RegularExpressions.Regex("refused", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
            await BrowserHost.ScreenshotAsync(admin, "admin-mail-log-failed");

            await admin.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
            await admin.GetByLabel("Port").FillAsync(host.Smtp.Port.ToString());
            await admin.GetByRole(AriaRole.Button, new() { Name = "Save mail settings" }).ClickAsync();
            await Expect(admin.GetByText("Saved. The stored values are shown.")).ToBeVisibleAsync();

            await admin.GetByRole(AriaRole.Link, new() { Name = "Mail log" }).ClickAsync();
            await row.GetByRole(AriaRole.Link).First.ClickAsync();
            await Expect(admin.GetByText("Connection refused").Or(admin.GetByText("refused")).First).ToBeVisibleAsync();
            await admin.GetByRole(AriaRole.Button, new() { NameRegex = new("^Redo") }).ClickAsync();
            await admin.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Expect(admin.GetByText("The task will run again now.")).ToBeVisibleAsync();
            await host.MailAsync(to);
        }
        finally
        {
            (await host.SendAsRootAsync(HttpMethod.Put, "/api/settings/mail", new { port = host.Smtp.Port })).EnsureSuccessStatusCode();
        }
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task an_auditor_finds_a_reset_in_the_history_and_downloads_it_as_csv()
    {
        var person = await host.NewPersonAsync("audited");
        (await host.Http.PostAsJsonAsync("/api/recovery/requests", new { login = person.Username, channel = "email-link" })).EnsureSuccessStatusCode();
        await host.MailAsync(person.Email);
        var auditor = await host.NewPersonAsync("auditor", roles: ["auditor"]);

        var page = await host.NewPageAsync();
        await BrowserHost.SignInAsync(page, auditor.Username, auditor.Password);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reset history" })).ToBeVisibleAsync();
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Accounts" })).ToHaveCountAsync(0);

        await page.GetByLabel("Account id").FillAsync(person.Id.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = person.Username });
        await Wait.UntilAsync("the reset in the history", async () =>
        {
            if (await row.CountAsync() > 0) return true;
            await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
            await Task.Delay(300);
            return false;
        }, TimeSpan.FromSeconds(30));
        await Expect(row).ToContainTextAsync("Link by email");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        Assert.Equal("reset-history.csv", download.SuggestedFilename);
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains(person.Id.ToString(), csv);
        Assert.Contains("email-link", csv);

        await nav.GetByRole(AriaRole.Link, new() { Name = "Security log" }).ClickAsync();
        await page.GetByLabel("Account id").FillAsync(person.Id.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Nth(1)).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
