using JasperFx;
using JasperFx.Core;
using Marten;
using Microsoft.Extensions.Logging;
using Notifications.Settings;
using Notifications.Requesting;
using Wolverine.Attributes;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Notifications.Delivering;

/// <summary>
/// Delete the one-time secret of a notification whose retention after delivery <see cref="DeliveredAttempt"/> has passed.
/// Durable and scheduled; it carries no secret.
/// </summary>
[MessageIdentity("notifications.discard-notification-secret.v1")]
public sealed record DiscardNotificationSecret(Guid NotificationId, int DeliveredAttempt);

public static class DiscardNotificationSecretHandler
{
    // A redo recorded at the same moment wins; the next try then finds the task running and leaves the secret to it.
    public static void Configure(HandlerChain chain) =>
        chain.OnException<ConcurrencyException>().RetryWithCooldown(100.Milliseconds(), 1.Seconds(), 5.Seconds());

    public static async Task Handle(
        DiscardNotificationSecret message, IDocumentSession session, DeliverySettings settings, TimeProvider time, ILogger<DiscardNotificationSecret> logger, CancellationToken ct)
    {
        var id = message.NotificationId;
        var stream = await session.Events.FetchForWriting<NotificationTask>(id, ct);
        // A task being redone, or delivered again since, schedules its own discarding when that run ends.
        if (stream.Aggregate is not { Status: NotificationStatus.Done or NotificationStatus.Failed } task) return;
        if (task.History.LastOrDefault(h => h.Status == MailLogStatus.Sent)?.Attempt != message.DeliveredAttempt) return;
        if (await session.LoadAsync<ProtectedNotificationSecret>(id, ct) is null) return;

        session.Delete<ProtectedNotificationSecret>(id);
        stream.AppendOne(new NotificationSecretDiscarded(id, time.GetUtcNow()));

        // A message that went to the pickup folder holds the secret in its file: mask it there too.
        if (task.History.LastOrDefault(h => h.Status == MailLogStatus.Sent)?.Channel == DeliveryChannels.Pickup)
        {
            var folder = (await settings.MailAsync(session, ct)).PickupDirectory;
            try
            {
                await Channels.PickupFolder.MaskAsync(folder, id, task.Message, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                logger.LogWarning("The pickup file of notification {NotificationId} could not be masked: {Error}", id, e.Message);
            }
        }
    }
}
