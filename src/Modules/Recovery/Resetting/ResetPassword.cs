using Accounts.Contracts;
using BuildingBlocks;
using JasperFx.Events;
using Marten;
using Marten.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Recovery.Contracts;
using Recovery.Requesting;
using Recovery.Secrets;
using Wolverine;
using Wolverine.Http;

namespace Recovery.Resetting;

public sealed record ResetPasswordRequest(string? Token, string? NewPassword, string? ConfirmPassword);

public static class ResetPasswordEndpoint
{
    /// <summary>
    /// Redeems a link token or a reset token from a verified code. The request's stream is locked for the whole
    /// exchange, so two resets with one token cannot both set a password; the password itself is set by the
    /// Accounts module under the same policy and history rules as a change. No sign-in follows.
    /// </summary>
    [WolverinePost("/api/recovery/reset", OperationId = "resetPassword")]
    [EnableRateLimiting(RecoveryRateLimits.RedeemPolicy)]
    public static async Task<IResult> Post(
        ResetPasswordRequest body, IDocumentSession session, RecoverySecrets secrets, TimeProvider time, HttpContext http, IMessageBus bus, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Token) || body.Token.Length > 128) return InvalidToken();
        var hash = secrets.HashToken(body.Token.Trim());
        var candidate = await session.Query<RecoveryRequest>().FirstOrDefaultAsync(r => r.RedeemableHash == hash, ct);
        if (candidate is null) return InvalidToken();

        IEventStream<RecoveryRequest> stream;
        try
        {
            stream = await session.Events.FetchForExclusiveWriting<RecoveryRequest>(candidate.Id, ct);
        }
        catch (Exception e) when (e is Marten.Exceptions.StreamLockedException or JasperFx.Events.StreamLockedException)
        {
            return Problems.Conflict("conflict", "This reset is being completed by another request.");
        }

        // Read again under the lock: the first reader may have used the token meanwhile.
        if (stream.Aggregate is not { IsOpen: true } request || !RecoverySecrets.SameHash(request.RedeemableHash, hash)) return InvalidToken();
        if (request.State == RequestStates.Issued && request.SecretKind != RecoverySecretKinds.Link) return InvalidToken();

        var now = time.GetUtcNow();
        if (request.HasLapsed(now))
        {
            stream.AppendOne(new ResetExpired(request.Id, request.AccountId, now));
            await session.SaveChangesAsync(ct);
            return Problems.BadRequest("expired", "The link has expired; request a new one.");
        }

        var accountId = request.AccountId!.Value;
        var result = await bus.InvokeAsync<SetPasswordResultV1>(
            // The password rules, the confirmation among them, are the Accounts module's alone.
            new SetPasswordV1(accountId, body.NewPassword ?? string.Empty, request.Initiator, null, request.Id, ConfirmPassword: body.ConfirmPassword ?? string.Empty), ct);
        if (!result.Succeeded)
        {
            return result.Violations.Length > 0
                ? PolicyProblem(result.Violations)
                : InvalidToken();
        }

        stream.AppendOne(new ResetCompleted(request.Id, accountId, null, http.Connection.RemoteIpAddress?.ToString(), now));
        await bus.PublishAsync(new PasswordResetCompletedV1(request.Id, accountId, request.Channel, request.Initiator, null, now));
        await session.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static IResult InvalidToken() => Problems.BadRequest("invalid_token", "The link or reset token is not valid (unknown, used or superseded).");

    private static IResult PolicyProblem(IEnumerable<string> violations) =>
        Problems.Result(StatusCodes.Status400BadRequest, "password_policy", "The new password does not meet the password policy.", violations: violations);
}
