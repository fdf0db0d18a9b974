using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace Pages.Tests;

/// <summary>An authenticator app set up on the account page, then used from the sign-in page's forgot-password choice.</summary>
[Collection(PagesCollection.Name)]
public sealed class AuthenticatorPageTests(BrowserHost host)
{
    [Fact]
    public async Task an_authenticator_is_set_up_on_the_account_page_and_recovers_the_password()
    {
        var settings = await (await host.SendAsRootAsync(HttpMethod.Get, "/api/settings/recovery")).Content.ReadFromJsonAsync<JsonElement>();
        var channels = settings.GetProperty("channels").EnumerateArray().Select(c => c.GetString()!).ToList();
        var withAuthenticator = JsonSerializer.Deserialize<Dictionary<string, object>>(settings.GetRawText())!;
        withAuthenticator["channels"] = channels.Append("authenticator").ToArray();
        (await host.SendAsRootAsync(HttpMethod.Put, "/api/settings/recovery", withAuthenticator)).EnsureSuccessStatusCode();
        try
        {
            var person = await host.NewPersonAsync("totp");
            var page = await host.NewPageAsync(360);
            await BrowserHost.SignInAsync(page, person.Username, person.Password);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Authenticator app" })).ToBeVisibleAsync();

            await page.GetByLabel("Your password (to change the authenticator app)").FillAsync(person.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Set up an authenticator app" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Img, new() { Name = "QR code of the key for your authenticator app" })).ToBeVisibleAsync();
            var key = Base32Encoding.ToBytes((await page.Locator("dd.secret").InnerTextAsync()).Replace(" ", string.Empty));
            var totp = new Totp(key);
            await page.GetByLabel("Code from the app").FillAsync(totp.ComputeTotp(host.Clock.GetUtcNow().UtcDateTime));
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Expect(page.GetByText("Your authenticator app is set up.")).ToBeVisibleAsync();
            await BrowserHost.ScreenshotAsync(page, "account-authenticator-360");
            await page.Context.CloseAsync();

            // Forgotten: the login and the app's next code lead to the new-password page.
            var recovering = await host.NewPageAsync();
            await recovering.GotoAsync("/");
            await recovering.GetByRole(AriaRole.Link, new() { Name = "Forgot password?" }).ClickAsync();
            await Expect(recovering.GetByRole(AriaRole.Heading, new() { Name = "Forgot password" })).ToBeVisibleAsync();
            await Expect(recovering.GetByLabel("Use my authenticator app")).ToBeVisibleAsync();
            await recovering.GetByLabel("Username or email").FillAsync(person.Username);
            await recovering.GetByLabel("Use my authenticator app").CheckAsync();
            await recovering.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Expect(recovering.GetByText("Open your authenticator app and enter the 6-digit code it shows now for this account.")).ToBeVisibleAsync();
            // The code of the next 30-second step: the one used to confirm cannot serve again.
            await recovering.GetByLabel("Code", new() { Exact = true }).FillAsync(totp.ComputeTotp(host.Clock.GetUtcNow().UtcDateTime.AddSeconds(30)));
            await recovering.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Expect(recovering.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password" })).ToBeVisibleAsync();
            await recovering.GetByLabel("New password", new() { Exact = true }).FillAsync("Juniper-Compass-7391");
            await recovering.GetByLabel("New password again").FillAsync("Juniper-Compass-7391");
            await recovering.GetByRole(AriaRole.Button, new() { Name = "Set new password" }).ClickAsync();
            await Expect(recovering.GetByText("Your password has been changed")).ToBeVisibleAsync();
            await BrowserHost.SignInAsync(recovering, person.Username, "Juniper-Compass-7391");
            await Expect(recovering.GetByRole(AriaRole.Heading, new() { Name = "My account" })).ToBeVisibleAsync();
            await recovering.Context.CloseAsync();
        }
        finally
        {
            var restored = JsonSerializer.Deserialize<Dictionary<string, object>>(settings.GetRawText())!;
            (await host.SendAsRootAsync(HttpMethod.Put, "/api/settings/recovery", restored)).EnsureSuccessStatusCode();
        }
    }
}
