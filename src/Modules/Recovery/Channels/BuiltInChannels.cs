using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Contracts;
using Recovery.Contracts;

namespace Recovery.Channels;

// The three built-in channels are registered and delivered exactly as a channel of another module would be
// (ADR 0008): a descriptor in DI, and a handler of RecoverySecretIssuedV1 that picks out its own channel.

internal static class BuiltInChannels
{
    public static IServiceCollection AddBuiltInRecoveryChannels(this IServiceCollection services) => services
        .AddSingleton(new RecoveryChannelDescriptorV1(RecoveryChannels.EmailLink, RecoverySecretKinds.Link, RecoveryContactKinds.Email))
        .AddSingleton(new RecoveryChannelDescriptorV1(RecoveryChannels.EmailOtp, RecoverySecretKinds.Code, RecoveryContactKinds.Email))
        .AddSingleton(new RecoveryChannelDescriptorV1(RecoveryChannels.SmsOtp, RecoverySecretKinds.Code, RecoveryContactKinds.Phone));

    public static Dictionary<string, string> Model(RecoverySecretIssuedV1 issued) => new()
    {
        ["username"] = issued.Username,
        ["lifetimeMinutes"] = issued.LifetimeMinutes.ToString(CultureInfo.InvariantCulture),
    };
}

public static class EmailLinkChannelHandler
{
    public static SendNotificationV1? Handle(RecoverySecretIssuedV1 issued)
    {
        if (issued.Channel != RecoveryChannels.EmailLink) return null;
        var model = BuiltInChannels.Model(issued);
        model["resetBaseUrl"] = issued.ResetBaseUrl ?? string.Empty;
        return new SendNotificationV1(issued.NotificationId, NotificationKinds.ResetLink, NotificationChannels.Email, issued.To, model,
            issued.ProtectedSecret, issued.SendAt, issued.AccountId, issued.ForRoot);
    }
}

public static class EmailCodeChannelHandler
{
    public static SendNotificationV1? Handle(RecoverySecretIssuedV1 issued) =>
        issued.Channel != RecoveryChannels.EmailOtp
            ? null
            : new SendNotificationV1(issued.NotificationId, NotificationKinds.OneTimeCode, NotificationChannels.Email, issued.To, BuiltInChannels.Model(issued),
                issued.ProtectedSecret, issued.SendAt, issued.AccountId, issued.ForRoot);
}

public static class SmsCodeChannelHandler
{
    public static SendNotificationV1? Handle(RecoverySecretIssuedV1 issued) =>
        issued.Channel != RecoveryChannels.SmsOtp
            ? null
            : new SendNotificationV1(issued.NotificationId, NotificationKinds.OneTimeCode, NotificationChannels.Sms, issued.To, BuiltInChannels.Model(issued),
                issued.ProtectedSecret, issued.SendAt, issued.AccountId, issued.ForRoot);
}
