namespace Audit.Contracts;

/// <summary>
/// The types of the security event log (<c>GET /api/audit/events</c>, <c>type</c>): the auditors' vocabulary. Each module's
/// security events name their type from here explicitly (<c>ISecurityEvent.Type</c>), so that renaming an internal
/// event class cannot change what auditors see or filter on. A value, once published, is never changed or reused.
/// </summary>
public static class SecurityEventTypes
{
    public const string AccountDetailsChanged = "account_details_changed";
    public const string AccountLocked = "account_locked";
    public const string AccountRegistered = "account_registered";
    public const string AuthenticatorEnrolled = "authenticator_enrolled";
    public const string AuthenticatorRemoved = "authenticator_removed";
    public const string AccountUnlocked = "account_unlocked";
    public const string CodeFailureLimitReached = "code_failure_limit_reached";
    public const string CodeVerificationFailed = "code_verification_failed";
    public const string CodeVerified = "code_verified";
    public const string MailSettingsChanged = "mail_settings_changed";
    public const string PasswordChanged = "password_changed";
    public const string PasswordPolicyChanged = "password_policy_changed";
    public const string RecoverySettingsChanged = "recovery_settings_changed";
    public const string ResetCodeIssued = "reset_code_issued";
    public const string ResetProofAwaited = "reset_proof_awaited";
    public const string RecoveryCodesGenerated = "recovery_codes_generated";
    public const string RecoveryCodesRemoved = "recovery_codes_removed";
    public const string RecoveryCodeUsed = "recovery_code_used";
    public const string ResetCompleted = "reset_completed";
    public const string ResetExpired = "reset_expired";
    public const string ResetLinkIssued = "reset_link_issued";
    public const string ResetRequested = "reset_requested";
    public const string ResetSuperseded = "reset_superseded";
    public const string ResetUndeliverable = "reset_undeliverable";
    public const string SessionsEnded = "sessions_ended";
    public const string SignInFailed = "sign_in_failed";
    public const string SignedIn = "signed_in";
    public const string SignedOut = "signed_out";
    public const string SmsSettingsChanged = "sms_settings_changed";
    public const string TemporaryPasswordIssued = "temporary_password_issued";
    public const string UnknownLoginSignInFailed = "unknown_login_sign_in_failed";
}
