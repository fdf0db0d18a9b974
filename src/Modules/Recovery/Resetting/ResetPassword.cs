using Accounts.Contracts;
using BuildingBlocks;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http;
using Recovery.Contracts;
using Recovery.Requesting;
using Recovery.Secrets;
using Wolverine;
using Wolverine.Http;

namespace Recovery.Resetting;

public sealed record ResetPasswordRequest(string? Token, string? NewPassword, string? ConfirmPassword);

public static class ResetPasswordEndpoint
{
    public static IResult Validate(ResetPasswordRequest body) =>
        string.IsNullOrWhiteSpace(body.Token) || body.Token.Length > 128 ? InvalidToken() : WolverineContinue.Result();

    /// <summary>
    /// Redeems a link token or a reset token from a verified code. The request's stream is locked for the whole
    /// exchange, so two resets with one token cannot both set a password; the password itself is set by the
    /// Accounts module under the same policy and history rules as a change, in its own transaction. Should this
    /// module's record of the completion fail after that, Accounts refuses the request a second time and the
    /// published password change completes the request (<see cref="Superseding.AccountChangesHandler"/>). No sign-in follows.
    /// </summary>
    [WolverinePost("/api/recovery/reset", OperationId = "resetPassword")]
    public static async Task<IResult> Post(
        ResetPasswordRequest body, IDocumentSession session, RecoverySecrets secrets, RecoveryRateLimits limits, TimeProvider time, HttpContext http,
        IMessageBus bus, CancellationToken ct)
    {
        if (await limits.RedeemAsync(http, ct) is { } wait) return RecoveryRateLimits.TooMany(http, wait);
        var hash = secrets.HashToken(body.Token!.Trim());
        if (await session.Query<RecoveryRequest>().FirstOrDefaultAsync(r => r.RedeemableHash == hash, ct) is not { } candidate) return InvalidToken();
        if (await LockAsync(session, candidate.Id, ct) is not { } stream) return Problems.Conflict("conflict", "This reset is being completed by another request.");

        var now = time.GetUtcNow();
        // Decided again under the lock: the first reader may have used the token meanwhile.
        switch (stream.Aggregate?.Redeem(hash, now) ?? Redemption.Refused)
        {
            case Redemption.Refused:
                return InvalidToken();
            case Redemption.Lapsed:
                stream.AppendOne(new ResetExpired(stream.Id, stream.Aggregate!.AccountId, now));
                return Problems.BadRequest("expired", "The link has expired; request a new one.");
        }

        var request = stream.Aggregate!;
        var result = await bus.InvokeAsync<SetPasswordResultV1>(
            // The password rules, the confirmation among them, are the Accounts module's alone.
            new SetPasswordV1(request.AccountId!.Value, body.NewPassword ?? string.Empty, request.Initiator, null, request.Id, ConfirmPassword: body.ConfirmPassword ?? string.Empty), ct);
        if (!result.Succeeded) return result.Violations.Length > 0 ? Problems.PasswordPolicy(result.Violations, result.Advice) : InvalidToken();

        stream.AppendOne(new ResetCompleted(request.Id, request.AccountId.Value, null, http.Connection.RemoteIpAddress?.ToString(), now));
        BuildingBlocks.ProductTelemetry.ResetsCompleted.Add(1, new KeyValuePair<string, object?>("channel", request.Channel), new KeyValuePair<string, object?>("initiator", request.Initiator));
        await bus.PublishAsync(new PasswordResetCompletedV1(request.Id, request.AccountId.Value, request.Channel, request.Initiator, null, now));
        return TypedResults.NoContent();
    }

    private static async Task<IEventStream<RecoveryRequest>?> LockAsync(IDocumentSession session, Guid requestId, CancellationToken ct)
    {
        try
        {
            return await session.Events.FetchForExclusiveWriting<RecoveryRequest>(requestId, ct);
        }
        catch (Exception e) when (e is Marten.Exceptions.StreamLockedException or JasperFx.Events.StreamLockedException)
        {
            return null;
        }
    }

    private static IResult InvalidToken() => Problems.BadRequest("invalid_token", "The link or reset token is not valid (unknown, used or superseded).");
}
