using System.Security.Cryptography;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Notifications.Channels;
using Notifications.Contracts;
using Notifications.Requesting;
using Notifications.Settings;
using Notifications.Templates;
using Wolverine;
using Wolverine.Attributes;

namespace Notifications.Delivering;

/// <summary>
/// Run attempt <see cref="Attempt"/> of a notification. Durable and possibly scheduled, so it carries no secret;
/// a message whose attempt is not the task's next one is stale and does nothing, which keeps a send from happening twice.
/// </summary>
[MessageIdentity("notifications.deliver-notification.v1")]
public sealed record DeliverNotification(Guid NotificationId, int Attempt);

public static class DeliverNotificationHandler
{
    public static Task Handle(DeliverNotification message, IDocumentSession session, IMessageBus bus, NotificationDelivery delivery, CancellationToken ct) =>
        delivery.RunAsync(message, session, bus, ct);
}

/// <summary>One delivery attempt: claim it, render the real message, send it through the channel in force, record the outcome.</summary>
public sealed class NotificationDelivery(
    DeliverySettings settings, MessageTemplates templates, ISmsSender sms, IDataProtectionProvider protection,
    IOptions<RetryOptions> options, TimeProvider time, ILogger<NotificationDelivery> logger)
{
    internal async Task RunAsync(DeliverNotification message, IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        if (await ClaimAsync(message, session, bus, ct) is not { } task) return;
        var (outcome, hadSecret) = await AttemptAsync(task, message.Attempt, session, bus, ct);
        // Read again: the claim was committed, so the stream's version moved on (and a redo may have come meanwhile).
        var after = await session.Events.FetchForWriting<NotificationTask>(message.NotificationId, ct);
        after.AppendOne(outcome);
        await DiscardSecretWhenDueAsync(task, outcome, hadSecret, after, session, bus);
    }

    /// <summary>
    /// Claims the attempt and commits the claim before anything is sent: of two hosts that got the same message, only
    /// one commits it, and a send is never hidden in a transaction that might still roll back. The one commit in this
    /// module's use-case code; the outcome is committed by the handler's own transaction.
    /// </summary>
    private async Task<NotificationTask?> ClaimAsync(DeliverNotification message, IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        var id = message.NotificationId;
        var stream = await session.Events.FetchForWriting<NotificationTask>(id, ct);
        if (stream.Aggregate is not { } task)
        {
            logger.LogWarning("Delivery of unknown notification {NotificationId} skipped.", id);
            return null;
        }

        if (task.Status == NotificationStatus.Executing && task.Attempts == message.Attempt)
        {
            // The host stopped in the middle of this attempt. Whether the message left is unknown, so it is not sent
            // again on its own: the task fails and an administrator may redo it.
            var failure = Failure(task, message.Attempt, task.Channel,
                "The host stopped during this attempt; the message may or may not have been sent. Redo the task to send it again.", true, null);
            stream.AppendOne(failure);
            var hasSecret = await session.LoadAsync<ProtectedNotificationSecret>(id, ct) is not null;
            await DiscardSecretWhenDueAsync(task, failure, hasSecret, stream, session, bus);
            return null;
        }

        if (task.Status != NotificationStatus.Waiting || message.Attempt != task.NextAttempt)
        {
            logger.LogDebug("Stale delivery of notification {NotificationId} (attempt {Attempt}) skipped.", id, message.Attempt);
            return null;
        }

        stream.AppendOne(new DeliveryStarted(id, message.Attempt, time.GetUtcNow()));
        try
        {
            await session.SaveChangesAsync(ct);
            return task;
        }
        catch (ConcurrencyException)
        {
            logger.LogInformation("Notification {NotificationId} attempt {Attempt} was claimed elsewhere.", id, message.Attempt);
            return null;
        }
    }

    /// <summary>Sends through the channel in force; a failure becomes its outcome, with the next attempt scheduled when one is due.</summary>
    private async Task<(object Outcome, bool HadSecret)> AttemptAsync(NotificationTask task, int attempt, IDocumentSession session, IMessageBus bus, CancellationToken ct)
    {
        var id = task.Id;
        var channel = task.Channel;
        string? protectedSecret = null;
        try
        {
            protectedSecret = (await session.LoadAsync<ProtectedNotificationSecret>(id, ct))?.ProtectedSecret;
            (channel, var providerId) = await SendAsync(task, protectedSecret, session, ct);
            logger.LogInformation("Notification {NotificationId} ({Kind}) sent through {Channel} at attempt {Attempt}.", id, task.Kind, channel, attempt);
            var sentThrough = new KeyValuePair<string, object?>("channel", channel);
            BuildingBlocks.ProductTelemetry.Messages.Add(1, sentThrough, new KeyValuePair<string, object?>("outcome", "sent"));
            BuildingBlocks.ProductTelemetry.DeliveryDelay.Record((time.GetUtcNow() - task.RequestedAt).TotalSeconds, sentThrough);
            return (new NotificationDelivered(id, attempt, task.Kind, channel, task.To, task.Message.Subject, providerId, time.GetUtcNow()), protectedSecret is not null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var (error, permanent) = DeliveryFailures.Describe(e);
            var roundAttempts = task.RoundAttempts + 1;
            DateTimeOffset? retryAt = !permanent && roundAttempts < options.Value.MaxAttempts
                ? time.GetUtcNow() + options.Value.RetryDelay(roundAttempts)
                : null;
            if (retryAt is { } at) await bus.ScheduleAsync(new DeliverNotification(id, attempt + 1), at);
            BuildingBlocks.ProductTelemetry.Messages.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", "failed"));
            logger.LogWarning(
                "Notification {NotificationId} ({Kind}) through {Channel} failed at attempt {Attempt}: {Error}{Retry}",
                id, task.Kind, channel, attempt, error, retryAt is null ? "" : $" (next attempt at {retryAt:u})");
            return (Failure(task, attempt, channel, error, permanent, retryAt), protectedSecret is not null);
        }
    }

    /// <summary>
    /// Once a message has gone out, its one-time secret is kept only for the retention period (so that a recent send can
    /// be redone), then deleted: a database dump with the key ring would otherwise hold every secret ever sent.
    /// A task never delivered keeps it for a redo.
    /// </summary>
    private async Task DiscardSecretWhenDueAsync(
        NotificationTask task, object outcome, bool hasSecret, IEventStream<NotificationTask> stream, IDocumentSession session, IMessageBus bus)
    {
        if (!hasSecret) return;
        (int Attempt, DateTimeOffset At)? delivered = outcome switch
        {
            NotificationDelivered d => (d.Attempt, d.At),
            DeliveryFailed { RetryAt: null } when task.History.LastOrDefault(h => h.Status == MailLogStatus.Sent) is { } h => (h.Attempt, h.At),
            _ => null,
        };
        if (delivered is not { } last) return;

        var due = last.At + options.Value.SecretRetention;
        var now = time.GetUtcNow();
        if (due > now)
        {
            await bus.ScheduleAsync(new DiscardNotificationSecret(task.Id, last.Attempt), due);
            return;
        }

        session.Delete<ProtectedNotificationSecret>(task.Id);
        stream.AppendOne(new NotificationSecretDiscarded(task.Id, now));
    }

    private async Task<(string Channel, string? ProviderId)> SendAsync(NotificationTask task, string? protectedSecret, IQuerySession session, CancellationToken ct)
    {
        if (!MessageTemplates.Kinds.Contains(task.Kind)) throw new DeliveryException($"There are no templates for the message kind '{task.Kind}'.", true);
        var secret = Unprotect(protectedSecret);
        if (secret is null && MessageTemplates.KindsWithSecret.Contains(task.Kind))
            throw new DeliveryException($"A '{task.Kind}' message needs its one-time secret, which the sender did not give.", true);
        var now = time.GetUtcNow();

        switch (task.Channel)
        {
            case NotificationChannels.Email:
            {
                var mail = await settings.MailAsync(session, ct);
                if (mail.SendsOverSmtp) HoldBackRootSecret(task, secret, mail.SetByRoot, "mail");
                var rendered = templates.Render(task.Kind, task.Channel, task.Model, secret);
                var message = MailComposer.Compose(task.Id, task.Kind, task.To, rendered, mail.From, now);
                if (!mail.SendsOverSmtp)
                {
                    await PickupFolder.WriteAsync(message, mail.PickupDirectory, task.To, task.Id, now, ct);
                    return (DeliveryChannels.Pickup, null);
                }

                var reply = await SmtpMail.SendAsync(message, mail, secret is not null, ct);
                return (DeliveryChannels.Email, reply);
            }

            case NotificationChannels.Sms:
            {
                var current = await settings.SmsAsync(session, ct);
                if (!current.Configured) throw new DeliveryException("SMS is not enabled or its provider settings are incomplete.", true);
                HoldBackRootSecret(task, secret, current.SetByRoot, "SMS");
                var rendered = templates.Render(task.Kind, task.Channel, task.Model, secret);
                var receipt = await sms.SendAsync(new SmsMessage(task.To, rendered.Text), current, ct);
                return (DeliveryChannels.Sms, receipt.MessageId);
            }

            default:
                throw new DeliveryException($"Unknown channel '{task.Channel}'.", true);
        }
    }

    /// <summary>
    /// A root account's secret goes only through settings a root set (or the host's configuration): an administrator short
    /// of root who repoints SMTP or SMS at a server of their own must not receive it (docs/adr/0019). The pickup folder,
    /// on the host itself, is always trusted.
    /// </summary>
    private static void HoldBackRootSecret(NotificationTask task, string? secret, bool settingsSetByRoot, string what)
    {
        if (task.ForRoot && secret is not null && !settingsSetByRoot)
        {
            throw new DeliveryException(
                $"Held back: this message carries a root account's secret, and the {what} settings were last saved by an administrator who is not root. " +
                $"A root must check and save the {what} settings, then redo the task.", true);
        }
    }

    private string? Unprotect(string? protectedSecret)
    {
        if (protectedSecret is null) return null;
        try
        {
            return protection.CreateProtector(SecretProtection.Purpose).Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            throw new DeliveryException("The one-time secret cannot be decrypted: the sender used other Data Protection keys.", true);
        }
    }

    private DeliveryFailed Failure(NotificationTask task, int attempt, string channel, string error, bool permanent, DateTimeOffset? retryAt) =>
        new(task.Id, attempt, task.Kind, channel, task.To, task.Message.Subject, error, permanent, retryAt, time.GetUtcNow());
}
