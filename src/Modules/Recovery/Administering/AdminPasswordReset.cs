using Accounts.Contracts;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Notifications.Contracts;
using Recovery.Contracts;
using Recovery.Requesting;
using Recovery.Secrets;
using Recovery.Settings;
using Wolverine;
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
    /// <summary>
    /// A temporary password takes effect at once (sessions end, a change is required at next sign-in); a link starts
    /// a recovery request like the owner's own. Either way the message goes out as a scheduled notification whose id
    /// is the answer's taskId.
    /// </summary>
    [WolverinePost("/api/accounts/{id}/password-reset", OperationId = "adminPasswordReset")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Post(
        Guid id, AdminPasswordResetRequest body, IDocumentSession session, RecoverySettingsSource settings, RecoverySecrets secrets,
        TimeProvider time, HttpContext http, IMessageBus bus, CancellationToken ct)
    {
        if (body.Method is not (AdminPasswordResetMethods.TemporaryPassword or AdminPasswordResetMethods.Link))
            return Problems.BadRequest("invalid_request", "method must be \"temporary-password\" or \"link\".");
        if (body.DelaySeconds is < 0 or > 604_800) return Problems.BadRequest("invalid_request", "delaySeconds must be between 0 and 604800.");

        var contact = await bus.InvokeAsync<RecoveryContactV1>(new FindRecoveryContactByIdV1(id), ct);
        if (contact.AccountId is null) return Problems.NotFound("account");
        // An administrator may not take a root account over or lock its owner out; only root may reset root.
        if (!Roles.MayTouch(http.User, contact.Roles))
            return Problems.Result(StatusCodes.Status403Forbidden, "forbidden", "Only root may reset the password of a root account.");
        if (string.IsNullOrEmpty(contact.Email)) return Problems.BadRequest("no_email", "The account has no email address to send the message to.");

        var options = await settings.CurrentAsync(session, ct);
        var now = time.GetUtcNow();
        var delay = body.DelaySeconds ?? options.AdminResetDelaySeconds;
        var sendAt = now.AddSeconds(delay);
        var actor = http.User.AccountId();
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        var taskId = Guid.NewGuid();
        var requestId = Guid.NewGuid();

        if (body.Method == AdminPasswordResetMethods.Link)
        {
            session.Events.StartStream<RecoveryRequest>(requestId, new ResetRequested(
                requestId, RecoveryChannels.EmailLink, PasswordChangeReasons.AdminReset, id, contact.Username, actor, clientIp, null, now));
            await bus.PublishAsync(new IssueRecoverySecret(
                requestId, RecoveryChannels.EmailLink, PasswordChangeReasons.AdminReset, null, id, actor, taskId, delay > 0 ? sendAt : null));
            return Accepted(taskId, requestId);
        }

        var password = (await bus.InvokeAsync<GeneratedPasswordV1>(new GeneratePasswordV1(), ct)).Password;
        var result = await bus.InvokeAsync<SetPasswordResultV1>(
            new SetPasswordV1(id, password, PasswordChangeReasons.AdminReset, actor, requestId, MustChangePassword: true), ct);
        if (!result.Succeeded)
            return Problems.Result(StatusCodes.Status409Conflict, "temporary_password_failed", "No temporary password could be set; try again.", string.Join(", ", result.Violations));

        session.Events.StartStream<RecoveryRequest>(requestId,
            new ResetRequested(requestId, AdminPasswordResetMethods.TemporaryPassword, PasswordChangeReasons.AdminReset, id, contact.Username, actor, clientIp, null, now),
            new TemporaryPasswordIssued(requestId, id, contact.Username ?? string.Empty, taskId, sendAt, actor, now),
            new ResetCompleted(requestId, id, actor, clientIp, now));
        await bus.PublishAsync(new SendNotificationV1(
            taskId, NotificationKinds.TemporaryPassword, NotificationChannels.Email, contact.Email,
            new Dictionary<string, string> { ["username"] = contact.Username ?? string.Empty },
            secrets.Protect(password), delay > 0 ? sendAt : null, id));
        await bus.PublishAsync(new PasswordResetCompletedV1(requestId, id, AdminPasswordResetMethods.TemporaryPassword, PasswordChangeReasons.AdminReset, actor, now));
        return Accepted(taskId, requestId);
    }

    private static IResult Accepted(Guid taskId, Guid requestId) => TypedResults.Accepted((string?)null, new AdminPasswordResetAccepted(taskId, requestId));
}
