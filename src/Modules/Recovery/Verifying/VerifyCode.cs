using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Http;
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
    public static IResult Validate(VerifyCodeRequest body) =>
        body.RequestId is null || string.IsNullOrWhiteSpace(body.Code) || body.Code.Length > 32 ? InvalidCode() : WolverineContinue.Result();

    /// <summary>
    /// Every try counts; past the limit the request is dead even for the right code. A request that was never
    /// deliverable, or that a newer one superseded (only real accounts have those), answers exactly like a wrong code,
    /// attempts, limit and lifetime included, so a code form tells nothing about the login behind it. Once the account has
    /// collected too many wrong codes over all its requests, even the right code answers as a wrong one (ADR 0009).
    /// A lost race on the request's version becomes a 409, never an uncounted try.
    /// </summary>
    [WolverinePost("/api/recovery/otp/verify", OperationId = "verifyRecoveryCode")]
    public static async Task<IResult> Post(
        VerifyCodeRequest body, IDocumentSession session, RecoverySecrets secrets, RecoverySettingsSource settings, RecoveryRateLimits limits,
        IOptions<CodeFailureLimitOptions> codeFailureLimits, TimeProvider time, HttpContext http, IMessageBus bus, CancellationToken ct)
    {
        if (await limits.RedeemAsync(http, ct) is { } wait) return RecoveryRateLimits.TooMany(http, wait);
        var requestId = body.RequestId!.Value;
        var stream = await session.Events.FetchForWriting<RecoveryRequest>(requestId, ct);
        var now = time.GetUtcNow();
        switch (stream.Aggregate?.BeforeCode(now) ?? CodeCheck.NotACode)
        {
            case CodeCheck.NotACode:
                return InvalidCode();
            case CodeCheck.Pending:
                http.Response.Headers.RetryAfter = "1";
                return Problems.Conflict("request_pending", "The request is still being recorded; try again in a moment.");
            case CodeCheck.Exhausted:
                return Problem("too_many_attempts", "Too many wrong codes; request a new one.");
            case CodeCheck.Lapsed:
                if (stream.Aggregate!.State == RequestState.Issued) stream.AppendOne(new ResetExpired(requestId, stream.Aggregate.AccountId, now));
                return Problem("expired", "The code has expired; request a new one.");
        }

        var request = stream.Aggregate!;
        var clientIp = http.Connection.RemoteIpAddress?.ToString();
        var tally = await AccountTally.TakeAsync(session, request, codeFailureLimits.Value, now, ct);
        var matches = request.SecretKind == RecoverySecretKinds.Proof
            ? await ProofHoldsAsync(request, body.Code!.Trim(), tally.Capped, settings, bus, now, ct)
            : RecoverySecrets.SameHash(request.CodeHash, await secrets.HashCodeAsync(requestId, body.Code!.Trim(), ct));
        if (!request.AcceptsCode(matches, tally.Capped))
        {
            stream.AppendMany(tally.CountFailure(session, request, clientIp, now));
            return InvalidCode();
        }

        var resetToken = secrets.NewToken();
        var until = now.AddMinutes((await settings.CurrentAsync(session, ct)).OtpLifetimeMinutes);
        stream.AppendOne(new CodeVerified(requestId, request.AccountId!.Value, secrets.HashToken(resetToken), until, clientIp, now));
        await bus.ScheduleAsync(new ExpireRecoveryRequest(requestId), until);
        return TypedResults.Ok(new VerifyCodeAnswer(resetToken));
    }

    /// <summary>
    /// A proof channel's module judges what the person typed. It is asked for every request alike; for one that cannot
    /// succeed (no account, superseded, capped) it is asked without the account, so that it spends the same work, uses
    /// nothing up, and answers not valid.
    /// </summary>
    private static async Task<bool> ProofHoldsAsync(
        RecoveryRequest request, string proof, bool capped, RecoverySettingsSource settings, IMessageBus bus, DateTimeOffset now, CancellationToken ct)
    {
        if (settings.Channel(request.Channel)?.ProofCheck is not { } check) return false;
        var account = request.State == RequestState.Issued && !capped ? request.AccountId : null;
        var verdict = await bus.InvokeAsync<RecoveryProofVerdictV1>(check(new RecoveryProofV1(request.Id, account, request.Channel, proof, now)), ct);
        return account is not null && verdict.Valid;
    }

    private static IResult InvalidCode() => Problem("invalid_code", "The code is not valid for this request.");

    private static IResult Problem(string code, string title) => Problems.BadRequest(code, title);
}

/// <summary>
/// The account's count of wrong codes over all its requests, read under the account's advisory lock so that
/// simultaneous tries cannot lose a count: the count is a document shared by every request of the account, with no
/// stream of its own to lock. A request of no account takes the same steps on a key of its own (its id, which names no
/// tally), so the work does not tell the two apart.
/// </summary>
internal sealed record AccountTally(AccountCodeFailures? Failures, bool Capped, CodeFailureLimitOptions Limits)
{
    public static async Task<AccountTally> TakeAsync(
        IDocumentSession session, RecoveryRequest request, CodeFailureLimitOptions limits, DateTimeOffset now, CancellationToken ct)
    {
        var key = request.AccountId ?? request.Id;
        await RecoveryAccountLock.TakeAsync(session, key, ct);
        var failures = await session.LoadAsync<AccountCodeFailures>(key, ct);
        return new AccountTally(failures, failures?.IsCapped(now, limits) == true, limits);
    }

    /// <summary>The wrong try on the request, counted for the account too; the try that reaches the cap says so.</summary>
    public IEnumerable<object> CountFailure(IDocumentSession session, RecoveryRequest request, string? clientIp, DateTimeOffset now)
    {
        var events = new List<object> { new CodeVerificationFailed(request.Id, request.AccountId, request.Failures + 1, request.MaxAttempts, clientIp, now) };
        if (request.AccountId is not { } accountId) return events;
        var counted = (Failures ?? new AccountCodeFailures(accountId, [])).Record(now, Limits);
        session.Store(counted);
        if (!Capped && counted.IsCapped(now, Limits))
            events.Add(new CodeFailureLimitReached(request.Id, accountId, Limits.Max, (int)Limits.Window.TotalHours, counted.CappedUntil(Limits), clientIp, now));
        return events;
    }
}
