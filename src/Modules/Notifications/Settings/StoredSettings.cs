using Audit.Contracts;
using System.Security.Cryptography;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Notifications.Settings;

/// <summary>Mail settings as last set through the API; the stream holds every change with who made it.</summary>
internal sealed record MailSettings(
    Guid Id, bool Enabled, string? Host, int Port, string Security, bool AuthEnabled, string? Username, string From,
    bool PasswordOverridden, string? ProtectedPassword, bool ChangedByRoot = false)
{
    public static readonly Guid StreamId = new("9b0c5c1e-3f52-4d7e-a7f4-2d3c4e5f0001");

    public static MailSettings Create(MailSettingsChanged e) =>
        new(StreamId, e.Enabled, e.Host, e.Port, e.Security, e.AuthEnabled, e.Username, e.From, e.PasswordChanged, e.PasswordChanged ? e.ProtectedPassword : null, e.ByRoot);

    public MailSettings Apply(MailSettingsChanged e) => this with
    {
        Enabled = e.Enabled,
        Host = e.Host,
        Port = e.Port,
        Security = e.Security,
        AuthEnabled = e.AuthEnabled,
        Username = e.Username,
        From = e.From,
        PasswordOverridden = PasswordOverridden || e.PasswordChanged,
        ProtectedPassword = e.PasswordChanged ? e.ProtectedPassword : ProtectedPassword,
        ChangedByRoot = e.ByRoot,
    };
}

/// <summary>
/// <see cref="ProtectedPassword"/> is the new password encrypted with Data Protection, only when
/// <see cref="PasswordChanged"/>; null with PasswordChanged means "no password".
/// </summary>
internal sealed record MailSettingsChanged(
    bool Enabled, string? Host, int Port, string Security, bool AuthEnabled, string? Username, string From,
    bool PasswordChanged, string? ProtectedPassword, Guid? ActorId, DateTimeOffset At, bool ByRoot = false) : ISecurityEvent
{
    public string Type => SecurityEventTypes.MailSettingsChanged;

    Guid? ISecurityEvent.AccountId => null;

    public string Summary =>
        $"Mail settings changed: {(Enabled ? "SMTP on" : "SMTP off (pickup folder)")}, {Host}:{Port} ({Security}), " +
        $"authentication {(AuthEnabled ? "on" : "off")}{(PasswordChanged ? ProtectedPassword is null ? ", password removed" : ", password changed" : "")}, from {From}.";
}

internal sealed record SmsSettings(
    Guid Id, bool Enabled, string BaseUrl, string? ApiKey, string? From, bool SecretOverridden, string? ProtectedApiSecret, bool ChangedByRoot = false)
{
    public static readonly Guid StreamId = new("9b0c5c1e-3f52-4d7e-a7f4-2d3c4e5f0002");

    public static SmsSettings Create(SmsSettingsChanged e) =>
        new(StreamId, e.Enabled, e.BaseUrl, e.ApiKey, e.From, e.ApiSecretChanged, e.ApiSecretChanged ? e.ProtectedApiSecret : null, e.ByRoot);

    public SmsSettings Apply(SmsSettingsChanged e) => this with
    {
        Enabled = e.Enabled,
        BaseUrl = e.BaseUrl,
        ApiKey = e.ApiKey,
        From = e.From,
        SecretOverridden = SecretOverridden || e.ApiSecretChanged,
        ProtectedApiSecret = e.ApiSecretChanged ? e.ProtectedApiSecret : ProtectedApiSecret,
        ChangedByRoot = e.ByRoot,
    };
}

internal sealed record SmsSettingsChanged(
    bool Enabled, string BaseUrl, string? ApiKey, string? From, bool ApiSecretChanged, string? ProtectedApiSecret, Guid? ActorId, DateTimeOffset At,
    bool ByRoot = false)
    : ISecurityEvent
{
    public string Type => SecurityEventTypes.SmsSettingsChanged;

    Guid? ISecurityEvent.AccountId => null;

    public string Summary =>
        $"SMS settings changed: {(Enabled ? "on" : "off")}, {BaseUrl}, from {From}{(ApiKey is null ? ", no API key" : "")}" +
        $"{(ApiSecretChanged ? ProtectedApiSecret is null ? ", API secret removed" : ", API secret changed" : "")}.";
}

