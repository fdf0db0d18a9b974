using System.Net;
using System.Text.RegularExpressions;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using MimeKit;
using Notifications.Contracts;
using Wolverine;
using Wolverine.Http;

namespace Notifications.Settings;

/// <summary>
/// Every field is optional: what is left out keeps its current value. <c>password</c>: "" removes it; a new host, port or
/// security mode without a new password removes it too.
/// </summary>
public sealed record MailSettingsRequest(
    bool? Enabled, string? Host, int? Port, string? Security, bool? AuthEnabled, string? Username, string? Password, string? From);

/// <summary>The password is write-only: only whether one is set is shown.</summary>
public sealed record MailSettingsView(
    bool Enabled, string? Host, int Port, string Security, bool AuthEnabled, string? Username, bool PasswordSet, string From);

/// <summary>
/// Every field is optional: what is left out keeps its current value. <c>apiSecret</c>: "" removes it; a new base URL
/// without a new secret removes the secret and the API key (unless given) too.
/// </summary>
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
        if (authEnabled && security == MailSecurity.None && host is not null && !Endpoints.IsLoopback(host))
            return Problems.BadRequest("invalid_request", "SMTP authentication without encryption (security None) is only allowed to a loopback host.",
                "The username and password would cross the network in clear; choose StartTls, SslOnConnect or Auto.");

        // A password given for one server must not follow the settings to another: whoever may change the server
        // would receive it with the next message. So a new server without a new password means no password.
        var endpointChanged = !string.Equals(host, current.Host, StringComparison.OrdinalIgnoreCase) || port != current.Port || security != current.Security;
        var passwordCleared = request.Password is null && endpointChanged && current.PasswordSet;
        var passwordChanged = request.Password is not null || passwordCleared;
        var protectedPassword = request.Password is { Length: > 0 } password ? credentials.Protect(password) : null;
        session.Events.Append(MailSettings.StreamId, new MailSettingsChanged(
            enabled, host, port, security!, authEnabled, username, from, passwordChanged, protectedPassword, http.User.AccountId(), time.GetUtcNow(),
            http.User.IsInRole(Roles.Root)));

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

public static partial class SmsSettingsEndpoints
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
        // The API key and secret must not follow the settings to another server (see the mail settings): a new base URL
        // without a new secret drops both, unless the same request gives the key.
        var credentialsCleared = request.ApiSecret is null && !string.Equals(baseUrl, current.BaseUrl.Trim().TrimEnd('/'), StringComparison.Ordinal);
        var apiKey = request.ApiKey is not null ? MailSettingsEndpoints.Blank(request.ApiKey) : credentialsCleared ? null : current.ApiKey;
        var from = request.From is null ? current.From : MailSettingsEndpoints.Blank(request.From);
        var secretChanged = request.ApiSecret is not null || (credentialsCleared && current.ApiSecretSet);
        var secretSet = request.ApiSecret is not null ? request.ApiSecret.Length > 0 : !credentialsCleared && current.ApiSecretSet;

        var errors = new List<string>();
        var validUrl = Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
        if (!validUrl) errors.Add("The base URL must be an absolute http(s) URL.");
        if (enabled && credentialsCleared) errors.Add("A new base URL needs the API key and secret given again in the same request.");
        else if (enabled && (apiKey is null || !secretSet || from is null)) errors.Add("An API key, an API secret and a sender (from) are required while SMS is enabled.");
        if (from is not null && !SmsSender().IsMatch(from)) errors.Add("The sender (from) is either a number of at most 15 digits, optionally after a +, or at most 11 letters and digits.");
        if (errors.Count > 0) return Problems.Result(StatusCodes.Status400BadRequest, "invalid_sms_settings", "The SMS settings are not valid.", string.Join(" ", errors));
        if (uri!.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
            return Problems.BadRequest("invalid_request", "The SMS base URL must use https (plain http only to a loopback host).",
                "The API key and secret would cross the network in clear.");

        var protectedSecret = request.ApiSecret is { Length: > 0 } secret ? credentials.Protect(secret) : null;
        session.Events.Append(SmsSettings.StreamId, new SmsSettingsChanged(
            enabled, baseUrl, apiKey, from, secretChanged, protectedSecret, http.User.AccountId(), time.GetUtcNow(), http.User.IsInRole(Roles.Root)));
        return TypedResults.Ok(new SmsSettingsView(enabled, baseUrl, apiKey, secretSet, from));
    }

    internal static SmsSettingsView View(EffectiveSms sms) => new(sms.Enabled, sms.BaseUrl, sms.ApiKey, sms.ApiSecretSet, sms.From);

    [GeneratedRegex("^(?:\\+?[0-9]{1,15}|[A-Za-z0-9]{1,11})$")]
    private static partial Regex SmsSender();
}

internal static class Endpoints
{
    /// <summary>Traffic to this host never leaves the machine, so it may go unencrypted.</summary>
    public static bool IsLoopback(string? host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(host?.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
}
