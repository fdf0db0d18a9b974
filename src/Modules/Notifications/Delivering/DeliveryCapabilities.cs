using Marten;
using Notifications.Contracts;
using Notifications.Settings;

namespace Notifications.Delivering;

/// <summary>Tells other modules (Recovery's channel list) which channels reach people with the settings in force.</summary>
public static class DeliveryCapabilitiesHandler
{
    public static async Task<DeliveryCapabilitiesV1> Handle(GetDeliveryCapabilitiesV1 _, IQuerySession session, DeliverySettings settings, CancellationToken ct)
    {
        var mail = await settings.MailAsync(session, ct);
        var sms = await settings.SmsAsync(session, ct);
        return new DeliveryCapabilitiesV1(mail.SendsOverSmtp, sms.Configured, !mail.SendsOverSmtp);
    }
}
