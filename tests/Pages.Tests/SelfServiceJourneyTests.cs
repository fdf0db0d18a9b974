using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Pages.Tests;

/// <summary>A person who forgot their password gets back in through each channel, reading the real messages.</summary>
[Collection(PagesCollection.Name)]
public sealed class SelfServiceJourneyTests(BrowserHost host)
{
    private const string NewPassword = "Basalt-Signal-7070!";

    private static async Task RequestAsync(IPage page, string login, string choice)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot password?" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forgot password" })).ToBeVisibleAsync();
        await page.GetByLabel("Username or email").FillAsync(login);
        await page.GetByLabel(choice).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
    }

    private static async Task ChooseNewPasswordAsync(IPage page, string password)
    {
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("New password again").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();
    }

    private static async Task SignsInWithAsync(IPage page, BrowserHost.Person person, string password)
    {
        await BrowserHost.SignInAsync(page, person.Username, password);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
        await Expect(page.GetByText(person.Email)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task email_link_from_the_mail_to_a_new_password_with_a_policy_violation_on_the_way()
    {
        var person = await host.NewPersonAsync("link");
        var page = await host.NewPageAsync();

        await RequestAsync(page, person.Email, "Email me a link");
        await Expect(page.GetByText("we have sent it a link")).ToBeVisibleAsync();

        var link = BrowserHost.LinkIn(await host.MailAsync(person.Email));
        Assert.StartsWith(host.BaseUrl + "/reset-password?token=", link);
        var response = await page.GotoAsync(link);
        Assert.Equal("no-referrer", response!.Headers["referrer-policy"]);
        Assert.Equal("no-store", response.Headers["cache-control"]);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();
        // The token is gone from the address bar and from the history entry as soon as the page has read it.
        Assert.Equal(host.BaseUrl + "/reset-password", page.Url);
        Assert.Equal("/reset-password", await page.EvaluateAsync<string>("() => location.pathname + location.search"));

        // The rules are shown before typing and checked while typing.
        await Expect(page.GetByText("have at least 8 characters")).ToBeVisibleAsync();
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Lanternorchard88");
        await Expect(page.Locator(".rule.unmet", new() { HasText = "not a letter or digit" })).ToBeVisibleAsync();

        // A violation only the service finds is shown next to the field it concerns, and what was typed stays.
        await ChooseNewPasswordAsync(page, "Lanternorchard88");
        var newField = page.Locator("[data-field=newPassword]");
        await Expect(newField.Locator(".field-error")).ToHaveTextAsync("Add a character that is not a letter or digit.");
        await Expect(page.GetByLabel("New password", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("New password again")).ToHaveValueAsync("Lanternorchard88");

        // A password that meets every composition rule but is easy to guess gets the service's advice beside it.
        await ChooseNewPasswordAsync(page, "Password123!");
        await Expect(newField.Locator(".field-error")).ToContainTextAsync("too common");
        await Expect(newField.Locator(".field-error")).ToContainTextAsync("Add another word or two.");

        await ChooseNewPasswordAsync(page, NewPassword);
        await Expect(page.GetByText("Your password has been changed")).ToBeVisibleAsync();
        Assert.Equal(host.BaseUrl + "/", page.Url);

        await SignsInWithAsync(page, person, NewPassword);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task email_code_to_a_new_password_after_a_wrong_code()
    {
        var person = await host.NewPersonAsync("ecode");
        var page = await host.NewPageAsync(360);

        await RequestAsync(page, person.Username, "Email me a code");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        var codeField = page.GetByLabel("Code", new() { Exact = true });
        await Expect(codeField).ToHaveAttributeAsync("autocomplete", "one-time-code");
        await Expect(codeField).ToHaveAttributeAsync("inputmode", "numeric");

        var code = BrowserHost.CodeIn((await host.MailAsync(person.Email)).TextBody!);
        var wrong = code == "000000" ? "111111" : "000000";
        await codeField.FillAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.GetByText("That code is not right.")).ToBeVisibleAsync();

        await codeField.FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();
        Assert.Equal(host.BaseUrl + "/reset-password", page.Url);
        await ChooseNewPasswordAsync(page, NewPassword);
        await Expect(page.GetByText("Your password has been changed")).ToBeVisibleAsync();

        await SignsInWithAsync(page, person, NewPassword);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task sms_code_to_a_new_password()
    {
        var phone = "+4144668" + Random.Shared.Next(1000, 9999);
        var person = await host.NewPersonAsync("sms", phone: phone);
        var page = await host.NewPageAsync();

        await RequestAsync(page, person.Username, "Text me a code");
        await Expect(page.GetByText("by text message")).ToBeVisibleAsync();
        var code = BrowserHost.CodeIn(await host.SmsToAsync(phone));
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await ChooseNewPasswordAsync(page, NewPassword);
        await Expect(page.GetByText("Your password has been changed")).ToBeVisibleAsync();

        await SignsInWithAsync(page, person, NewPassword);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task an_expired_link_says_so_and_offers_a_new_request()
    {
        var person = await host.NewPersonAsync("expired");
        var page = await host.NewPageAsync();
        await RequestAsync(page, person.Username, "Email me a link");
        var link = BrowserHost.LinkIn(await host.MailAsync(person.Email));

        host.Clock.Offset += TimeSpan.FromHours(25);
        try
        {
            await page.GotoAsync(link);
            await ChooseNewPasswordAsync(page, NewPassword);
            await Expect(page.GetByText("This link has expired.")).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Ask for a new link or code" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forgot password" })).ToBeVisibleAsync();
        }
        finally
        {
            host.Clock.Offset -= TimeSpan.FromHours(25);
        }

        await SignsInWithAsync(page, person, person.Password);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task a_double_click_sends_one_request_and_the_button_shows_progress()
    {
        var person = await host.NewPersonAsync("double");
        var page = await host.NewPageAsync();
        var requests = 0;
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/api/recovery/requests")) Interlocked.Increment(ref requests);
        };
        await page.GotoAsync("/forgot-password");
        await page.GetByLabel("Username or email").FillAsync(person.Username);
        await page.GetByLabel("Email me a link").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).DblClickAsync();
        await Expect(page.GetByText("we have sent it a link")).ToBeVisibleAsync();
        await host.MailAsync(person.Email);
        Assert.Equal(1, requests);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task the_confirmation_is_the_same_for_an_unknown_login()
    {
        var page = await host.NewPageAsync();
        await RequestAsync(page, "nobody-" + Guid.NewGuid().ToString("N")[..8], "Email me a link");
        await Expect(page.GetByText("If an account matches what you typed and has an email address, we have sent it a link")).ToBeVisibleAsync();

        await RequestAsync(page, "nobody-" + Guid.NewGuid().ToString("N")[..8], "Text me a code");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Enter your code" })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
