using BuildingBlocks;
using Marten;
using Recovery.Contracts;

namespace RecoveryCodes.Verifying;

/// <summary>Recovery asks: is this one of the account's unused recovery codes?</summary>
public sealed record CheckRecoveryCode(RecoveryProofV1 Proof);

public static class CheckRecoveryCodeHandler
{
    /// <summary>
    /// The typed code is hashed and compared with every code of the account alike; a match is used up at once (two tries
    /// of one code at the same moment meet the set's version, and only one wins). With no account, or no codes, the
    /// same hash and comparisons run against a set of no one and the answer is no.
    /// </summary>
    public static async Task<RecoveryProofVerdictV1> Handle(CheckRecoveryCode check, IDocumentSession session, HashKeys keys, CancellationToken ct)
    {
        var proof = check.Proof;
        var hash = await keys.HashAsync(RecoveryCodeSet.HashKey, RecoveryCodeSet.Normalize(proof.Proof), ct);
        var set = proof.AccountId is { } accountId ? await session.LoadAsync<RecoveryCodeSet>(accountId, ct) : null;
        var found = (set ?? Decoy).Find(hash);
        if (set is null || found is not { } index) return new RecoveryProofVerdictV1(false);

        set.Used[index] = true;
        session.Store(set);
        session.Events.Append(RecoveryCodesStream.For(set.Id), new RecoveryCodeUsed(set.Id, proof.RequestId, set.Remaining, proof.At));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.ConcurrencyException)
        {
            // Another try used the code first.
            session.EjectAllPendingChanges();
            return new RecoveryProofVerdictV1(false);
        }

        return new RecoveryProofVerdictV1(true);
    }

    private static readonly RecoveryCodeSet Decoy = new()
    {
        Hashes = Enumerable.Range(0, RecoveryCodeSet.Count).Select(_ => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))).ToArray(),
        Used = new bool[RecoveryCodeSet.Count],
    };
}
