using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using MimeKit;
using Npgsql;
using Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Pages.Tests;

[CollectionDefinition(Name)]
public sealed class PagesCollection : ICollectionFixture<BrowserHost>
{
    public const string Name = "pages";
}

/// <summary>
/// The real host on a real port (Kestrel), with its own database, a real SMTP server, the Vonage stand-in, a clock
/// the tests can move forward, and Debian's chromium driven by Playwright. One for all page tests, which run one
/// after the other and each use accounts of their own.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    public const string RootUsername = "root";
    public const string RootPassword = "Root-Passw0rd!x";
    public const string MailFrom = "recovery@example.test";

    private readonly string databaseName = $"test_{Guid.NewGuid():N}"[..20];
    private HostFactory factory = null!;
    private IPlaywright playwright = null!;
    private string? rootToken;

    public ShiftableClock Clock { get; } = new();

    public SmtpTestServer Smtp { get; private set; } = null!;

    public WireMockServer Vonage { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = string.Empty;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Screenshots of every page at both widths (git-ignored; README "Screenshots").</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(HostProgram.RepositoryRoot, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        Smtp = await SmtpTestServer.StartAsync();
        Vonage = WireMockServer.Start();
        Vonage.Given(Request.Create().WithPath("/sms/json").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"message-count":"1","messages":[{"to":"41446681800","message-id":"0A0000000123ABCD1","status":"0","remaining-balance":"3.14","message-price":"0.03","network":"22801"}]}"""));

        await using (var admin = new NpgsqlConnection(RecoveryHost.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{databaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        var port = SmtpTestServer.FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(RecoveryHost.AdminConnectionString) { Database = databaseName, MaxPoolSize = 30 }.ConnectionString,
            ["App:PublicBaseUrl"] = BaseUrl,
            ["Bootstrap:RootUsername"] = RootUsername,
            ["Bootstrap:RootPassword"] = RootPassword,
            ["Bootstrap:RootEmail"] = "root@example.test",
            ["Wolverine:Durability"] = "Solo",
            ["Mail:Enabled"] = "true",
            ["Mail:Host"] = "127.0.0.1",
            ["Mail:Port"] = Smtp.Port.ToString(),
            ["Mail:Security"] = "None",
            ["Mail:From"] = MailFrom,
            ["Mail:TimeoutSeconds"] = "5",
            ["Sms:Enabled"] = "true",
            ["Sms:Vonage:BaseUrl"] = Vonage.Url,
            ["Sms:Vonage:ApiKey"] = "vonage-key",
            ["Sms:Vonage:ApiSecret"] = "vonage-secret",
            ["Sms:Vonage:From"] = "Recovery",
            // A failed delivery is failed at once, so that the mail log and Redo can be shown without waiting for retries.
            ["Notifications:Delivery:MaxAttempts"] = "1",
            ["Accounts:Argon2:MemoryKiB"] = "1024",
            ["Accounts:Argon2:Iterations"] = "1",
            ["Accounts:SignInRateLimit:PerAddressPermits"] = "100000",
            ["Recovery:RateLimits:PerLoginPermits"] = "1000",
            ["Recovery:RateLimits:PerAddressPermits"] = "100000",
            ["Recovery:RateLimits:PerAddressRedeemPermits"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
        factory = new HostFactory(settings, services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        factory.UseKestrel(port);
        factory.StartServer();
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
        Http.Dispose();
        await factory.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(RecoveryHost.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists \"{databaseName}\" with (force)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        Vonage.Stop();
        Vonage.Dispose();
        await Smtp.DisposeAsync();
    }

    /// <summary>A fresh browser context (its own session storage, like another browser) and a page in it.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = width < 600 ? 780 : 900 },
            BaseURL = BaseUrl,
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task<string> RootTokenAsync()
    {
        if (rootToken is not null) return rootToken;
        rootToken = await TokenAsync(RootUsername, RootPassword);
        return rootToken;
    }

    public async Task<string> TokenAsync(string login, string password)
    {
        var answer = await Http.PostAsJsonAsync("/api/auth/login", new { login, password });
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<RecoveryHost.TokenAnswer>())!.Token;
    }

    public async Task<HttpResponseMessage> SendAsRootAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await RootTokenAsync());
        if (body is not null) request.Content = JsonContent.Create(body);
        return await Http.SendAsync(request);
    }

    /// <summary>A new account made through the API; the names are unique per call.</summary>
    public async Task<Person> NewPersonAsync(string name, string[]? roles = null, string? phone = null, bool mustChangePassword = false)
    {
        var username = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
        var person = new Person(Guid.Empty, username, $"{username}@example.test", phone, "Initial-Passw0rd!x");
        var answer = await SendAsRootAsync(HttpMethod.Post, "/api/accounts",
            new { username, email = person.Email, phone, roles = roles ?? ["user"], password = person.Password, mustChangePassword });
        answer.EnsureSuccessStatusCode();
        var id = (await answer.Content.ReadFromJsonAsync<RecoveryHost.IdAnswer>())!.Id;
        return person with { Id = id };
    }

    public async Task<MimeMessage> MailAsync(string to, Func<MimeMessage, bool>? match = null) =>
        await Wait.UntilAsync($"a message to {to}", () => Task.FromResult(Smtp.MessagesTo(to).LastOrDefault(m => match?.Invoke(m) ?? true)));

    public static string LinkIn(MimeMessage mail) =>
        Regex.Match(mail.TextBody ?? string.Empty, @"https?://\S+/reset-password\?token=[A-Za-z0-9_\-]+").Value is { Length: > 0 } link
            ? link
            : throw new InvalidOperationException("No reset link in: " + mail.TextBody);

    public static string CodeIn(string text) =>
        Regex.Match(text, @"\b(\d{6})\b").Groups[1].Value is { Length: > 0 } code ? code : throw new InvalidOperationException("No code in: " + text);

    /// <summary>The text of the last SMS the host sent to a number, as the Vonage stand-in received it.</summary>
    public async Task<string> SmsToAsync(string phone) =>
        await Wait.UntilAsync($"a text message to {phone}", () => Task.FromResult(Vonage.LogEntries
            .Select(e => e.RequestMessage.Body)
            .Where(b => b is not null)
            .Select(b => System.Web.HttpUtility.ParseQueryString(b!))
            .Where(f => f["to"] == phone.TrimStart('+'))
            .Select(f => f["text"])
            .LastOrDefault()));

    public static async Task SignInAsync(IPage page, string login, string password)
    {
        await page.GotoAsync("/");
        await page.GetByLabel("Username or email").FillAsync(login);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs in and waits until the page has moved on to the account's start page.</summary>
    public static async Task SignedInAsync(IPage page, string login, string password)
    {
        await SignInAsync(page, login, password);
        // A sign-in is an Argon2id hash; while the other test projects load the machine (three host processes among
        // them) it can take longer than the default wait, so this one wait is longer.
        try
        {
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath != "/", new() { Timeout = 45_000 });
        }
        catch (TimeoutException e)
        {
            // What the person would see: the form's message, or the form as it stands.
            throw new TimeoutException($"{e.Message}\nStill at {page.Url}, showing: {await page.Locator("main").InnerTextAsync()}", e);
        }
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var width = page.ViewportSize?.Width ?? 0;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}-{width}.png"), FullPage = true });
    }

    public sealed record Person(Guid Id, string Username, string Email, string? Phone, string Password);

    private sealed class HostFactory(IDictionary<string, string?> settings, Action<IServiceCollection> services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureServices(services);
        }
    }
}

/// <summary>The system clock plus an offset a test may move forward (time keeps running).</summary>
public sealed class ShiftableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + Offset;
}
