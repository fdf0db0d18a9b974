using Accounts.Contracts;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Recovery.Contracts;
using Recovery.Requesting;
using Recovery.Settings;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Recovery.Administering;

public sealed record AdminPasswordResetRequest(string? Method, int? DelaySeconds);

public sealed record AdminPasswordResetAccepted(Guid TaskId, Guid RequestId);

public static class AdminPasswordResetMethods
{
    public const string TemporaryPassword = "temporary-password";
    public const string Link = "link";
}

public static class AdminPasswordResetEndpoint
{
    public static IResult Validate(AdminPasswordResetRequest body)
    {
        if (body.Method is not (AdminPasswordResetMethods.TemporaryPassword or AdminPasswordResetMethods.Link))
            return Problems.BadRequest("invalid_request", "method must be \"temporary-password\" or \"link\".");
        return body.DelaySeconds is < 0 or > 604_800
            ? Problems.BadRequest("invalid_request", "delaySeconds must be between 0 and 604800.")
            : WolverineContinue.Result();
    }

    /// <summary>
    /// A temporary password takes effect at once (sessions end, a change is required at next sign-in); a link starts
    /// a recovery request like the owner's own. Either way the message goes out as a scheduled notification whose id
    /// is the answer's taskId. A temporary password is the Accounts module's to issue, whole, in one transaction; this
    /// module records it in the reset history when Accounts announces it.
    /// </summary>
    [WolverinePost("/api/accounts/{id}/password-reset", OperationId = "adminPasswordReset")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Post(
        Guid id, AdminPasswordResetRequest body, IDocumentSession session, RecoverySettingsSource settings,
        TimeProvider time, HttpContext http, IMessageBus bus, CancellationToken ct)
    {
        var contact = await bus.InvokeAsync<RecoveryContactV1>(new FindRecoveryContactByIdV1(id), ct);
        if (contact.AccountId is null) return Problems.NotFound("account");
        // An administrator may not take a root account over or lock its owner out; only root may reset root.
        if (!Roles.MayTouch(http.User, contact.Roles))
            return Problems.Result(StatusCodes.Status403Forbidden, "forbidden", "Only root may reset the password of a root account.");
        if (string.IsNullOrEmpty(contact.Email)) return NoEmail();

        var delay = body.DelaySeconds ?? (await settings.CurrentAsync(session, ct)).AdminResetDelaySeconds;
        DateTimeOffset? sendAt = delay > 0 ? time.GetUtcNow().AddSeconds(delay) : null;
        var (actor, clientIp, taskId, requestId) = (http.User.AccountId(), http.Connection.RemoteIpAddress?.ToString(), Guid.NewGuid(), Guid.NewGuid());

        if (body.Method == AdminPasswordResetMethods.Link)
        {
            session.Events.StartStream<RecoveryRequest>(requestId, new ResetRequested(
                requestId, RecoveryChannels.EmailLink, PasswordChangeReasons.AdminReset, id, contact.Username, actor, clientIp, null, time.GetUtcNow(),
                ResetMethods.Link));
            await bus.PublishAsync(new IssueRecoverySecret(requestId, RecoveryChannels.EmailLink, PasswordChangeReasons.AdminReset, contact, actor, taskId, sendAt));
            return Accepted(taskId, requestId);
        }

        var issued = await bus.InvokeAsync<TemporaryPasswordResultV1>(new IssueTemporaryPasswordV1(id, requestId, taskId, actor, clientIp, sendAt), ct);
        return issued switch
        {
            { Succeeded: true } => Accepted(taskId, requestId),
            { Error: SetPasswordErrors.UnknownAccount } => Problems.NotFound("account"),
            { Error: SetPasswordErrors.NoEmail } => NoEmail(),
            _ => Problems.Result(StatusCodes.Status409Conflict, "temporary_password_failed", "No temporary password could be set; try again.", issued.Error),
        };
    }

    private static IResult NoEmail() => Problems.BadRequest("no_email", "The account has no email address to send the message to.");

    private static IResult Accepted(Guid taskId, Guid requestId) => TypedResults.Accepted((string?)null, new AdminPasswordResetAccepted(taskId, requestId));
}

/// <summary>
/// Records an administrator's temporary password in the reset history once Accounts has set it. Runs from the durable
/// queue: a failure here is retried and never undoes the password or its message.
/// </summary>
public static class TemporaryPasswordIssuedHandler
{
    [RetryNow(typeof(Exception), 50, 250, 1000)]
    public static async Task<PasswordResetCompletedV1?> Handle(TemporaryPasswordIssuedV1 issued, IDocumentSession session, CancellationToken ct)
    {
        // Delivered at least once: a second delivery finds the request already recorded.
        if (await session.Events.FetchStreamStateAsync(issued.RequestId, ct) is not null) return null;
        session.Events.StartStream<RecoveryRequest>(issued.RequestId, RecordOf(issued).ToArray());
        return new PasswordResetCompletedV1(
            issued.RequestId, issued.AccountId, AdminPasswordResetMethods.TemporaryPassword, PasswordChangeReasons.AdminReset, issued.ActorId, issued.At);
    }

    internal static IEnumerable<object> RecordOf(TemporaryPasswordIssuedV1 issued)
    {
        yield return new ResetRequested(issued.RequestId, AdminPasswordResetMethods.TemporaryPassword, PasswordChangeReasons.AdminReset,
            issued.AccountId, issued.Username, issued.ActorId, issued.ClientIp, null, issued.At, ResetMethods.TemporaryPassword);
        yield return new TemporaryPasswordIssued(issued.RequestId, issued.AccountId, issued.Username, issued.NotificationId, issued.SendAt, issued.ActorId, issued.At);
        yield return new ResetCompleted(issued.RequestId, issued.AccountId, issued.ActorId, issued.ClientIp, issued.At);
    }
}
