using Audit.Contracts;
using BuildingBlocks;

namespace Accounts;

/// <summary>An account, folded from its own event stream (the stream id is the account id).</summary>
internal sealed record Account(
    Guid Id,
    string Username,
    string NormalizedUsername,
    string? Email,
    string? NormalizedEmail,
    string? Phone,
    string[] Roles,
    string PasswordHash,
    bool MustChangePassword,
    bool Disabled,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PasswordChangedAt,
    DateTimeOffset? TemporaryPasswordExpiresAt = null,
    string[]? FamiliarAddresses = null,
    int FamiliarFailedSignIns = 0,
    DateTimeOffset? FamiliarLockedUntil = null,
    Guid? LastRequestId = null)
{
    /// <summary>How many client addresses with a successful sign-in are remembered (the most recent ones).</summary>
    public const int FamiliarAddressLimit = 20;

    public static Account Create(AccountRegistered e) => new(
        e.AccountId, e.Username, Normalize(e.Username)!, e.Email, Normalize(e.Email), e.Phone, e.Roles,
        e.PasswordHash, e.MustChangePassword, false, 0, null, e.At, e.At);

    public Account Apply(AccountDetailsChanged e) => this with
    {
        Email = e.Email,
        NormalizedEmail = Normalize(e.Email),
        Phone = e.Phone,
        Roles = e.Roles,
        Disabled = e.Disabled,
    };

    /// <summary>A success starts its own side's count again, and its address becomes familiar (docs/adr/0016).</summary>
    public Account Apply(SignedIn e)
    {
        var signedIn = IsFamiliar(e.ClientIp)
            ? this with { FamiliarFailedSignIns = 0, FamiliarLockedUntil = null }
            : this with { FailedSignIns = 0, LockedUntil = null };
        return e.ClientIp is null
            ? signedIn
            : signedIn with { FamiliarAddresses = [.. (FamiliarAddresses ?? []).Where(a => a != e.ClientIp).TakeLast(FamiliarAddressLimit - 1), e.ClientIp] };
    }

    public Account Apply(SignInFailed e) => e.Familiar
        ? this with { FamiliarFailedSignIns = e.ConsecutiveFailures }
        : this with { FailedSignIns = e.ConsecutiveFailures };

    public Account Apply(AccountLocked e) => e.Familiar
        ? this with { FamiliarLockedUntil = e.Until, FamiliarFailedSignIns = 0 }
        : this with { LockedUntil = e.Until, FailedSignIns = 0 };

    public Account Apply(AccountUnlocked e) => this with { LockedUntil = null, FailedSignIns = 0, FamiliarLockedUntil = null, FamiliarFailedSignIns = 0 };

    public Account Apply(PasswordChanged e) => this with
    {
        PasswordHash = e.PasswordHash,
        MustChangePassword = e.MustChangePassword,
        PasswordChangedAt = e.At,
        TemporaryPasswordExpiresAt = e.MustChangePassword ? e.TemporaryUntil : null,
        LastRequestId = e.RequestId,
        // A new password clears a lockout: recovery is the way out of one.
        LockedUntil = null,
        FailedSignIns = 0,
        FamiliarLockedUntil = null,
        FamiliarFailedSignIns = 0,
    };

    public Account Apply(PasswordRehashed e) => this with { PasswordHash = e.PasswordHash };

    /// <summary>Locked for anyone: either side (familiar addresses, everyone else) is locked. What administrators see.</summary>
    public bool IsLocked(DateTimeOffset now) => LockedUntil > now || FamiliarLockedUntil > now;

    /// <summary>The end of the lock that is in force somewhere, the later one if both are.</summary>
    public DateTimeOffset? LockedUntilAny(DateTimeOffset now) =>
        new[] { LockedUntil, FamiliarLockedUntil }.Where(u => u > now).Max();

    /// <summary>
    /// Smart lockout (docs/adr/0016): an address this account has signed in from successfully counts its failures apart
    /// from every other address, so wrong passwords sent from elsewhere lock out elsewhere, not the owner.
    /// </summary>
    public bool IsFamiliar(string? clientIp) => clientIp is not null && FamiliarAddresses?.Contains(clientIp) == true;

    public bool IsLockedFor(string? clientIp, DateTimeOffset now) => IsFamiliar(clientIp) ? FamiliarLockedUntil > now : LockedUntil > now;

    public int FailuresFor(string? clientIp) => IsFamiliar(clientIp) ? FamiliarFailedSignIns : FailedSignIns;

    /// <summary>
    /// A wrong password (at sign-in or as the current password of a change): the failure, and the lock when it is the
    /// one that reaches the policy's threshold, each on the side of the address it came from.
    /// </summary>
    public IReadOnlyList<object> FailedAuthentication(Passwords.PasswordPolicy policy, string? clientIp, DateTimeOffset now)
    {
        var familiar = IsFamiliar(clientIp);
        var failures = FailuresFor(clientIp) + 1;
        var failed = new SignInFailed(Id, failures, false, clientIp, now, Familiar: familiar);
        return policy.LockoutThreshold > 0 && failures >= policy.LockoutThreshold
            ? [failed, new AccountLocked(Id, now.AddMinutes(policy.LockoutMinutes), now, familiar)]
            : [failed];
    }

    /// <summary>
    /// Why a sign-in with a password that does or does not match is refused, as the events to record; empty when it may
    /// go through. A disabled account, an expired temporary password and a lock refuse even the right password, and
    /// none of the refusals is told apart in the answer.
    /// </summary>
    public IReadOnlyList<object> RefuseSignIn(bool passwordMatches, Passwords.PasswordPolicy policy, string? clientIp, DateTimeOffset now)
    {
        var (failures, familiar) = (FailuresFor(clientIp), IsFamiliar(clientIp));
        if (Disabled) return [new SignInFailed(Id, failures, false, clientIp, now, "the account is disabled", familiar)];
        if (passwordMatches && TemporaryPasswordExpired(now)) return [new SignInFailed(Id, failures, false, clientIp, now, "the temporary password has expired", familiar)];
        if (IsLockedFor(clientIp, now)) return [new SignInFailed(Id, failures, true, clientIp, now, Familiar: familiar)];
        return passwordMatches ? [] : FailedAuthentication(policy, clientIp, now);
    }

    /// <summary>A temporary password an administrator issued and nobody used in time is no password at all.</summary>
    public bool TemporaryPasswordExpired(DateTimeOffset now) => TemporaryPasswordExpiresAt is { } until && until <= now;

    public string Status(DateTimeOffset now) => Disabled ? "disabled" : IsLocked(now) ? "locked" : "active";

    public bool IsPrivileged => Roles.Contains(BuildingBlocks.Roles.Root) || Roles.Contains(BuildingBlocks.Roles.Admin);

    public static string? Normalize(string? value) => value?.Trim().ToLowerInvariant();

    /// <summary>The longest login there can be: an email address (254) with room for surrounding spaces.</summary>
    public const int MaxLoginLength = 320;
}

