namespace Notifications.Contracts;

/// <summary>
/// Ask the Notifications module to send one message of a known <see cref="Kind"/> to one address,
/// now or at <see cref="SendAt"/>. <see cref="ProtectedSecret"/> is a one-time secret (a link token, code or
/// temporary password) protected with <see cref="SecretProtection.Purpose"/> by the sender, so that no
/// queue or table holds it in clear; it is rendered into the message that is sent and masked everywhere else.
/// </summary>
public sealed record SendNotificationV1(
    Guid NotificationId,
    string Kind,
    string Channel,
    string To,
    IReadOnlyDictionary<string, string> Model,
    string? ProtectedSecret = null,
    DateTimeOffset? SendAt = null,
    Guid? AccountId = null,
    bool ForRoot = false);
// ForRoot: the message carries a root account's secret. It is sent only through delivery settings that a root set (or
// the host's configuration); an administrator short of root who repoints SMTP or SMS cannot receive it, nor redo it.

/// <summary>Message kinds, each with its own templates.</summary>
public static class NotificationKinds
{
    public const string ResetLink = "reset-link";
    public const string OneTimeCode = "one-time-code";
    public const string TemporaryPassword = "temporary-password";
    public const string PasswordChanged = "password-changed";
    public const string Test = "test";
}

/// <summary>Delivery channels.</summary>
public static class NotificationChannels
{
    public const string Email = "email";
    public const string Sms = "sms";
}

/// <summary>The ASP.NET Core Data Protection purpose senders use for <see cref="SendNotificationV1.ProtectedSecret"/>.</summary>
public static class SecretProtection
{
    public const string Purpose = "Notifications.Contracts.SendNotificationV1.Secret";
}

/// <summary>
/// Ask which delivery channels can reach people right now (run-time settings win over configuration).
/// Answered with <see cref="DeliveryCapabilitiesV1"/> through <c>InvokeAsync</c>.
/// </summary>
public sealed record GetDeliveryCapabilitiesV1;

/// <summary>
/// <see cref="EmailConfigured"/>: email goes out over SMTP (false while messages only land in the pickup folder);
/// <see cref="SmsConfigured"/>: SMS is enabled with complete provider credentials.
/// <see cref="PickupOnly"/>: email is not sent but written to the pickup folder (development and tests).
/// </summary>
public sealed record DeliveryCapabilitiesV1(bool EmailConfigured, bool SmsConfigured, bool PickupOnly = false);
