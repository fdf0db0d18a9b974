using Marten;
using Microsoft.Extensions.Logging;
using Notifications.Contracts;
using Notifications.Delivering;
using Notifications.Templates;
using Wolverine;

namespace Notifications.Requesting;

/// <summary>
/// The one-time secret of a notification, in the protected form its sender gave it, kept apart from the
/// event stream so that it can be deleted while the history stays, and read only to render the real message.
/// </summary>
internal sealed record ProtectedNotificationSecret(Guid Id, string ProtectedSecret);

/// <summary>
/// Accepts another module's request: records it with a masked copy of the message and hands the delivery to a
/// durable (possibly scheduled) local message that carries nothing but the id and the attempt number.
/// </summary>
public static class RequestNotificationHandler
{
    public static async Task Handle(
        SendNotificationV1 request, IDocumentSession session, MessageTemplates templates, IMessageBus bus, TimeProvider time,
        ILoggerFactory logs, CancellationToken ct)
    {
        // The sender chooses the id: a request delivered twice is the same notification.
        if (await session.Events.FetchStreamStateAsync(request.NotificationId, ct) is not null)
        {
            logs.CreateLogger("Notifications").LogInformation("Notification {NotificationId} was already requested; the repeated request is ignored.", request.NotificationId);
            return;
        }

        var now = time.GetUtcNow();
        var scheduledFor = request.SendAt is { } at && at > now ? at : now;
        var model = new Dictionary<string, string>(request.Model, StringComparer.Ordinal);
        var masked = MessageTemplates.Kinds.Contains(request.Kind)
            ? templates.Render(request.Kind, request.Channel, model, request.ProtectedSecret is null ? null : MessageTemplates.Mask).Masked()
            : new MaskedMessage(request.Kind, string.Empty, null);

        session.Events.StartStream<NotificationTask>(request.NotificationId, new NotificationRequested(
            request.NotificationId, request.Kind, request.Channel, request.To.Trim(), request.AccountId, model, masked,
            request.ProtectedSecret is not null, scheduledFor, now, request.ForRoot));
        if (request.ProtectedSecret is not null) session.Store(new ProtectedNotificationSecret(request.NotificationId, request.ProtectedSecret));

        var delivery = new DeliverNotification(request.NotificationId, 1);
        if (scheduledFor > now) await bus.ScheduleAsync(delivery, scheduledFor);
        else await bus.PublishAsync(delivery);
    }
}
