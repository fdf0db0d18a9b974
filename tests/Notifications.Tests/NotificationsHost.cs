using System.Collections.Concurrent;
using System.Security.Cryptography;
using Alba;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Notifications.Contracts;
using Notifications.MailLog;
using Notifications.Settings;
using Notifications.Tasks;
using Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Wolverine;
using Wolverine.Tracking;

namespace Notifications.Tests;

/// <summary>
/// The host with SMTP on (a real aiosmtpd server), SMS through a WireMock stand-in for Vonage, fast retries,
/// and every log line captured so that tests can look for secrets in it.
/// </summary>
public class NotificationsHost : RecoveryHost
{
    public const string MailFrom = "recovery@example.test";
    public const string VonageApiKey = "vonage-key-17";
    public const string VonageApiSecret = "Vonage-Api-Secret-5xQ";
    public const string VonageFrom = "RecoveryApp";

    /// <summary>Numbers Vonage refuses in the stand-in.</summary>
    public const string UnroutableNumber = "+15005550009";

    /// <summary>A number for which the stand-in answers HTTP 500, as Vonage does when it has trouble of its own.</summary>
    public const string TroubledNumber = "+15005550500";

    public SmtpTestServer Smtp { get; private set; } = null!;

    public WireMockServer Vonage { get; private set; } = null!;

    public LogCapture Logs { get; } = new();

    public override async Task InitializeAsync()
    {
        Smtp = await SmtpTestServer.StartAsync();
        Vonage = WireMockServer.Start();
        Vonage.Given(Request.Create().WithPath("/sms/json").UsingPost())
            .AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"message-count":"1","messages":[{"to":"41446681800","message-id":"0A0000000123ABCD1","status":"0","remaining-balance":"3.14","message-price":"0.03","network":"22801"}]}"""));
        Vonage.Given(Request.Create().WithPath("/sms/json").UsingPost().WithBody(b => b is not null && b.Contains("to=" + UnroutableNumber.TrimStart('+'))))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"message-count":"1","messages":[{"status":"6","error-text":"Unroutable message - rejected"}]}"""));
        Vonage.Given(Request.Create().WithPath("/sms/json").UsingPost().WithBody(b => b is not null && b.Contains("to=" + TroubledNumber.TrimStart('+'))))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(500));
        await base.InitializeAsync();
    }

    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["Mail:Enabled"] = "true",
        ["Mail:Host"] = "127.0.0.1",
        ["Mail:Port"] = Smtp.Port.ToString(),
        ["Mail:Security"] = "None",
        ["Mail:From"] = MailFrom,
        ["Mail:TimeoutSeconds"] = "5",
        ["Sms:Enabled"] = "true",
        ["Sms:Vonage:BaseUrl"] = Vonage.Url,
        ["Sms:Vonage:ApiKey"] = VonageApiKey,
        ["Sms:Vonage:ApiSecret"] = VonageApiSecret,
        ["Sms:Vonage:From"] = VonageFrom,
        ["Notifications:Delivery:MaxAttempts"] = "2",
        ["Notifications:Delivery:RetryDelaySeconds"] = "0.2",
        // Everything, so that a secret in any log line would be seen.
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Wolverine"] = "Debug",
        ["Logging:LogLevel:Marten"] = "Debug",
        ["Logging:LogLevel:JasperFx"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
        Vonage.Stop();
        Vonage.Dispose();
    }

    /// <summary>What a sending module does with its one-time secret.</summary>
    public string Protect(string secret) => Service<IDataProtectionProvider>().CreateProtector(SecretProtection.Purpose).Protect(secret);

    /// <summary>Sends the request as another module would, and waits until its handling (and an immediate delivery) is done.</summary>
    public Task SendAsync(SendNotificationV1 message, IAlbaHost? host = null) =>
        (host ?? Host).TrackActivity().Timeout(TimeSpan.FromSeconds(60)).DoNotAssertOnExceptionsDetected().SendMessageAndWaitAsync(message);

    public async Task<T> InvokeAsync<T>(object message)
    {
        using var scope = Host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<T>(message);
    }

    public async Task<NotificationView?> NotificationAsync(Guid id, IAlbaHost? host = null)
    {
        var token = await RootTokenAsync();
        var result = await (host ?? Host).Scenario(s =>
        {
            s.Get.Url($"/api/notifications/{id}");
            s.WithBearerToken(token);
            s.IgnoreStatusCode();
        });
        return result.Context.Response.StatusCode == 200 ? await result.ReadAsJsonAsync<NotificationView>() : null;
    }

    public Task<NotificationView> WaitForStatusAsync(Guid id, string status, IAlbaHost? host = null) =>
        Wait.UntilAsync($"notification {id} to be {status}", async () => await NotificationAsync(id, host) is { } n && n.Status == status ? n : null);

    public async Task<MailLogPage> MailLogAsync(string query = "")
    {
        var result = await SendAsync(await RootTokenAsync(), s => s.Get.Url("/api/notifications/mail-log" + query));
        Assert.Equal(200, result.Context.Response.StatusCode);
        return (await result.ReadAsJsonAsync<MailLogPage>())!;
    }

    public async Task<MailSettingsView> PutMailSettingsAsync(object settings)
    {
        var result = await SendAsync(await RootTokenAsync(), s => s.Put.Json(settings).ToUrl("/api/settings/mail"));
        Assert.Equal(200, result.Context.Response.StatusCode);
        return (await result.ReadAsJsonAsync<MailSettingsView>())!;
    }

    /// <summary>Back to the configured SMTP server, without authentication, with the configured sender.</summary>
    public Task RestoreMailSettingsAsync() =>
        PutMailSettingsAsync(new { enabled = true, host = "127.0.0.1", port = Smtp.Port, security = "None", authEnabled = false, username = "", password = "", from = MailFrom });

    public async Task<Guid> SendTestMailAsync(string to)
    {
        var result = await SendAsync(await RootTokenAsync(), s => s.Post.Json(new { to }).ToUrl("/api/settings/mail/test"));
        Assert.Equal(202, result.Context.Response.StatusCode);
        return (await result.ReadAsJsonAsync<NotificationAccepted>())!.TaskId;
    }

    public static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string RandomDigits(int length) => string.Concat(Enumerable.Range(0, length).Select(i => i == 0 ? RandomNumberGenerator.GetInt32(1, 10) : RandomNumberGenerator.GetInt32(10)));
}

/// <summary>Keeps every log line any host of the fixture writes, with its structured values and exceptions.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}] {exception}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsHost>
{
    public const string Name = "notifications host";
}
