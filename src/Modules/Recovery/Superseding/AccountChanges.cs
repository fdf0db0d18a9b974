using Accounts.Contracts;
using JasperFx;
using Marten;
using Recovery.Contracts;
using Recovery.Verifying;
using Wolverine.Attributes;

namespace Recovery.Superseding;

/// <summary>
/// A link or code must not outlive a change that makes it stale: a new password (whoever set it) or a changed
/// email or phone, or a disabled account (the secret may have gone to an address the account no longer has).
/// </summary>
public static class AccountChangesHandler
{
    /// <summary>
    /// The request that caused the change is never superseded by it: the reset endpoint records its completion in its
    /// own transaction, right after Accounts committed the password. Should that record fail, the request is completed
    /// here, so its token cannot stay open (Accounts refuses it meanwhile). The request's lock waits for the endpoint's
    /// transaction to end, and is taken after the account's, as every other path takes them.
    /// A new password (a completed reset, or whoever else set it) also clears the account's count of wrong codes;
    /// it is deleted under the account's lock, which the supersede has taken, so no try counted meanwhile brings it back.
    /// </summary>
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250)]
    public static async Task<PasswordResetCompletedV1?> Handle(PasswordChangedV1 changed, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        await OpenRequests.SupersedeAsync(session, changed.AccountId, changed.RequestId, null, $"password changed ({changed.Reason})", time.GetUtcNow(), ct);
        session.Delete<AccountCodeFailures>(changed.AccountId);
        if (changed.RequestId is not { } requestId || await session.LoadAsync<RecoveryRequest>(requestId, ct) is not { IsOpen: true }) return null;

        var stream = await session.Events.FetchForExclusiveWriting<RecoveryRequest>(requestId, ct);
        if (stream.Aggregate is not { IsOpen: true } request || request.AccountId != changed.AccountId) return null;
        stream.AppendOne(new ResetCompleted(requestId, changed.AccountId, changed.ActorId, null, changed.At));
        return new PasswordResetCompletedV1(requestId, changed.AccountId, request.Channel, request.Initiator, changed.ActorId, changed.At);
    }

    [RetryNow(typeof(ConcurrencyException), 50, 100, 250)]
    public static Task Handle(AccountContactChangedV1 changed, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
        OpenRequests.SupersedeAsync(session, changed.AccountId, null, null, changed.Reason, time.GetUtcNow(), ct);
}

internal static class OpenRequests
{
    /// <summary>
    /// Ends every request of the account whose link, code or reset token may still be used, but <paramref name="except"/>:
    /// because a newer request (<paramref name="supersededBy"/>) or a change to the account (<paramref name="reason"/>) came.
    /// </summary>
    public static async Task SupersedeAsync(
        IDocumentSession session, Guid accountId, Guid? except, Guid? supersededBy, string? reason, DateTimeOffset now, CancellationToken ct)
    {
        // Takes turns with every other issuing and superseding for the account, so none misses a request made meanwhile.
        await RecoveryAccountLock.TakeAsync(session, accountId, ct);
        var open = await session.Query<RecoveryRequest>()
            .Where(r => r.AccountId == accountId && (r.State == RequestState.Issued || r.State == RequestState.Verified))
            .Select(r => r.Id)
            .ToListAsync(ct);
        foreach (var id in open.Where(id => id != except))
        {
            // Fetched for writing, so that a code try or a reset committed meanwhile makes this fail and run again.
            var stream = await session.Events.FetchForWriting<RecoveryRequest>(id, ct);
            if (stream.Aggregate is { IsOpen: true }) stream.AppendOne(new ResetSuperseded(id, accountId, supersededBy, now, reason));
        }
    }
}
