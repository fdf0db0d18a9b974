using Accounts.Contracts;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Wolverine;
using Wolverine.Http;

namespace Authenticator.Enrolling;

public sealed record AuthenticatorStatus(bool Enrolled, bool Pending, DateTimeOffset? EnrolledAt);

public sealed record CurrentPasswordBody(string? CurrentPassword);

/// <summary>The key to enter in the app, once: as text, as an otpauth URI, and as a QR code (SVG).</summary>
public sealed record AuthenticatorEnrolmentStarted(string Key, string Uri, string QrCodeSvg);

public sealed record AuthenticatorCodeBody(string? Code);

/// <summary>The signed-in person's own authenticator: start with the current password, confirm with one code, remove with the current password.</summary>
public static class MyAuthenticatorEndpoints
{
    [WolverineGet("/api/me/authenticator", OperationId = "getMyAuthenticator")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<AuthenticatorStatus> Get(IQuerySession session, HttpContext http, CancellationToken ct) =>
        Status(await session.LoadAsync<AuthenticatorEnrolment>(http.User.AccountId()!.Value, ct));

    [WolverinePost("/api/me/authenticator", OperationId = "startMyAuthenticator")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<IResult> Start(
        CurrentPasswordBody body, IDocumentSession session, AuthenticatorKeys keys, IMessageBus bus, IConfiguration configuration, TimeProvider time,
        HttpContext http, CancellationToken ct)
    {
        var accountId = http.User.AccountId()!.Value;
        if (await GuardAsync(body.CurrentPassword, accountId, bus, http, ct) is { } refused) return refused;
        var existing = await session.LoadAsync<AuthenticatorEnrolment>(accountId, ct);
        if (existing is { Confirmed: true }) return Problems.Conflict("already_enrolled", "An authenticator is already enrolled; remove it first.");

        var contact = await bus.InvokeAsync<RecoveryContactV1>(new FindRecoveryContactByIdV1(accountId), ct);
        var key = AuthenticatorKeys.NewKey();
        var enrolment = existing ?? new AuthenticatorEnrolment { Id = accountId, ProtectedKey = string.Empty };
        enrolment.ProtectedKey = keys.Protect(key);
        enrolment.StartedAt = time.GetUtcNow();
        session.Store(enrolment);
        var uri = AuthenticatorKeys.Uri(key, configuration["Authenticator:Issuer"] is { Length: > 0 } issuer ? issuer : "Account recovery", contact.Username ?? "account");
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new AuthenticatorEnrolmentStarted(AuthenticatorKeys.Display(key), uri, AuthenticatorKeys.QrSvg(uri)));
    }

    [WolverinePost("/api/me/authenticator/confirm", OperationId = "confirmMyAuthenticator")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<IResult> Confirm(
        AuthenticatorCodeBody body, IDocumentSession session, AuthenticatorKeys keys, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var accountId = http.User.AccountId()!.Value;
        var enrolment = await session.LoadAsync<AuthenticatorEnrolment>(accountId, ct);
        if (enrolment is null || enrolment.Confirmed) return Problems.Conflict("not_pending", "There is no authenticator waiting for its first code; start again.");
        var now = time.GetUtcNow();
        if (AuthenticatorKeys.Match(keys.Unprotect(enrolment.ProtectedKey), body.Code ?? string.Empty, now, enrolment.LastUsedStep) is not { } step)
            return Problems.BadRequest("invalid_code", "The code is not the one the app shows now; check the app's clock and try the next code.");

        (enrolment.Confirmed, enrolment.EnrolledAt, enrolment.LastUsedStep) = (true, now, step);
        session.Store(enrolment);
        session.Events.Append(AuthenticatorStream.For(accountId), new AuthenticatorEnrolled(accountId, accountId, now));
        return TypedResults.NoContent();
    }

    [WolverinePost("/api/me/authenticator/remove", OperationId = "removeMyAuthenticator")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<IResult> Remove(
        CurrentPasswordBody body, IDocumentSession session, IMessageBus bus, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var accountId = http.User.AccountId()!.Value;
        if (await GuardAsync(body.CurrentPassword, accountId, bus, http, ct) is { } refused) return refused;
        return await AuthenticatorRemoval.RemoveAsync(session, accountId, accountId, false, time, ct) ? TypedResults.NoContent() : Problems.NotFound("authenticator");
    }

    internal static AuthenticatorStatus Status(AuthenticatorEnrolment? enrolment) =>
        new(enrolment is { Confirmed: true }, enrolment is { Confirmed: false }, enrolment?.EnrolledAt);

    /// <summary>The current password, confirmed by Accounts (a wrong one counts towards the lockout); null when it holds.</summary>
    private static async Task<IResult?> GuardAsync(string? password, Guid accountId, IMessageBus bus, HttpContext http, CancellationToken ct)
    {
        var answer = await bus.InvokeAsync<CurrentPasswordConfirmedV1>(new ConfirmCurrentPasswordV1(accountId, password, http.Connection.RemoteIpAddress?.ToString()), ct);
        return answer.Confirmed ? null : Problems.BadRequest("invalid_current_password", "The current password is not correct.");
    }
}

/// <summary>An administrator sees whether an account has an authenticator (never its key) and can remove it.</summary>
public static class AccountAuthenticatorEndpoints
{
    [WolverineGet("/api/accounts/{id}/authenticator", OperationId = "getAccountAuthenticator")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<AuthenticatorStatus> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        MyAuthenticatorEndpoints.Status(await session.LoadAsync<AuthenticatorEnrolment>(id, ct));

    [WolverineDelete("/api/accounts/{id}/authenticator", OperationId = "removeAccountAuthenticator")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Delete(Guid id, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct) =>
        await AuthenticatorRemoval.RemoveAsync(session, id, http.User.AccountId(), true, time, ct) ? TypedResults.NoContent() : Problems.NotFound("authenticator");
}

internal static class AuthenticatorRemoval
{
    public static async Task<bool> RemoveAsync(IDocumentSession session, Guid accountId, Guid? actorId, bool byAdministrator, TimeProvider time, CancellationToken ct)
    {
        var enrolment = await session.LoadAsync<AuthenticatorEnrolment>(accountId, ct);
        if (enrolment is null) return false;
        session.Delete(enrolment);
        if (enrolment.Confirmed)
            session.Events.Append(AuthenticatorStream.For(accountId), new AuthenticatorRemoved(accountId, actorId, byAdministrator, time.GetUtcNow()));
        return true;
    }
}
