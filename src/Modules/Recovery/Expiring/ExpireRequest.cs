using Marten;

namespace Recovery.Expiring;

/// <summary>Scheduled for the moment a request's link, code or reset token stops being usable.</summary>
public sealed record ExpireRecoveryRequest(Guid RequestId);

public static class ExpireRecoveryRequestHandler
{
    /// <summary>
    /// Records the expiry as an event. A verified code schedules a later expiry for its reset token, so an earlier
    /// message that finds the request still usable does nothing.
    /// </summary>
    public static async Task Handle(ExpireRecoveryRequest message, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<RecoveryRequest>(message.RequestId, ct);
        if (stream.Aggregate is not { IsOpen: true } request) return;
        var now = time.GetUtcNow();
        if (!request.HasLapsed(now)) return;
        stream.AppendOne(new ResetExpired(request.Id, request.AccountId, now));
    }
}
