using BuildingBlocks;
using Marten;

namespace Recovery;

/// <summary>
/// A PostgreSQL advisory lock on one account's recovery requests, held until the session's transaction ends, so that
/// issuing and superseding for an account take turns instead of each missing the other's uncommitted request.
/// </summary>
internal static class RecoveryAccountLock
{
    // A key space of its own ("Recovery" in ASCII), so it never waits on the Accounts module's lock of the same account.
    private const long KeySpace = 0x5265636F76657279;

    public static async Task TakeAsync(IDocumentSession session, Guid accountId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await AdvisoryLock.TakeAsync(session.Connection!, AdvisoryLock.Key(accountId, KeySpace), ct);
    }
}
