using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Recovery.Contracts;
using Recovery.Expiring;
using Recovery.Requesting;
using Recovery.Secrets;
using Recovery.Settings;
using Wolverine;
using Wolverine.Http;

namespace Recovery.Verifying;

public sealed record VerifyCodeRequest(Guid? RequestId, string? Code);

public sealed record VerifyCodeAnswer(string ResetToken);

public static class VerifyCodeEndpoint
{
    /// <summary>
    /// Every try counts; past the limit the request is dead even for the right code. A request that was never
    /// deliverable, or that a newer one superseded (only real accounts have those), answers exactly like a wrong code,
    /// attempts, limit and lifetime included, so a code form tells nothing about the login behind it. Once the account has
    /// collected too many wrong codes over all its requests, even the right code answers as a wrong one (ADR 0009).
    /// </summary>
    [WolverinePost("/api/recovery/otp/verify", OperationId = "verifyRecoveryCode")]
    [EnableRateLimiting(RecoveryRateLimits.RedeemPolicy)]
    public static async Task<IResult> Post(
        VerifyCodeRequest body, IDocumentSession session, RecoverySecrets secrets, RecoverySettingsSource settings,
        IOptions<CodeFailureLimitOptions> codeFailureLimits, TimeProvider time, HttpContext http, IMessageBus bus, CancellationToken ct)
    {
        if (body.RequestId is not { } requestId || string.IsNullOrWhiteSpace(body.Code) || body.Code.Length > 32) return InvalidCode();

        var stream = await session.Events.FetchForWriting<RecoveryRequest>(requestId, ct);
        if (stream.Aggregate is not { SecretKind: RecoverySecretKinds.Code } request) return InvalidCode();
        if (request.State is not (RequestStates.Issued or RequestStates.Undeliverable or RequestStates.Superseded or RequestStates.Expired)) return InvalidCode();
        if (request.AttemptsExhausted) return Problem("too_many_attempts", "Too many wrong codes; request a new one.");

        var now = time.GetUtcNow();
        if (request.State == RequestStates.Expired || request.HasLapsed(now))
        {
            if (request.State == RequestStates.Issued) stream.AppendOne(new ResetExpired(requestId, request.AccountId, now));
            await session.SaveChangesAsync(ct);
            return Problem("expired", "The code has expired; request a new one.");
        }

        var hash = await secrets.HashCodeAsync(requestId, body.Code.Trim(), ct);
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        // The account's tries take turns, so none is lost from its count. A request of no account takes the same steps
        // on a key of its own (its id, which names no tally), so the work does not tell the two apart.
        var limits = codeFailureLimits.Value;
        var tallyKey = request.AccountId ?? requestId;
        await RecoveryAccountLock.TakeAsync(session, tallyKey, ct);
        var tally = await session.LoadAsync<AccountCodeFailures>(tallyKey, ct);
        var capped = tally?.IsCapped(now, limits) == true;
        if (capped || request.State != RequestStates.Issued || !RecoverySecrets.SameHash(request.CodeHash, hash))
        {
            stream.AppendOne(new CodeVerificationFailed(requestId, request.AccountId, request.Failures + 1, request.MaxAttempts, clientIp, now));
            if (request.AccountId is { } accountId)
            {
                var counted = (tally ?? new AccountCodeFailures(accountId, [])).Record(now, limits);
                session.Store(counted);
                if (!capped && counted.IsCapped(now, limits))
                {
                    stream.AppendOne(new CodeFailureLimitReached(
                        requestId, accountId, limits.Max, (int)limits.Window.TotalHours, counted.CappedUntil(limits), clientIp, now));
                }
            }

            // Committed here so that a lost race on the stream's version becomes a 409, never an uncounted try.
            await session.SaveChangesAsync(ct);
            return InvalidCode();
        }

        var options = await settings.CurrentAsync(session, ct);
        var resetToken = secrets.NewToken();
        var until = now.AddMinutes(options.OtpLifetimeMinutes);
        stream.AppendOne(new CodeVerified(requestId, request.AccountId!.Value, secrets.HashToken(resetToken), until, clientIp, now));
        await bus.ScheduleAsync(new ExpireRecoveryRequest(requestId), until);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new VerifyCodeAnswer(resetToken));
    }

    private static IResult InvalidCode() => Problem("invalid_code", "The code is not valid for this request.");

    private static IResult Problem(string code, string title) => Problems.BadRequest(code, title);
}
