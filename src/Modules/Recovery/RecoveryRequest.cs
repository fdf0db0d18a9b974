using Audit.Contracts;
using BuildingBlocks;

namespace Recovery;

/// <summary>
/// Where a recovery request stands; only <see cref="Issued"/> and <see cref="Verified"/> may still lead to a new password.
/// Stored by name (Marten keeps enums as strings), so reordering the members changes nothing stored.
/// </summary>
internal enum RequestState
{
    /// <summary>Recorded, the secret not yet issued.</summary>
    Requested,

    /// <summary>A link or code is out.</summary>
    Issued,

    /// <summary>The code was right; a reset token is out.</summary>
    Verified,

    /// <summary>No account, or no address for the channel: nothing was sent and nothing can be verified.</summary>
    Undeliverable,

    Completed,
    Expired,
    Superseded,
}

/// <summary>One recovery request, folded from its own event stream (the stream id is the request id).</summary>
internal sealed record RecoveryRequest(
    Guid Id,
    Guid? AccountId,
    string Channel,
    string Initiator,
    RequestState State,
    string? SecretKind,
    string? CodeHash,
    DateTimeOffset? ExpiresAt,
    int MaxAttempts,
    int Failures,
    string? RedeemableHash,
    DateTimeOffset? RedeemableUntil,
    DateTimeOffset RequestedAt)
{
    public static RecoveryRequest Create(ResetRequested e) =>
        new(e.RequestId, e.AccountId, e.Channel, e.Initiator, RequestState.Requested, null, null, null, 0, 0, null, null, e.At);

    public RecoveryRequest Apply(ResetLinkIssued e) => this with
    {
        AccountId = e.AccountId, State = RequestState.Issued, SecretKind = Contracts.RecoverySecretKinds.Link,
        ExpiresAt = e.ExpiresAt, RedeemableHash = e.TokenHash, RedeemableUntil = e.ExpiresAt,
    };

    public RecoveryRequest Apply(ResetCodeIssued e) => this with
    {
        AccountId = e.AccountId, State = RequestState.Issued, SecretKind = Contracts.RecoverySecretKinds.Code,
        CodeHash = e.CodeHash, ExpiresAt = e.ExpiresAt, MaxAttempts = e.MaxAttempts,
    };

    public RecoveryRequest Apply(ResetProofAwaited e) => this with
    {
        AccountId = e.AccountId, State = RequestState.Issued, SecretKind = Contracts.RecoverySecretKinds.Proof, ExpiresAt = e.ExpiresAt, MaxAttempts = e.MaxAttempts,
    };

    public RecoveryRequest Apply(ResetUndeliverable e) => this with
    {
        AccountId = e.AccountId, State = RequestState.Undeliverable, SecretKind = e.SecretKind, ExpiresAt = e.ExpiresAt, MaxAttempts = e.MaxAttempts,
    };

    public RecoveryRequest Apply(CodeVerificationFailed e) => this with { Failures = e.Failures };

    public RecoveryRequest Apply(CodeVerified e) => this with
    {
        State = RequestState.Verified, RedeemableHash = e.ResetTokenHash, RedeemableUntil = e.ResetTokenExpiresAt,
    };

    public RecoveryRequest Apply(TemporaryPasswordIssued e) => this with { AccountId = e.AccountId };

    public RecoveryRequest Apply(ResetCompleted e) => this with { State = RequestState.Completed, AccountId = e.AccountId, RedeemableHash = null };

    public RecoveryRequest Apply(ResetExpired e) => this with { State = RequestState.Expired, RedeemableHash = null };

    public RecoveryRequest Apply(ResetSuperseded e) => this with { State = RequestState.Superseded, RedeemableHash = null };

    /// <summary>A secret of this request may still be used (time aside).</summary>
    public bool IsOpen => State is RequestState.Issued or RequestState.Verified;

    public bool AttemptsExhausted => MaxAttempts > 0 && Failures >= MaxAttempts;

    /// <summary>When what may be used now stops being usable: the reset token after a verified code, else the link or code.</summary>
    public DateTimeOffset? UsableUntil => State == RequestState.Verified ? RedeemableUntil : ExpiresAt;

    public bool HasLapsed(DateTimeOffset now) => UsableUntil is { } until && now >= until;

    /// <summary>
    /// What a code typed for this request meets before it is compared. A request that was undeliverable, superseded or
    /// expired still counts tries and runs out like an issued one, so its answers match a real request's.
    /// </summary>
    public CodeCheck BeforeCode(DateTimeOffset now) =>
        State == RequestState.Requested ? CodeCheck.Pending
        : SecretKind is not (Contracts.RecoverySecretKinds.Code or Contracts.RecoverySecretKinds.Proof)
        || State is not (RequestState.Issued or RequestState.Undeliverable or RequestState.Superseded or RequestState.Expired) ? CodeCheck.NotACode
        : AttemptsExhausted ? CodeCheck.Exhausted
        : State == RequestState.Expired || HasLapsed(now) ? CodeCheck.Lapsed
        : CodeCheck.Compare;

    /// <summary>Only an issued request takes a right code, and not while its account is capped (ADR 0009).</summary>
    public bool AcceptsCode(bool codeMatches, bool accountCapped) => codeMatches && !accountCapped && State == RequestState.Issued;

    /// <summary>
    /// Whether a token with this hash may set a password now: a link while issued, a reset token once its code was
    /// verified; never a code's request before verification, nor a used, ended or superseded one.
    /// </summary>
    public Redemption Redeem(string tokenHash, DateTimeOffset now) =>
        !IsOpen || !Secrets.RecoverySecrets.SameHash(RedeemableHash, tokenHash) || (State == RequestState.Issued && SecretKind != Contracts.RecoverySecretKinds.Link)
            ? Redemption.Refused
            : HasLapsed(now) ? Redemption.Lapsed : Redemption.Allowed;
}

