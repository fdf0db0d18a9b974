using Accounts.Passwords;
using Marten.Events.Aggregation;

namespace Accounts.PasswordHistory;

/// <summary>The hashes of an account's latest passwords, newest (the current one) first.</summary>
internal sealed record PasswordHistoryWindow(Guid Id, string[] Hashes)
{
    public IEnumerable<string> Latest(int count) => Hashes.Take(count);
}

/// <summary>
/// Built from the password events, keeping up to <see cref="PasswordPolicy.MaxHistoryCount"/> hashes whatever the
/// current historyCount, so that raising it later applies at once to passwords already in the event history.
/// </summary>
internal sealed class PasswordHistoryProjection : SingleStreamProjection<PasswordHistoryWindow, Guid>
{
    public static PasswordHistoryWindow Create(AccountRegistered e) => new(e.AccountId, [e.PasswordHash]);

    public static PasswordHistoryWindow Apply(PasswordChanged e, PasswordHistoryWindow window) =>
        window with { Hashes = [e.PasswordHash, .. window.Hashes.Take(PasswordPolicy.MaxHistoryCount - 1)] };

    // The same password under new Argon2 parameters replaces its own older hash.
    public static PasswordHistoryWindow Apply(PasswordRehashed e, PasswordHistoryWindow window) =>
        window with { Hashes = [e.PasswordHash, .. window.Hashes.Skip(1)] };
}
