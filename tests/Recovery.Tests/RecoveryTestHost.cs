using System.Text.RegularExpressions;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Testing;
using Wolverine.Tracking;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Recovery.Tests;

/// <summary>The real host on a database of its own, with a clock the tests can move and rate limits out of the way.</summary>
public class RecoveryTestHost : RecoveryHost
{
    public const string PublicBaseUrl = "https://recovery.example.test/app";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The stand-in for the Vonage SMS API: every text message the host sends lands in its request log.</summary>
    public WireMockServer Vonage { get; } = StartVonage();

    private static WireMockServer StartVonage()
    {
        var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/sms/json").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"message-count":"1","messages":[{"to":"41790000000","message-id":"0A0000000123ABCD1","status":"0","remaining-balance":"3.14","message-price":"0.03","network":"22801"}]}"""));
        return server;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Vonage.Stop();
        Vonage.Dispose();
    }

    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["App:PublicBaseUrl"] = PublicBaseUrl,
        ["Sms:Enabled"] = "true",
        ["Sms:Vonage:BaseUrl"] = Vonage.Url,
        ["Sms:Vonage:ApiKey"] = "vonage-key",
        ["Sms:Vonage:ApiSecret"] = "vonage-secret",
        ["Sms:Vonage:From"] = "Recovery",
        ["Recovery:RateLimits:PerLoginPermits"] = "1000",
        ["Recovery:RateLimits:PerAddressPermits"] = "100000",
        ["Recovery:RateLimits:PerAddressRedeemPermits"] = "100000",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));

    private bool allChannels;

    /// <summary>A new root session each time: tests here move the clock past a cached session's lifetime.</summary>
    public Task<string> FreshRootTokenAsync() => SignInAsync(RootUsername, RootPassword);

    /// <summary>Turns on every built-in channel (the defaults have only the link, since mail and SMS are not configured).</summary>
    public async Task EnableAllChannelsAsync(int otpMaxAttempts = 5)
    {
        if (allChannels) return;
        await PutSettingsAsync(new { channels = new[] { "email-link", "email-otp", "sms-otp" }, linkLifetimeMinutes = 1440, otpLifetimeMinutes = 10, otpLength = 6, otpMaxAttempts, adminResetDelaySeconds = 0 });
        allChannels = true;
    }

    public async Task PutSettingsAsync(object settings)
    {
        var result = await SendAsync(await FreshRootTokenAsync(), s => s.Put.Json(settings).ToUrl("/api/settings/recovery"));
        Assert.Equal(200, result.Context.Response.StatusCode);
    }

    /// <summary>A fresh account with its own addresses, so that each test reads only its own messages.</summary>
    public async Task<TestAccount> NewAccountAsync(string password = "Harbour-Lights-2024", bool withPhone = true, bool withEmail = true)
    {
        var username = $"u{Guid.NewGuid():N}"[..14];
        var email = withEmail ? $"{username}@example.test" : null;
        var phone = withPhone ? "+4179" + Random.Shared.Next(1000000, 9999999) : null;
        var token = await FreshRootTokenAsync();
        var result = await SendAsync(token, s => s.Post.Json(new { username, email, phone, roles = new[] { "user" }, password }).ToUrl("/api/accounts"));
        Assert.Equal(201, result.Context.Response.StatusCode);
        var id = (await result.ReadAsJsonAsync<IdAnswer>())!.Id;
        return new TestAccount(id, username, email, phone, password);
    }

    /// <summary>Posts a recovery request and waits until every message it set off has been handled.</summary>
    public async Task<(IScenarioResult Result, ITrackedSession Tracked)> RequestAndWaitAsync(string login, string channel, Action<Scenario>? configure = null)
    {
        IScenarioResult? result = null;
        var tracked = await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Wolverine.IMessageContext _) => Scenario(async () => result = await SendAsync(null, s =>
            {
                s.Post.Json(new { login, channel }).ToUrl("/api/recovery/requests");
                configure?.Invoke(s);
            })));
        return (result!, tracked);
    }

    public async Task<Guid> RequestAsync(string login, string channel)
    {
        var (result, _) = await RequestAndWaitAsync(login, channel);
        Assert.Equal(202, result.Context.Response.StatusCode);
        return (await result.ReadAsJsonAsync<RequestAnswer>())!.RequestId;
    }

    private static Task Scenario(Func<Task> run) => run();

    /// <summary>Runs an action and waits until every message it set off has been handled.</summary>
    public async Task<T> AndWaitAsync<T>(Func<Task<T>> action)
    {
        T result = default!;
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Wolverine.IMessageContext _) => Scenario(async () => result = await action()));
        return result;
    }

    /// <summary>The messages the host wrote for a recipient, oldest first.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string recipient, string? kind = null) =>
        recipient.StartsWith('+') ? TextMessagesTo(recipient) : Mailbox.All(PickupDirectory)
            .Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase) || a.Name == recipient))
            .Where(m => kind is null || m.Headers["X-Notification-Kind"] == kind)
            .ToList();

    /// <summary>The text messages Vonage was asked to send to a number (E.164 without the plus, as Vonage expects), as plain messages.</summary>
    public IReadOnlyList<MimeMessage> TextMessagesTo(string phone) =>
        Vonage.LogEntries
            .Select(e => System.Web.HttpUtility.ParseQueryString(e.RequestMessage.Body ?? string.Empty))
            .Where(form => form["to"] == phone.TrimStart('+'))
            .Select(form =>
            {
                var message = new MimeMessage { Body = new TextPart("plain") { Text = form["text"] ?? string.Empty } };
                message.To.Add(new MailboxAddress(phone, "sms@invalid"));
                return message;
            })
            .ToList();

    /// <summary>Waits for the n-th message of a kind to a recipient (1-based) and returns it.</summary>
    public async Task<MimeMessage> MessageAsync(string recipient, string kind, int nth = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var messages = MessagesTo(recipient, kind);
            if (messages.Count >= nth) return messages[nth - 1];
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No message {nth} of kind {kind} to {recipient}.");
            await Task.Delay(100);
        }
    }

    public static string LinkIn(MimeMessage message)
    {
        var match = Regex.Match(message.TextBody ?? message.HtmlBody ?? string.Empty, @"(https?://\S+/reset-password\?token=)([A-Za-z0-9_\-]+)");
        Assert.True(match.Success, "The message holds no reset link.");
        return match.Value;
    }

    public static string TokenIn(MimeMessage message) => LinkIn(message).Split("?token=")[1];

    public static string CodeIn(MimeMessage message, int length = 6)
    {
        var match = Regex.Match(message.TextBody ?? message.HtmlBody ?? string.Empty, $@"(?<![\w:+.-])\d{{{length}}}(?!\w)(?!\.\d)");
        Assert.True(match.Success, "The message holds no code.");
        return match.Value;
    }

    public Task<IScenarioResult> VerifyAsync(Guid requestId, string code) =>
        SendAsync(null, s => s.Post.Json(new { requestId, code }).ToUrl("/api/recovery/otp/verify"));

    public Task<IScenarioResult> ResetAsync(string token, string password, string? confirm = null) =>
        SendAsync(null, s => s.Post.Json(new { token, newPassword = password, confirmPassword = confirm ?? password }).ToUrl("/api/recovery/reset"));

    public async Task<int> SignInStatusAsync(string login, string password) =>
        (await SendAsync(null, s => s.Post.Json(new { login, password }).ToUrl("/api/auth/login"))).Context.Response.StatusCode;

    public async Task<ResetRow[]> ResetHistoryAsync(string query)
    {
        var token = await FreshRootTokenAsync();
        var result = await SendAsync(token, s => s.Get.Url("/api/audit/resets" + query));
        Assert.Equal(200, result.Context.Response.StatusCode);
        return (await result.ReadAsJsonAsync<ResetPage>())!.Items;
    }

    public sealed record TestAccount(Guid Id, string Username, string? Email, string? Phone, string Password);

    public sealed record RequestAnswer(Guid RequestId, string Channel);

    public sealed record ResetTokenAnswer(string ResetToken);

    public sealed record ResetPage(ResetRow[] Items, int Total);

    public sealed record ResetRow(
        Guid RequestId, Guid? AccountId, string? Username, string Channel, string InitiatedBy, Guid? ActorId,
        DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, string Outcome, int OtpFailures, string? ClientIp, string? Operator, string? Method = null);
}
