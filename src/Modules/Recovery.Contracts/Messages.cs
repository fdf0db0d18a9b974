namespace Recovery.Contracts;

// The Recovery module's published language. A recovery channel is a module of its own, of one of two shapes; either
// way Recovery itself needs no edit (ADR 0008, ADR 0025):
// - it delivers a secret Recovery issued: it registers a RecoveryChannelDescriptorV1 of kind link or code and handles
//   RecoverySecretIssuedV1 for its channel name;
// - it verifies a proof the person holds (an authenticator code, a recovery code): it registers a descriptor of kind
//   proof whose ProofCheck wraps a RecoveryProofV1 into a message of its own, and answers that message with a
//   RecoveryProofVerdictV1.
// Names end in a version and are never reused for a different shape.

/// <summary>
/// A recovery channel, registered as a singleton in DI by the module that delivers it
/// (<c>services.AddSingleton(new RecoveryChannelDescriptorV1("push-otp", RecoverySecretKinds.Code, RecoveryContactKinds.Phone))</c>).
/// </summary>
/// <param name="Name">The name clients and settings use, e.g. <c>email-link</c>.</param>
/// <param name="SecretKind">What Recovery issues for it: a link token or a numeric code (<see cref="RecoverySecretKinds"/>).</param>
/// <param name="Contact">Which address of the account it needs (<see cref="RecoveryContactKinds"/>).</param>
public sealed record RecoveryChannelDescriptorV1(string Name, string SecretKind, string Contact)
{
    /// <summary>
    /// For a <see cref="RecoverySecretKinds.Proof"/> channel: wraps what the person typed into the channel module's own
    /// message, which Recovery invokes on Wolverine and which its handler answers with a <see cref="RecoveryProofVerdictV1"/>.
    /// </summary>
    public Func<RecoveryProofV1, object>? ProofCheck { get; init; }
}

public static class RecoverySecretKinds
{
    /// <summary>A 256-bit URL-safe token, redeemed at <c>POST /api/recovery/reset</c>.</summary>
    public const string Link = "link";

    /// <summary>A numeric code of the configured length, verified at <c>POST /api/recovery/otp/verify</c>.</summary>
    public const string Code = "code";

    /// <summary>
    /// Nothing issued: the person holds the proof (an authenticator app's code, a recovery code) and sends it to
    /// <c>POST /api/recovery/otp/verify</c>, where the channel module judges it; tries, limits and lifetime are a code's.
    /// </summary>
    public const string Proof = "proof";
}

public static class RecoveryContactKinds
{
    public const string Email = "email";
    public const string Phone = "phone";

    /// <summary>An enrolment the channel module keeps itself (an authenticator key, recovery codes).</summary>
    public const string Enrolment = "enrolment";
}

/// <summary>The built-in channels' names.</summary>
public static class RecoveryChannels
{
    public const string EmailLink = "email-link";
    public const string EmailOtp = "email-otp";
    public const string SmsOtp = "sms-otp";
}

/// <summary>
/// Published when Recovery has issued a secret for a request; the channel named in <see cref="Channel"/> delivers it.
/// </summary>
/// <param name="RequestId">The recovery request (its event stream).</param>
/// <param name="Channel">The descriptor's name; every other channel ignores the message.</param>
/// <param name="SecretKind">link or code.</param>
/// <param name="ProtectedSecret">
/// The token or code, protected with ASP.NET Core Data Protection under
/// <c>Notifications.Contracts.SecretProtection.Purpose</c>, so that a channel can hand it to the Notifications
/// module unchanged and no queue or table holds it in clear.
/// </param>
/// <param name="To">The address chosen from the descriptor's <see cref="RecoveryChannelDescriptorV1.Contact"/>.</param>
/// <param name="ResetBaseUrl">For links: <c>{App:PublicBaseUrl}/reset-password</c>; the link is <c>{ResetBaseUrl}?token={secret}</c>.</param>
/// <param name="NotificationId">The id the delivery should carry (an administrator's answer shows it as <c>taskId</c>).</param>
/// <param name="SendAt">Deliver no earlier than this (delayed administrator sends); null means now.</param>
/// <param name="Initiator">self, admin or operator.</param>
/// <param name="ForRoot">The account is root: pass it on to <c>SendNotificationV1.ForRoot</c>, so that only delivery
/// settings a root has confirmed may carry the secret.</param>
public sealed record RecoverySecretIssuedV1(
    Guid RequestId,
    Guid AccountId,
    string Username,
    string Channel,
    string SecretKind,
    string ProtectedSecret,
    string To,
    DateTimeOffset ExpiresAt,
    int LifetimeMinutes,
    string? ResetBaseUrl,
    Guid NotificationId,
    DateTimeOffset? SendAt,
    string Initiator,
    bool ForRoot = false);

/// <summary>
/// What a person sent for a request of a proof channel. <see cref="AccountId"/> is null when the request cannot succeed
/// (unknown login, superseded, ...): the channel must then spend the same work as for a real check and answer not valid,
/// so that neither the answer nor its timing tells the two apart. A proof judged valid is used up.
/// </summary>
public sealed record RecoveryProofV1(Guid RequestId, Guid? AccountId, string Channel, string Proof, DateTimeOffset At);

/// <summary>A proof channel's answer to its own check message.</summary>
public sealed record RecoveryProofVerdictV1(bool Valid);

/// <summary>Published after a recovery request ended with a new password.</summary>
public sealed record PasswordResetCompletedV1(Guid RequestId, Guid AccountId, string Channel, string Initiator, Guid? ActorId, DateTimeOffset At);