/// <summary>Stored credentials (SMTP password, Vonage API secret) encrypted at rest with ASP.NET Core Data Protection (ADR 0006).</summary>
public sealed class CredentialProtector(IDataProtectionProvider provider)
{
    private const string Purpose = "Notifications.Settings.Credential.v1";

    public string Protect(string secret) => provider.CreateProtector(Purpose).Protect(secret);

    public string Unprotect(string protectedSecret)
    {
        try
        {
            return provider.CreateProtector(Purpose).Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            throw new UnreadableCredentialException();
        }
    }
}

internal sealed class UnreadableCredentialException()
    : Exception("A stored credential cannot be decrypted (the Data Protection keys changed); set it again through the settings.");

/// <summary>The delivery settings in force: what was set through the API, else configuration.</summary>
public sealed class DeliverySettings(IOptionsMonitor<MailOptions> mail, IOptionsMonitor<SmsOptions> sms, CredentialProtector credentials, SettingsCache cache)
{
    public async Task<EffectiveMail> MailAsync(IQuerySession session, CancellationToken ct)
    {
        var configured = mail.CurrentValue;
        var stored = await cache.LoadAsync<MailSettings>(session, MailSettings.StreamId, ct);
        var password = stored is { PasswordOverridden: true }
            ? stored.ProtectedPassword is { Length: > 0 } p ? new Lazy<string?>(() => credentials.Unprotect(p)) : new Lazy<string?>((string?)null)
            : new Lazy<string?>(configured.Password);
        var username = stored is null ? configured.Username : stored.Username;
        return new EffectiveMail
        {
            Enabled = stored?.Enabled ?? configured.Enabled,
            Host = stored is null ? configured.Host : stored.Host,
            Port = stored?.Port ?? configured.Port,
            Security = MailSecurity.Parse(stored?.Security ?? configured.Security) ?? MailSecurity.Auto,
            AuthEnabled = stored?.AuthEnabled ?? configured.AuthEnabled ?? !string.IsNullOrEmpty(configured.Username),
            Username = username,
            PasswordSource = password,
            PasswordSet = stored is { PasswordOverridden: true } ? stored.ProtectedPassword is { Length: > 0 } : !string.IsNullOrEmpty(configured.Password),
            From = stored?.From ?? configured.From,
            PickupDirectory = configured.PickupDirectory,
            Timeout = TimeSpan.FromSeconds(Math.Max(1, configured.TimeoutSeconds)),
            SetByRoot = stored is null || stored.ChangedByRoot,
        };
    }

    public async Task<EffectiveSms> SmsAsync(IQuerySession session, CancellationToken ct)
    {
        var configured = sms.CurrentValue;
        var stored = await cache.LoadAsync<SmsSettings>(session, SmsSettings.StreamId, ct);
        var secret = stored is { SecretOverridden: true }
            ? stored.ProtectedApiSecret is { Length: > 0 } p ? new Lazy<string?>(() => credentials.Unprotect(p)) : new Lazy<string?>((string?)null)
            : new Lazy<string?>(configured.Vonage.ApiSecret);
        return new EffectiveSms
        {
            Enabled = stored?.Enabled ?? configured.Enabled,
            BaseUrl = stored?.BaseUrl ?? configured.Vonage.BaseUrl,
            ApiKey = stored is null ? configured.Vonage.ApiKey : stored.ApiKey,
            ApiSecretSource = secret,
            ApiSecretSet = stored is { SecretOverridden: true } ? stored.ProtectedApiSecret is { Length: > 0 } : !string.IsNullOrEmpty(configured.Vonage.ApiSecret),
            From = stored is null ? configured.Vonage.From : stored.From,
            Timeout = TimeSpan.FromSeconds(Math.Max(1, configured.TimeoutSeconds)),
            SetByRoot = stored is null || stored.ChangedByRoot,
        };
    }
}
