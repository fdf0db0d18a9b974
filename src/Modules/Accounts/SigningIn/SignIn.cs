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
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SignInRateLimit.Policy)]
    public static async Task<IResult> Post(
        SignInRequest request, IDocumentSession session, PasswordHasher hasher, TimeProvider time, HttpContext http,
        IOptions<SessionLifetimeOptions> sessionOptions, CancellationToken ct)
    {
        // No login is longer than an email address may be; a longer one is refused before it is read or queried.
        if (request.Login?.Length > Account.MaxLoginLength) return Refused();
        var login = Account.Normalize(request.Login) ?? string.Empty;
        var password = PasswordText.Normalize(request.Password);
        var policy = await PasswordPolicySettings.CurrentAsync(session, ct);
        var now = time.GetUtcNow();
        var clientIp = http.Connection.RemoteIpAddress?.ToString();

        var account = login.Length == 0
            ? null
            : await session.Query<Account>().FirstOrDefaultAsync(a => a.NormalizedUsername == login || a.NormalizedEmail == login, ct);

        // Over-long input is never hashed; it cannot be anybody's password.
        if (PasswordText.Length(password) > Math.Max(policy.MaxLength, 1024)) return Refused();

        if (account is null)
        {
            // The same steps as for an account (a lock, a read, a hash, an event), so that timing tells nothing;
            // the event also shows auditors sign-in attempts for logins that do not exist.
            var attempts = UnknownLoginSignInFailed.StreamFor(login);
            await AccountLock.TakeAsync(session, attempts, ct);
            _ = await session.LoadAsync<Account>(attempts, ct);
            await hasher.SpendDecoyAsync(password, ct);
            session.Events.Append(attempts, new UnknownLoginSignInFailed(UnknownLoginSignInFailed.Fingerprint(login), clientIp, now));
            return Refused();
        }

        // Every write to an account's stream takes the stream's row lock (exclusive writing): sign-ins, password changes,
        // resets and administrators' edits of one account take turns instead of failing each other with a version
        // conflict, failures are counted one at a time, and no sign-in checked against an old password can finish after
        // a password change has ended every session.
        account = (await session.Events.FetchForExclusiveWriting<Account>(account.Id, ct)).Aggregate ?? account;

        var matches = await hasher.VerifyAsync(account.PasswordHash, password, ct);
        if (account.Disabled)
        {
            session.Events.Append(account.Id, new SignInFailed(account.Id, account.FailuresFor(clientIp), false, clientIp, now, "the account is disabled", account.IsFamiliar(clientIp)));
            return Refused();
        }

        if (matches && account.TemporaryPasswordExpired(now))
        {
            session.Events.Append(account.Id, new SignInFailed(account.Id, account.FailuresFor(clientIp), false, clientIp, now, "the temporary password has expired", account.IsFamiliar(clientIp)));
            return Refused();
        }

        if (account.IsLockedFor(clientIp, now))
        {
            session.Events.Append(account.Id, new SignInFailed(account.Id, account.FailuresFor(clientIp), true, clientIp, now, Familiar: account.IsFamiliar(clientIp)));
            return Refused();
        }

        if (!matches)
        {
            session.Events.Append(account.Id, account.FailedAuthentication(policy, clientIp, now).ToArray());
            return Refused();
        }

        if (hasher.NeedsRehash(account.PasswordHash))
            session.Events.Append(account.Id, new PasswordRehashed(account.Id, await hasher.HashAsync(password, ct), now));

        var token = Session.NewToken();
        var expiresAt = now.AddMinutes(sessionOptions.Value.LifetimeMinutes);
        var sessionId = Guid.NewGuid();
        session.Store(new Session(Session.HashToken(token), sessionId, account.Id, now, expiresAt, clientIp, http.Request.Headers.UserAgent.ToString()));
        session.Events.Append(account.Id, new SignedIn(account.Id, sessionId, clientIp, now));
        return TypedResults.Ok(new SignInResponse(token, expiresAt, account.MustChangePassword));
    }

    private static IResult Refused() =>
        Problems.Result(StatusCodes.Status401Unauthorized, "invalid_credentials", "The login or password is not correct.");
}

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
