using Audit.Contracts;
using BuildingBlocks;

namespace Authenticator;

/// <summary>
/// One account's authenticator: its TOTP key (protected with Data Protection, never stored or logged in clear), whether
/// the person confirmed it with a code, and the last time step used, so that no code is accepted twice. The document's id
/// is the account's id; it is deleted when the authenticator is removed.
/// </summary>
internal sealed class AuthenticatorEnrolment
{
    public Guid Id { get; set; }

    public required string ProtectedKey { get; set; }

    public bool Confirmed { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EnrolledAt { get; set; }

    /// <summary>The last 30-second step whose code was accepted; only later steps are accepted from now on.</summary>
    public long LastUsedStep { get; set; }
}

internal sealed record AuthenticatorEnrolled(Guid AccountId, Guid? ActorId, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.AuthenticatorEnrolled;

    Guid? ISecurityEvent.AccountId => AccountId;

    public string Summary => "Authenticator app enrolled for password recovery.";
}

internal sealed record AuthenticatorRemoved(Guid AccountId, Guid? ActorId, bool ByAdministrator, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.AuthenticatorRemoved;

    Guid? ISecurityEvent.AccountId => AccountId;

    public string Summary => ByAdministrator ? "Authenticator app removed by an administrator." : "Authenticator app removed.";
}

internal static class AuthenticatorStream
{
    public static Guid For(Guid accountId) => ModuleStreams.For(accountId, "authenticator");
}
