using Accounts.Contracts;
using Accounts.Passwords;
using Accounts.Settings;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Http;

namespace Accounts.ChangingPassword;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword, string? ConfirmPassword);

public static class ChangePasswordEndpoint
{
    [WolverinePost("/api/me/password", OperationId = "changePassword")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<IResult> Post(
        ChangePasswordRequest request, IDocumentSession session, PasswordHasher hasher, PasswordChanges changes, CommonPasswords common,
        SharedRateLimits limits, IOptions<PasswordChangeLimitOptions> limitOptions, HttpContext http, IMessageBus bus, TimeProvider time,
        CancellationToken ct)
    {
        var accountId = http.User.AccountId()!.Value;
        var limit = limitOptions.Value;
        var key = PasswordChangeLimitOptions.Key(http.User.SessionId() ?? accountId);
        if (await limits.CountAsync(key, limit.PerSessionAttempts, limit.WindowSeconds, ct) is { } wait)
            return RateLimits.TooMany(http, wait, "Too many password-change attempts in this session; try again later.");

        var stream = await session.Events.FetchForExclusiveWriting<Account>(accountId, ct);
        var account = stream.Aggregate!;
        var policy = await PasswordPolicySettings.CurrentAsync(session, ct);

        var current = PasswordText.Normalize(request.CurrentPassword);
        var proposed = PasswordText.Normalize(request.NewPassword);

        // The new password's own rules come first: an over-long one is refused before anything is hashed.
        var violations = policy.Check(proposed, request.ConfirmPassword, account.Username, account.Email, common);
        if (violations.Contains(PolicyCodes.TooLong)) return Problems.PasswordPolicy(violations, null);

        if (PasswordText.Length(current) > PasswordPolicy.AbsoluteMaxLength || !await hasher.VerifyAsync(account.PasswordHash, current, ct))
        {
            // A wrong current password is a failed authentication like a failed sign-in: it counts towards the lockout,
            // so a stolen token cannot be used to guess the password; reaching the lock ends every session.
            var outcome = account.FailedAuthentication(policy, http.Connection.RemoteIpAddress?.ToString(), time.GetUtcNow());
            stream.AppendMany(outcome);
            if (outcome.OfType<AccountLocked>().Any()) await changes.EndSessionsAsync(session, stream, "account locked", null, ct);

            return Problems.BadRequest("invalid_current_password", "The current password is not correct.");
        }

        violations = await changes.ViolationsAsync(session, account, proposed, request.ConfirmPassword, policy, ct);
        if (violations.Count > 0) return Problems.PasswordPolicy(violations, policy.AdviceFor(violations, proposed, account.Username, account.Email));

        await changes.ApplyAsync(session, stream, proposed, PasswordChangeReasons.Change, accountId, null, false, bus, ct);
        return TypedResults.NoContent();
    }
}