// The account stream's events. Nothing secret in them but the Argon2id hash.

internal sealed record AccountRegistered(
    Guid AccountId, string Username, string? Email, string? Phone, string[] Roles, string PasswordHash,
    bool MustChangePassword, Guid? ActorId, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.AccountRegistered;

    public string Summary => $"Account '{Username}' registered with roles {string.Join(", ", Roles)}.";
    Guid? ISecurityEvent.AccountId => AccountId;
}

internal sealed record AccountDetailsChanged(
    Guid AccountId, string? Email, string? Phone, string[] Roles, bool Disabled, Guid? ActorId, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.AccountDetailsChanged;

    public string Summary => $"Account details changed (roles {string.Join(", ", Roles)}{(Disabled ? ", disabled" : "")}).";
    Guid? ISecurityEvent.AccountId => AccountId;
}

internal sealed record SignedIn(Guid AccountId, Guid SessionId, string? ClientIp, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.SignedIn;

    public string Summary => $"Signed in from {ClientIp ?? "an unknown address"}.";
    Guid? ISecurityEvent.AccountId => AccountId;
    Guid? ISecurityEvent.ActorId => AccountId;
}

/// <param name="Familiar">From an address the account has signed in from before (smart lockout, docs/adr/0016).</param>
internal sealed record SignInFailed(
    Guid AccountId, int ConsecutiveFailures, bool WhileLocked, string? ClientIp, DateTimeOffset At, string? Reason = null, bool Familiar = false) : ISecurityEvent
{
    public string Type => SecurityEventTypes.SignInFailed;

    public string Summary => WhileLocked
        ? $"Sign-in refused: the account is locked (from {ClientIp ?? "an unknown address"})."
        : Reason is not null
            ? $"Sign-in refused: {Reason} (from {ClientIp ?? "an unknown address"})."
            : $"Sign-in failed: wrong password, {ConsecutiveFailures} in a row (from {ClientIp ?? "an unknown address"}).";
    Guid? ISecurityEvent.AccountId => AccountId;
    Guid? ISecurityEvent.ActorId => null;
}

