using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using MimeKit;
using Notifications.Contracts;
using Wolverine;
using Wolverine.Http;

namespace Notifications.Settings;

/// <summary>Every field is optional: what is left out keeps its current value. <c>password</c>: "" removes it.</summary>
public sealed record MailSettingsRequest(
    bool? Enabled, string? Host, int? Port, string? Security, bool? AuthEnabled, string? Username, string? Password, string? From);

/// <summary>The password is write-only: only whether one is set is shown.</summary>
public sealed record MailSettingsView(
    bool Enabled, string? Host, int Port, string Security, bool AuthEnabled, string? Username, bool PasswordSet, string From);

/// <summary>Every field is optional: what is left out keeps its current value. <c>apiSecret</c>: "" removes it.</summary>
public sealed record SmsSettingsRequest(bool? Enabled, string? BaseUrl, string? ApiKey, string? ApiSecret, string? From);

public sealed record SmsSettingsView(bool Enabled, string BaseUrl, string? ApiKey, bool ApiSecretSet, string? From);

public sealed record TestMailRequest(string? To);

public sealed record NotificationAccepted(Guid TaskId);

public static class MailSettingsEndpoints
{
    [WolverineGet("/api/settings/mail", OperationId = "getMailSettings")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<MailSettingsView> Get(IQuerySession session, DeliverySettings settings, CancellationToken ct) =>
        View(await settings.MailAsync(session, ct));

    [WolverinePut("/api/settings/mail", OperationId = "putMailSettings")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Put(
        MailSettingsRequest request, IDocumentSession session, DeliverySettings settings, CredentialProtector credentials,
        HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var current = await settings.MailAsync(session, ct);
        var enabled = request.Enabled ?? current.Enabled;
        var host = request.Host is null ? current.Host : Blank(request.Host);
        var port = request.Port ?? current.Port;
        var security = request.Security is null ? current.Security : MailSecurity.Parse(request.Security);
        var authEnabled = request.AuthEnabled ?? current.AuthEnabled;
        var username = request.Username is null ? current.Username : Blank(request.Username);
        var from = request.From?.Trim() ?? current.From;

        var errors = new List<string>();
        if (enabled && host is null) errors.Add("A host is required while SMTP is enabled.");
        if (host is not null && (host.Length > 253 || host.Any(char.IsWhiteSpace))) errors.Add("The host is not a valid host name.");
        if (port is < 1 or > 65535) errors.Add("The port must be between 1 and 65535.");
        if (security is null) errors.Add($"The security mode must be one of {string.Join(", ", MailSecurity.All)}.");
        if (authEnabled && username is null) errors.Add("A username is required when authentication is enabled.");
        if (!IsMailbox(from)) errors.Add("The From address is not a valid email address.");
        if (errors.Count > 0) return Problems.Result(StatusCodes.Status400BadRequest, "invalid_mail_settings", "The mail settings are not valid.", string.Join(" ", errors));

        var passwordChanged = request.Password is not null;
        var protectedPassword = request.Password is { Length: > 0 } password ? credentials.Protect(password) : null;
        session.Events.Append(MailSettings.StreamId, new MailSettingsChanged(
            enabled, host, port, security!, authEnabled, username, from, passwordChanged, protectedPassword, http.User.AccountId(), time.GetUtcNow()));

        var passwordSet = passwordChanged ? protectedPassword is not null : current.PasswordSet;
        return TypedResults.Ok(new MailSettingsView(enabled, host, port, security!, authEnabled, username, passwordSet, from));
    }

    /// <summary>Sends a test message through the settings in force; its outcome shows in the mail log.</summary>
    [WolverinePost("/api/settings/mail/test", OperationId = "sendTestMail")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Test(TestMailRequest request, IMessageBus bus, HttpContext http)
    {
        var to = request.To?.Trim();
        if (!IsMailbox(to)) return Problems.BadRequest("invalid_email", "The address to send the test message to is not a valid email address.");
        var id = Guid.NewGuid();
        await bus.PublishAsync(new SendNotificationV1(id, NotificationKinds.Test, NotificationChannels.Email, to!, new Dictionary<string, string>(), AccountId: http.User.AccountId()));
        return TypedResults.Accepted($"/api/notifications/{id}", new NotificationAccepted(id));
    }

    internal static MailSettingsView View(EffectiveMail mail) =>
        new(mail.Enabled, mail.Host, mail.Port, mail.Security, mail.AuthEnabled, mail.Username, mail.PasswordSet, mail.From);

    internal static bool IsMailbox(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 320 && MailboxAddress.TryParse(value, out var mailbox)
        && mailbox.Address.Contains('@') && !mailbox.Address.EndsWith('@');

    internal static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public static class SmsSettingsEndpoints
{
    [WolverineGet("/api/settings/sms", OperationId = "getSmsSettings")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<SmsSettingsView> Get(IQuerySession session, DeliverySettings settings, CancellationToken ct) =>
        View(await settings.SmsAsync(session, ct));

    [WolverinePut("/api/settings/sms", OperationId = "putSmsSettings")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Put(
        SmsSettingsRequest request, IDocumentSession session, DeliverySettings settings, CredentialProtector credentials,
        HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var current = await settings.SmsAsync(session, ct);
        var enabled = request.Enabled ?? current.Enabled;
        var baseUrl = (request.BaseUrl ?? current.BaseUrl).Trim().TrimEnd('/');
        var apiKey = request.ApiKey is null ? current.ApiKey : MailSettingsEndpoints.Blank(request.ApiKey);
        var from = request.From is null ? current.From : MailSettingsEndpoints.Blank(request.From);
        var secretChanged = request.ApiSecret is not null;
        var secretSet = secretChanged ? request.ApiSecret!.Length > 0 : current.ApiSecretSet;

        var errors = new List<string>();
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            errors.Add("The base URL must be an absolute http(s) URL.");
        if (enabled && (apiKey is null || !secretSet || from is null)) errors.Add("An API key, an API secret and a sender (from) are required while SMS is enabled.");
        if (from is { Length: > 15 } && !from.All(char.IsDigit)) errors.Add("An alphanumeric sender (from) has at most 11 characters, a number at most 15 digits.");
        if (errors.Count > 0) return Problems.Result(StatusCodes.Status400BadRequest, "invalid_sms_settings", "The SMS settings are not valid.", string.Join(" ", errors));

        var protectedSecret = request.ApiSecret is { Length: > 0 } secret ? credentials.Protect(secret) : null;
        session.Events.Append(SmsSettings.StreamId, new SmsSettingsChanged(
            enabled, baseUrl, apiKey, from, secretChanged, protectedSecret, http.User.AccountId(), time.GetUtcNow()));
        return TypedResults.Ok(new SmsSettingsView(enabled, baseUrl, apiKey, secretSet, from));
    }

    internal static SmsSettingsView View(EffectiveSms sms) => new(sms.Enabled, sms.BaseUrl, sms.ApiKey, sms.ApiSecretSet, sms.From);
}
