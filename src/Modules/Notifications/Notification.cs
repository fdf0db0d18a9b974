namespace Notifications;

/// <summary>
/// One notification task, folded from its own event stream (the stream id is the sender's NotificationId).
/// It holds only the masked copy of the message: the one-time secret never reaches the event store.
/// </summary>
internal sealed record NotificationTask(
    Guid Id,
    string Kind,
    string Channel,
    string To,
    Guid? AccountId,
    IReadOnlyDictionary<string, string> Model,
    MaskedMessage Message,
    DateTimeOffset RequestedAt,
    DateTimeOffset ScheduledFor,
    NotificationStatus Status,
    int Attempts,
    int RoundAttempts,
    string? LastError,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<DeliveryRecord> History,
    bool ForRoot = false)
{
    public static NotificationTask Create(NotificationRequested e) => new(
        e.NotificationId, e.Kind, e.Channel, e.To, e.AccountId, e.Model, e.Message, e.At, e.ScheduledFor,
        NotificationStatus.Waiting, 0, 0, null, null, [], e.ForRoot);

    public NotificationTask Apply(DeliveryStarted e) => this with
    {
        Status = NotificationStatus.Executing,
        Attempts = e.Attempt,
        RoundAttempts = RoundAttempts + 1,
    };

    public NotificationTask Apply(NotificationDelivered e) => this with
    {
        Status = NotificationStatus.Done,
        CompletedAt = e.At,
        History = [.. History, new DeliveryRecord(e.Attempt, e.Channel, MailLogStatus.Sent, null, e.At)],
    };

    public NotificationTask Apply(DeliveryFailed e) => this with
    {
        Status = e.RetryAt is null ? NotificationStatus.Failed : NotificationStatus.Waiting,
        ScheduledFor = e.RetryAt ?? ScheduledFor,
        LastError = e.Error,
        CompletedAt = e.RetryAt is null ? e.At : null,
        History = [.. History, new DeliveryRecord(e.Attempt, e.Channel, MailLogStatus.Failed, e.Error, e.At)],
    };

    public NotificationTask Apply(RedoRequested e) => this with
    {
        Status = NotificationStatus.Waiting,
        ScheduledFor = e.At,
        RoundAttempts = 0,
        CompletedAt = null,
    };

    /// <summary>The attempt a delivery message must carry to be the one that runs next.</summary>
    public int NextAttempt => Attempts + 1;

    /// <summary>
    /// Done, failed, or waiting for its next automatic retry after a failed attempt (an administrator who has fixed the
    /// settings need not wait for it). A task still waiting for its first attempt keeps its delay. The pending retry
    /// carries the same attempt number as the redo, so whichever runs second finds the attempt taken and sends nothing.
    /// </summary>
    public bool CanBeRedone =>
        Status is NotificationStatus.Done or NotificationStatus.Failed || (Status == NotificationStatus.Waiting && Attempts > 0);
}

/// <summary>What is stored and shown of a message: rendered with the one-time secret masked.</summary>
internal sealed record MaskedMessage(string Subject, string Text, string? Html);

internal sealed record DeliveryRecord(int Attempt, string Channel, string Status, string? Error, DateTimeOffset At);

/// <summary>Where a notification task stands. Stored by name; on the wire in lower case (<see cref="NotificationStatusNames"/>).</summary>
internal enum NotificationStatus
{
    Waiting,
    Executing,
    Done,
    Failed,
}

internal static class NotificationStatusNames
{
    public static string Wire(this NotificationStatus status) => status switch
    {
        NotificationStatus.Waiting => "waiting",
        NotificationStatus.Executing => "executing",
        NotificationStatus.Done => "done",
        _ => "failed",
    };

    /// <summary>The status a client named, or null for a name that is none.</summary>
    public static NotificationStatus? FromWire(string value) =>
        Enum.GetValues<NotificationStatus>().Cast<NotificationStatus?>().FirstOrDefault(s => s!.Value.Wire() == value.Trim().ToLowerInvariant());
}

internal static class MailLogStatus
{
    public const string Sent = "sent";
    public const string Failed = "failed";
}

/// <summary>The channels a message really went through, as the mail log names them.</summary>
internal static class DeliveryChannels
{
    public const string Email = "email";
    public const string Sms = "sms";
    public const string Pickup = "pickup";
}

// The notification stream's events. None of them carries a one-time secret or a credential.

/// <summary>The sender's model holds no secret (the contract passes that separately), so it is kept to render the real message later.</summary>
internal sealed record NotificationRequested(
    Guid NotificationId, string Kind, string Channel, string To, Guid? AccountId, IReadOnlyDictionary<string, string> Model, MaskedMessage Message,
    bool HasSecret, DateTimeOffset ScheduledFor, DateTimeOffset At, bool ForRoot = false);

internal sealed record DeliveryStarted(Guid NotificationId, int Attempt, DateTimeOffset At);

internal sealed record NotificationDelivered(
    Guid NotificationId, int Attempt, string Kind, string Channel, string To, string Subject, string? ProviderMessageId, DateTimeOffset At);

/// <summary>A failed attempt; <see cref="RetryAt"/> is set when another attempt is scheduled, null when the task has failed.</summary>
internal sealed record DeliveryFailed(
    Guid NotificationId, int Attempt, string Kind, string Channel, string To, string Subject, string Error, bool Permanent,
    DateTimeOffset? RetryAt, DateTimeOffset At);

internal sealed record RedoRequested(Guid NotificationId, Guid? ActorId, DateTimeOffset At);

/// <summary>The one-time secret was deleted (its value was never in this stream): the message can no longer be sent again.</summary>
internal sealed record NotificationSecretDiscarded(Guid NotificationId, DateTimeOffset At);