/// <param name="Familiar">The lock holds for the account's familiar addresses; otherwise for every other address.</param>
internal sealed record AccountLocked(Guid AccountId, DateTimeOffset Until, DateTimeOffset At, bool Familiar = false) : ISecurityEvent
{
    public string Type => SecurityEventTypes.AccountLocked;

    public string Summary => Familiar
        ? $"Account locked until {Until:u} after repeated failed sign-ins from addresses it had signed in from."
        : $"Account locked until {Until:u} for sign-ins from unfamiliar addresses, after repeated failures from them.";
    Guid? ISecurityEvent.AccountId => AccountId;
    Guid? ISecurityEvent.ActorId => null;
}

internal sealed record AccountUnlocked(Guid AccountId, Guid? ActorId, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.AccountUnlocked;

    public string Summary => "Account unlocked by an administrator.";
    Guid? ISecurityEvent.AccountId => AccountId;
}

/// <summary>
/// Any new password: a change, a reset, an operator's break-glass, an admin's temporary password (which stops working
/// at <see cref="TemporaryUntil"/> unless changed before).
/// </summary>
internal sealed record PasswordChanged(
    Guid AccountId, string PasswordHash, string Reason, Guid? ActorId, Guid? RequestId, bool MustChangePassword, DateTimeOffset At,
    DateTimeOffset? TemporaryUntil = null) : ISecurityEvent
{
    public string Type => SecurityEventTypes.PasswordChanged;

    public string Summary => $"Password changed ({Reason}){(MustChangePassword ? "; must be changed at next sign-in" : "")}.";
    Guid? ISecurityEvent.AccountId => AccountId;
}

/// <summary>The same password, hashed again with the current Argon2 parameters after a successful sign-in.</summary>
internal sealed record PasswordRehashed(Guid AccountId, string PasswordHash, DateTimeOffset At);

internal sealed record SessionsEnded(Guid AccountId, string Reason, Guid? ActorId, int Count, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.SessionsEnded;

    public string Summary => $"{Count} session(s) ended ({Reason}).";
    Guid? ISecurityEvent.AccountId => AccountId;
}

internal sealed record SignedOut(Guid AccountId, Guid SessionId, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.SignedOut;

    public string Summary => "Signed out.";
    Guid? ISecurityEvent.AccountId => AccountId;
    Guid? ISecurityEvent.ActorId => AccountId;
}

/// <summary>
/// A sign-in for a login that belongs to no account. The login itself is not kept (people type passwords into the login
/// field); its keyed fingerprint (<see cref="UnknownLogins"/>) lets auditors see repeated attempts on one name, and
/// cannot be reversed by hashing guesses without the key. One stream per fingerprint.
/// </summary>
internal sealed record UnknownLoginSignInFailed(string LoginFingerprint, string? ClientIp, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.UnknownLoginSignInFailed;

    public string Summary => $"Sign-in failed for an unknown login (fingerprint {LoginFingerprint[..12]}) from {ClientIp ?? "an unknown address"}.";
    Guid? ISecurityEvent.AccountId => null;
    Guid? ISecurityEvent.ActorId => null;
}

/// <summary>Fingerprints of typed logins that match no account: HMAC-SHA256 under a key of the product's own.</summary>
internal static class UnknownLogins
{
    public const string KeyName = "Accounts:LoginFingerprintKey";

    public static async Task<(string Fingerprint, Guid Stream)> FingerprintAsync(HashKeys keys, string normalizedLogin, CancellationToken ct)
    {
        var fingerprint = await keys.HashAsync(KeyName, "unknown-login:" + normalizedLogin, ct);
        return (fingerprint, new Guid(Convert.FromHexString(fingerprint)[..16]));
    }
}
