using Accounts.Passwords;
using Accounts.Sessions;
using Accounts.Settings;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Accounts.SigningIn;

public sealed record SignInRequest(string? Login, string? Password);

public sealed record SignInResponse(string Token, DateTimeOffset ExpiresAt, bool MustChangePassword);

public static class SignInEndpoint
{
    /// <summary>
    /// Unknown login, wrong password, locked or disabled account: one answer, and one Argon2 computation each,
    /// so that neither the answer nor its timing tells which.
    /// </summary>
    [WolverinePost("/api/auth/login", OperationId = "signIn")]
    public static async Task<IResult> Post(
        SignInRequest request, IDocumentSession session, PasswordHasher hasher, HashKeys keys, SharedRateLimits limits,
        IOptions<SignInRateLimitOptions> limitOptions, TimeProvider time, HttpContext http, IOptions<SessionLifetimeOptions> sessionOptions, SettingsCache cache,
        CancellationToken ct)
    {
        var (limit, clientIp) = (limitOptions.Value, http.Connection.RemoteIpAddress?.ToString());
        var key = SignInRateLimitOptions.Key(clientIp);
        if (await limits.CheckAsync(key, limit.PerAddressPermits, limit.WindowSeconds, ct) is { } wait)
            return RateLimits.TooMany(http, wait, "Too many failed sign-ins from this address; try again later.");

        var answer = await AttemptAsync(request, clientIp, session, hasher, keys, time, http, sessionOptions.Value, cache, ct);
        // Only failures count towards the address's limit.
        if (answer is null) await limits.CountAsync(key, limit.PerAddressPermits, limit.WindowSeconds, ct);
        ProductTelemetry.SignIns.Add(1, new KeyValuePair<string, object?>("outcome", answer is null ? "failed" : "succeeded"));
        return answer ?? Refused();
    }

    /// <summary>The sign-in itself: the session's answer, or null when refused (for whichever reason).</summary>
    private static async Task<IResult?> AttemptAsync(
        SignInRequest request, string? clientIp, IDocumentSession session, PasswordHasher hasher, HashKeys keys, TimeProvider time, HttpContext http,
        SessionLifetimeOptions sessionOptions, SettingsCache cache, CancellationToken ct)
    {
        // No login is longer than an email address may be; a longer one is refused before it is read or queried.
        if (request.Login?.Length > Account.MaxLoginLength) return null;
        var attempt = new SignInAttempt(
            Account.Normalize(request.Login) ?? string.Empty, PasswordText.Normalize(request.Password), clientIp,
            time.GetUtcNow(), await PasswordPolicySettings.CurrentAsync(session, cache, ct));
        var account = attempt.Login.Length == 0
            ? null
            : await session.Query<Account>().FirstOrDefaultAsync(a => a.NormalizedUsername == attempt.Login || a.NormalizedEmail == attempt.Login, ct);

        // Over-long input is never hashed; it cannot be anybody's password.
        if (PasswordText.Length(attempt.Password) > Math.Max(attempt.Policy.MaxLength, 1024)) return null;
        if (account is null)
        {
            await UnknownLoginAsync(session, hasher, keys, attempt, ct);
            return null;
        }

        // Every write to an account's stream takes the stream's row lock (exclusive writing, docs/adr/0015): sign-ins,
        // password changes, resets and administrators' edits of one account take turns instead of failing each other with
        // a version conflict, failures are counted one at a time, and no sign-in checked against an old password can
        // finish after a password change has ended every session.
        var stream = await session.Events.FetchForExclusiveWriting<Account>(account.Id, ct);
        account = stream.Aggregate ?? account;
        var refusal = account.RefuseSignIn(await hasher.VerifyAsync(account.PasswordHash, attempt.Password, ct), attempt.Policy, attempt.ClientIp, attempt.Now);
        if (refusal.Count > 0)
        {
            stream.AppendMany(refusal);
            return null;
        }

        if (hasher.NeedsRehash(account.PasswordHash))
            stream.AppendOne(new PasswordRehashed(account.Id, await hasher.HashAsync(attempt.Password, ct), attempt.Now));
        var (token, expiresAt, sessionId) = (Session.NewToken(), attempt.Now.AddMinutes(sessionOptions.LifetimeMinutes), Guid.NewGuid());
        session.Store(new Session(Session.HashToken(token), sessionId, account.Id, attempt.Now, expiresAt, attempt.ClientIp, http.Request.Headers.UserAgent.ToString()));
        stream.AppendOne(new SignedIn(account.Id, sessionId, attempt.ClientIp, attempt.Now));
        return TypedResults.Ok(new SignInResponse(token, expiresAt, account.MustChangePassword));
    }

    /// <summary>
    /// The same steps as for an account (a lock, a read, a hash, an event), so that timing tells nothing; the event also
    /// shows auditors sign-in attempts for logins that do not exist. Such a login has no stream to lock yet (its
    /// attempts' stream may not exist), hence the advisory lock on the same key.
    /// </summary>
    private static async Task UnknownLoginAsync(IDocumentSession session, PasswordHasher hasher, HashKeys keys, SignInAttempt attempt, CancellationToken ct)
    {
        var (fingerprint, attempts) = await UnknownLogins.FingerprintAsync(keys, attempt.Login, ct);
        await AccountLock.TakeAsync(session, attempts, ct);
        _ = await session.LoadAsync<Account>(attempts, ct);
        await hasher.SpendDecoyAsync(attempt.Password, ct);
        session.Events.Append(attempts, new UnknownLoginSignInFailed(fingerprint, attempt.ClientIp, attempt.Now));
    }

    private static IResult Refused() =>
        Problems.Result(StatusCodes.Status401Unauthorized, "invalid_credentials", "The login or password is not correct.");
}

/// <summary>One sign-in as typed: the normalised login and password, where it came from, when, under which policy.</summary>
internal sealed record SignInAttempt(string Login, string Password, string? ClientIp, DateTimeOffset Now, PasswordPolicy Policy);

/// <summary>A PostgreSQL advisory lock on one account, held until the session's transaction ends.</summary>
internal static class AccountLock
{
    public static async Task TakeAsync(IDocumentSession session, Guid accountId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await AdvisoryLock.TakeAsync(session.Connection!, AdvisoryLock.Key(accountId), ct);
    }
}

public static class SignOutEndpoint
{
    [WolverinePost("/api/auth/logout", OperationId = "signOut")]
    [Microsoft.AspNetCore.Authorization.Authorize(Policy = Policies.SignedIn)]
    public static IResult Post(IDocumentSession session, HttpContext http, TimeProvider time)
    {
        var accountId = http.User.AccountId()!.Value;
        var sessionId = http.User.SessionId()!.Value;
        session.DeleteWhere<Session>(s => s.SessionId == sessionId);
        session.Events.Append(accountId, new SignedOut(accountId, sessionId, time.GetUtcNow()));
        return TypedResults.NoContent();
    }
}