internal enum CodeCheck
{
    /// <summary>The code may be compared.</summary>
    Compare,

    /// <summary>Not a code's request, or one whose code is already used: one answer, as for a wrong code.</summary>
    NotACode,

    Exhausted,

    /// <summary>Too late: the request expires now if it has not already.</summary>
    Lapsed,

    /// <summary>
    /// Recorded but not yet issued (the work behind the answer takes a moment): a proof typed at once must wait, not
    /// count. Every request passes through this state, whatever the login, so it tells nothing.
    /// </summary>
    Pending,
}

internal enum Redemption
{
    Allowed,

    /// <summary>Unknown, used, superseded, or not a token that sets passwords: one answer for all.</summary>
    Refused,

    /// <summary>Right token, too late: the request expires now.</summary>
    Lapsed,
}

// The request stream's events. None carries a token, code or password: only their hashes.

/// <summary>
/// A request was recorded. For self-service the account is not known yet (the lookup runs behind a message).
/// <see cref="Method"/> says how the password is to be reset (<see cref="ResetMethods"/>), apart from the channel
/// that carries the secret; requests recorded before it existed derive it from the channel.
/// </summary>
internal sealed record ResetRequested(
    Guid RequestId, string Channel, string Initiator, Guid? AccountId, string? Username, Guid? ActorId, string? ClientIp, string? Operator, DateTimeOffset At,
    string? Method = null)
    : ISecurityEvent
{
    public string ResetMethod => Method ?? ResetMethods.FromChannel(Channel);

    public string Type => SecurityEventTypes.ResetRequested;

    public string Summary => Initiator switch
    {
        "operator" => $"Password reset by an operator ({Operator}) on the host's command line.",
        "admin" => $"Password reset ({Channel}) started by an administrator.",
        _ => $"Password reset requested through {Channel} from {ClientIp ?? "an unknown address"}.",
    };
}

internal sealed record ResetLinkIssued(
    Guid RequestId, Guid AccountId, string Username, string Channel, string TokenHash, DateTimeOffset ExpiresAt, Guid NotificationId, DateTimeOffset? SendAt, DateTimeOffset At)
    : ISecurityEvent
{
    public string Type => SecurityEventTypes.ResetLinkIssued;

    public string Summary => $"Reset link issued through {Channel}, valid until {ExpiresAt:u}.";
    Guid? ISecurityEvent.AccountId => AccountId;
    Guid? ISecurityEvent.ActorId => null;
}

internal sealed record ResetCodeIssued(
    Guid RequestId, Guid AccountId, string Username, string Channel, string CodeHash, DateTimeOffset ExpiresAt, int MaxAttempts, Guid NotificationId, DateTimeOffset At)
    : ISecurityEvent
{
    public string Type => SecurityEventTypes.ResetCodeIssued;

    public string Summary => $"Reset code issued through {Channel}, valid until {ExpiresAt:u}.";
    Guid? ISecurityEvent.AccountId => AccountId;
    Guid? ISecurityEvent.ActorId => null;
}

/// <summary>A proof channel's request is open: the person's own proof (an authenticator code, a recovery code) is awaited.</summary>
internal sealed record ResetProofAwaited(
    Guid RequestId, Guid AccountId, string Username, string Channel, DateTimeOffset ExpiresAt, int MaxAttempts, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.ResetProofAwaited;

    public string Summary => $"Password reset requested through {Channel}; the person's own proof is awaited until {ExpiresAt:u}.";
    Guid? ISecurityEvent.AccountId => AccountId;
    Guid? ISecurityEvent.ActorId => null;
}

