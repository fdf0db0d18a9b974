using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Pages.Tests;

[Collection(PagesCollection.Name)]
public sealed class AccountPageTests(BrowserHost host)
{
    [Fact]
    public async Task a_password_change_signs_out_every_session_including_another_browser()
    {
        var person = await host.NewPersonAsync("change");
        var here = await host.NewPageAsync();
        var elsewhere = await host.NewPageAsync(360);
        await BrowserHost.SignInAsync(here, person.Username, person.Password);
        await BrowserHost.SignInAsync(elsewhere, person.Username, person.Password);
        await Expect(elsewhere.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
        await Expect(here.GetByText("Changing your password signs you out everywhere, on this device too.")).ToBeVisibleAsync();
        await Expect(here.GetByRole(AriaRole.Cell, new() { Name = "This session" })).ToBeVisibleAsync();

        await here.GetByLabel("Current password").FillAsync("not-my-password");
        await here.GetByLabel("New password", new() { Exact = true }).FillAsync("Granite-Harbor-4242!");
        await here.GetByLabel("New password again").FillAsync("Granite-Harbor-4242!");
        await here.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(here.Locator("[data-field=currentPassword] .field-error")).ToHaveTextAsync("The current password is not correct.");

        await here.GetByLabel("Current password").FillAsync(person.Password);
        await here.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();
        await Expect(here.GetByText("Your password has been changed and every session was signed out.")).ToBeVisibleAsync();
        await Expect(here.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();

        // The other browser's next step meets the ended session and returns to sign-in.
        await elsewhere.GetByRole(AriaRole.Link, new() { Name = "My account" }).ClickAsync();
        await Expect(elsewhere.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(elsewhere.GetByText("Your session has ended. Please sign in again.")).ToBeVisibleAsync();
        Assert.Null(await elsewhere.EvaluateAsync<string?>("() => sessionStorage.getItem('recovery.session')"));

        await BrowserHost.SignInAsync(elsewhere, person.Username, "Granite-Harbor-4242!");
        await Expect(elsewhere.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
        await here.Context.CloseAsync();
        await elsewhere.Context.CloseAsync();
    }

    [Fact]
    public async Task a_wrong_password_and_a_disabled_account_look_the_same_and_sign_out_forgets_the_token()
    {
        var person = await host.NewPersonAsync("same");
        var disabled = await host.NewPersonAsync("off");
        (await host.SendAsRootAsync(HttpMethod.Patch, $"/api/accounts/{disabled.Id}", new { disabled = true })).EnsureSuccessStatusCode();
        var page = await host.NewPageAsync();

        const string refused = "The username or password is not correct.";
        await BrowserHost.SignInAsync(page, person.Username, "wrong-password");
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(refused);
        await BrowserHost.SignInAsync(page, disabled.Username, disabled.Password);
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(refused);
        await Expect(page.GetByLabel("Username or email")).ToHaveValueAsync(disabled.Username);

        await BrowserHost.SignInAsync(page, person.Username, person.Password);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
        Assert.Empty(await page.EvaluateAsync<string[]>("() => Object.keys(localStorage)"));
        Assert.DoesNotContain("token", page.Url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('recovery.session')"));
        await page.GotoAsync("/account");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task a_plain_user_sees_no_admin_navigation_and_cannot_open_admin_or_audit_pages()
    {
        var person = await host.NewPersonAsync("plain");
        var page = await host.NewPageAsync();
        await BrowserHost.SignInAsync(page, person.Username, person.Password);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Accounts" })).ToHaveCountAsync(0);
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Reset history" })).ToHaveCountAsync(0);

        foreach (var path in new[] { "/admin/accounts", "/admin/settings", "/admin/tasks", "/audit/resets" })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not available to you" })).ToBeVisibleAsync();
        }
        await page.Context.CloseAsync();
    }
}
