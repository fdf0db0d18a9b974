namespace Accounts.Contracts;

// Messages other modules may send to, or hear from, the Accounts module.
// Wolverine identifies each by its full type name, so the names end in a version and are never reused for a
// different shape: a changed shape is a new record with the next version.

/// <summary>Who, if anyone, a login (username or email) belongs to, with the addresses recovery may use.</summary>
public sealed record FindRecoveryContactV1(string Login);

/// <summary>Reply to <see cref="FindRecoveryContactV1"/>; <see cref="AccountId"/> is null when no usable account matches.</summary>
public sealed record RecoveryContactV1(Guid? AccountId, string? Username, string? Email, string? Phone, string[]? Roles = null)
{
    public static RecoveryContactV1 None { get; } = new(null, null, null, null);
}

/// <summary>
/// The addresses of one account by id, for recovery started by an administrator; answered with <see cref="RecoveryContactV1"/>,
/// whose <see cref="RecoveryContactV1.AccountId"/> is null when no such account exists (a disabled account is found).
/// </summary>
public sealed record FindRecoveryContactByIdV1(Guid AccountId);

/// <summary>
/// Sets a new password on behalf of a recovery flow, under the same policy and history rules as a change.
/// Sent with InvokeAsync (in process, never stored) because it carries the password.
/// </summary>
/// <param name="ConfirmPassword">The password typed a second time, when a person typed it: Accounts compares the two as it
/// reads passwords and answers <c>mismatch</c> among the other violations.</param>
public sealed record SetPasswordV1(
    Guid AccountId, string NewPassword, string Initiator, Guid? ActorId, Guid? RequestId, bool MustChangePassword = false, string? ConfirmPassword = null);

/// <summary>
/// Reply to <see cref="SetPasswordV1"/>: the policy codes broken, or none when the password was set; with
/// <c>common_password</c>, the advice on why it is guessable and how to do better.
/// </summary>
public sealed record SetPasswordResultV1(bool Succeeded, string[] Violations, string? Error = null, PasswordAdviceV1? Advice = null)
{
    public static SetPasswordResultV1 Success { get; } = new(true, []);
}

/// <summary>Why Accounts set no password at all (<see cref="SetPasswordResultV1.Error"/>, <see cref="TemporaryPasswordResultV1.Error"/>).</summary>
public static class SetPasswordErrors
{
    public const string UnknownAccount = "unknown_account";
    public const string AccountDisabled = "account_disabled";
    public const string NoEmail = "no_email";

    /// <summary>The recovery request named has already set this account's password once.</summary>
    public const string RequestUsed = "request_used";
}

/// <summary>Published after any password of an account changed and its sessions ended.</summary>
public sealed record PasswordChangedV1(Guid AccountId, string Username, string? Email, string Reason, Guid? ActorId, DateTimeOffset At, Guid? RequestId = null);

/// <summary>
/// Published when an account's email or phone changed or the account was disabled: recovery secrets already sent to
/// the old addresses must stop working.
/// </summary>
public sealed record AccountContactChangedV1(Guid AccountId, string Reason, DateTimeOffset At);

/// <summary>
/// An administrator's temporary password, issued by Accounts from start to finish in one transaction: generated to the
/// policy, set (every session ends, a change is due at next sign-in), protected for the Notifications module and sent
/// under <see cref="NotificationId"/>, and announced with <see cref="TemporaryPasswordIssuedV1"/>. The password itself
/// never leaves the module in clear. Answered with <see cref="TemporaryPasswordResultV1"/>.
/// </summary>
/// <param name="SendAt">When the message goes out; null means now.</param>
public sealed record IssueTemporaryPasswordV1(Guid AccountId, Guid RequestId, Guid NotificationId, Guid? ActorId, string? ClientIp, DateTimeOffset? SendAt);

/// <summary>Reply to <see cref="IssueTemporaryPasswordV1"/>: <see cref="Error"/> is <c>unknown_account</c>, <c>account_disabled</c> or <c>no_email</c>.</summary>
public sealed record TemporaryPasswordResultV1(bool Succeeded, string? Error = null);

/// <summary>Published in the transaction that set an administrator's temporary password.</summary>
public sealed record TemporaryPasswordIssuedV1(
    Guid RequestId, Guid AccountId, string Username, Guid NotificationId, DateTimeOffset SendAt, Guid? ActorId, string? ClientIp, DateTimeOffset At);

/// <summary>Initiators of a password change, as recorded in events and the reset history.</summary>
public static class PasswordChangeReasons
{
    public const string Change = "change";
    public const string SelfReset = "self";
    public const string AdminReset = "admin";
    public const string Operator = "operator";
}

/// <summary>
/// Why a password is easy to guess and how to choose a better one (zxcvbn's feedback), as stable codes with an English
/// message each; answered in the <c>feedback</c> member of a <c>password_policy</c> problem.
/// </summary>
public sealed record PasswordAdviceV1(PasswordHintV1? Warning, PasswordHintV1[] Suggestions);

public sealed record PasswordHintV1(string Code, string Message);

/// <summary>
/// Whether the password a signed-in person typed is their current one, for a change another module guards with it
/// (enrolling an authenticator, replacing recovery codes). A wrong password counts towards the account's lockout as a
/// failed sign-in does, and reaching the lock ends every session. Sent with InvokeAsync (in process, never stored)
/// because it carries the password; answered with <see cref="CurrentPasswordConfirmedV1"/>.
/// </summary>
public sealed record ConfirmCurrentPasswordV1(Guid AccountId, string? Password, string? ClientIp);

public sealed record CurrentPasswordConfirmedV1(bool Confirmed);