/// <summary>Nothing was sent: the login matched no usable account, the account has no address for the channel, or it may not have one (<see cref="Reason"/>).</summary>
internal sealed record ResetUndeliverable(
    Guid RequestId, Guid? AccountId, string? Username, string Reason, string SecretKind, DateTimeOffset ExpiresAt, int MaxAttempts, DateTimeOffset At)
    : ISecurityEvent
{
    public string Type => SecurityEventTypes.ResetUndeliverable;

    public string Summary => Reason switch
    {
        UndeliverableReasons.UnknownLogin => "Password reset requested for a login that matches no usable account; nothing was sent.",
        UndeliverableReasons.RootSelfServiceDisabled => "Self-service password reset requested for a root account, which may not recover that way; nothing was sent.",
        UndeliverableReasons.CodeFailuresExceeded => "Reset code requested for an account with too many recent wrong codes; nothing was sent.",
        _ => "Password reset requested, but the account has no address for the channel; nothing was sent.",
    };
    Guid? ISecurityEvent.ActorId => null;
}

/// <summary>How a password is reset, as the reset history names it.</summary>
public static class ResetMethods
{
    /// <summary>A link to the reset page.</summary>
    public const string Link = "link";

    /// <summary>A one-time code, then the reset page.</summary>
    public const string Code = "code";

    /// <summary>A proof the person holds (an authenticator code, a recovery code), then the reset page.</summary>
    public const string Proof = "proof";

    /// <summary>An administrator's temporary password.</summary>
    public const string TemporaryPassword = "temporary-password";

    /// <summary>The operator's command on the host.</summary>
    public const string Operator = "operator";

    public static string ForSecretKind(string secretKind) => secretKind switch
    {
        Contracts.RecoverySecretKinds.Code => Code,
        Contracts.RecoverySecretKinds.Proof => Proof,
        _ => Link,
    };

    /// <summary>For requests recorded before the method was: what their channel implies.</summary>
    public static string FromChannel(string channel) => channel switch
    {
        Administering.AdminPasswordResetMethods.TemporaryPassword => TemporaryPassword,
        Accounts.Contracts.PasswordChangeReasons.Operator => Operator,
        Contracts.RecoveryChannels.EmailOtp or Contracts.RecoveryChannels.SmsOtp => Code,
        _ => Link,
    };
}

internal static class UndeliverableReasons
{
    public const string UnknownLogin = "unknown_login";
    public const string NoContact = "no_contact";
    public const string RootSelfServiceDisabled = "root_self_service_disabled";

    /// <summary>The account reached the cap on wrong codes over its requests; code channels send it nothing for a while.</summary>
    public const string CodeFailuresExceeded = "code_failures_exceeded";
}

internal sealed record CodeVerificationFailed(Guid RequestId, Guid? AccountId, int Failures, int MaxAttempts, string? ClientIp, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.CodeVerificationFailed;

    public string Summary => $"Wrong reset code ({Failures} of {MaxAttempts} tries) from {ClientIp ?? "an unknown address"}.";
    Guid? ISecurityEvent.ActorId => null;
}

internal sealed record CodeVerified(Guid RequestId, Guid AccountId, string ResetTokenHash, DateTimeOffset ResetTokenExpiresAt, string? ClientIp, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.CodeVerified;

    public string Summary => $"Reset code verified from {ClientIp ?? "an unknown address"}.";
    Guid? ISecurityEvent.AccountId => AccountId;
    Guid? ISecurityEvent.ActorId => null;
}

/// <summary>An administrator's temporary password was set; the message goes out at <see cref="SendAt"/>.</summary>
internal sealed record TemporaryPasswordIssued(Guid RequestId, Guid AccountId, string Username, Guid NotificationId, DateTimeOffset SendAt, Guid? ActorId, DateTimeOffset At)
    : ISecurityEvent
{
    public string Type => SecurityEventTypes.TemporaryPasswordIssued;

    public string Summary => $"Temporary password set by an administrator; sent at {SendAt:u}.";
    Guid? ISecurityEvent.AccountId => AccountId;
}

internal sealed record ResetCompleted(Guid RequestId, Guid AccountId, Guid? ActorId, string? ClientIp, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.ResetCompleted;

    public string Summary => "Password reset completed; every session ended.";
    Guid? ISecurityEvent.AccountId => AccountId;
}

internal sealed record ResetExpired(Guid RequestId, Guid? AccountId, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.ResetExpired;

    public string Summary => "Password reset request expired unused.";
    Guid? ISecurityEvent.ActorId => null;
}

/// <summary>
/// The request's secret stops working: a newer request (<see cref="SupersededBy"/>) or a change to the account
/// (<see cref="Reason"/>: its password changed, its email or phone changed, it was disabled) ended it.
/// </summary>
internal sealed record ResetSuperseded(Guid RequestId, Guid AccountId, Guid? SupersededBy, DateTimeOffset At, string? Reason = null) : ISecurityEvent
{
    public string Type => SecurityEventTypes.ResetSuperseded;

    public string Summary => SupersededBy is { } newer
        ? $"Password reset request superseded by a newer one ({newer})."
        : $"Password reset request ended: {Reason ?? "the account changed"}.";
    Guid? ISecurityEvent.AccountId => AccountId;
    Guid? ISecurityEvent.ActorId => null;
}
