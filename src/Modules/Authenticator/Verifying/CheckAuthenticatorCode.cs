using Marten;
using Recovery.Contracts;

namespace Authenticator.Verifying;

/// <summary>Recovery asks: is this the current code of the account's authenticator?</summary>
public sealed record CheckAuthenticatorCode(RecoveryProofV1 Proof);

public static class CheckAuthenticatorCodeHandler
{
    /// <summary>
    /// A code matches a step of the enrolled key later than the last one used, and that step is used up at once; two
    /// tries of one code at the same moment meet the enrolment's version, and only one wins. With no account, or no
    /// confirmed authenticator, the same computation runs on a decoy key and the answer is no.
    /// </summary>
    public static async Task<RecoveryProofVerdictV1> Handle(CheckAuthenticatorCode check, IDocumentSession session, AuthenticatorKeys keys, CancellationToken ct)
    {
        var proof = check.Proof;
        var enrolment = proof.AccountId is { } accountId ? await session.LoadAsync<AuthenticatorEnrolment>(accountId, ct) : null;
        if (enrolment is not { Confirmed: true })
        {
            keys.Decoy(proof.Proof, proof.At);
            return new RecoveryProofVerdictV1(false);
        }

        if (AuthenticatorKeys.Match(keys.Unprotect(enrolment.ProtectedKey), proof.Proof, proof.At, enrolment.LastUsedStep) is not { } step)
            return new RecoveryProofVerdictV1(false);

        enrolment.LastUsedStep = step;
        session.Store(enrolment);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (JasperFx.ConcurrencyException)
        {
            // Another try used the step first.
            session.EjectAllPendingChanges();
            return new RecoveryProofVerdictV1(false);
        }

        return new RecoveryProofVerdictV1(true);
    }
}
