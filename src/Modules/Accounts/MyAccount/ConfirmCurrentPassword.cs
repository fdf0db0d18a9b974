using Accounts.Contracts;
using Accounts.Passwords;
using Accounts.Settings;
using Marten;

namespace Accounts.MyAccount;

/// <summary>The current password, confirmed for another module's guarded change; a wrong one is a failed authentication.</summary>
public static class ConfirmCurrentPasswordHandler
{
    public static async Task<CurrentPasswordConfirmedV1> Handle(
        ConfirmCurrentPasswordV1 query, IDocumentSession session, PasswordHasher hasher, PasswordChanges changes, TimeProvider time, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Account>(query.AccountId, ct);
        if (stream.Aggregate is not { } account) return new CurrentPasswordConfirmedV1(false);
        var typed = PasswordText.Normalize(query.Password);
        if (PasswordText.Length(typed) <= PasswordPolicy.AbsoluteMaxLength && await hasher.VerifyAsync(account.PasswordHash, typed, ct))
            return new CurrentPasswordConfirmedV1(true);

        var outcome = account.FailedAuthentication(await PasswordPolicySettings.CurrentAsync(session, ct), query.ClientIp, time.GetUtcNow());
        stream.AppendMany(outcome);
        if (outcome.OfType<AccountLocked>().Any()) await changes.EndSessionsAsync(session, stream, "account locked", null, ct);
        return new CurrentPasswordConfirmedV1(false);
    }
}
