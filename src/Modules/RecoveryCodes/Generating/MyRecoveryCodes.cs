using Accounts.Contracts;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine;
using Wolverine.Http;

namespace RecoveryCodes.Generating;

public sealed record RecoveryCodesStatus(int Remaining, DateTimeOffset? GeneratedAt);

public sealed record CurrentPasswordBody(string? CurrentPassword);

/// <summary>The new codes, shown this once: the service keeps only their hashes.</summary>
public sealed record RecoveryCodesIssued(string[] Codes, DateTimeOffset GeneratedAt);

/// <summary>The signed-in person's own recovery codes: how many are left; ten new ones (replacing all) or none, with the current password.</summary>
public static class MyRecoveryCodesEndpoints
{
    [WolverineGet("/api/me/recovery-codes", OperationId = "getMyRecoveryCodes")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<RecoveryCodesStatus> Get(IQuerySession session, HttpContext http, CancellationToken ct) =>
        Status(await session.LoadAsync<RecoveryCodeSet>(http.User.AccountId()!.Value, ct));

    [WolverinePost("/api/me/recovery-codes", OperationId = "generateMyRecoveryCodes")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<IResult> Generate(
        CurrentPasswordBody body, IDocumentSession session, HashKeys keys, IMessageBus bus, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var accountId = http.User.AccountId()!.Value;
        if (await GuardAsync(body.CurrentPassword, accountId, bus, http, ct) is { } refused) return refused;
        var existing = await session.LoadAsync<RecoveryCodeSet>(accountId, ct);
        var codes = Enumerable.Range(0, RecoveryCodeSet.Count).Select(_ => RecoveryCodeSet.NewCode()).ToArray();
        var hashes = new string[codes.Length];
        for (var i = 0; i < codes.Length; i++) hashes[i] = await keys.HashAsync(RecoveryCodeSet.HashKey, RecoveryCodeSet.Normalize(codes[i]), ct);

        var now = time.GetUtcNow();
        var set = existing ?? new RecoveryCodeSet { Id = accountId };
        (set.Hashes, set.Used, set.GeneratedAt) = (hashes, new bool[codes.Length], now);
        session.Store(set);
        session.Events.Append(RecoveryCodesStream.For(accountId), new RecoveryCodesGenerated(accountId, codes.Length, existing is not null, now));
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new RecoveryCodesIssued(codes, now));
    }

    [WolverinePost("/api/me/recovery-codes/remove", OperationId = "removeMyRecoveryCodes")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<IResult> Remove(CurrentPasswordBody body, IDocumentSession session, IMessageBus bus, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var accountId = http.User.AccountId()!.Value;
        if (await GuardAsync(body.CurrentPassword, accountId, bus, http, ct) is { } refused) return refused;
        return await RecoveryCodesRemoval.RemoveAsync(session, accountId, accountId, false, time, ct) ? TypedResults.NoContent() : Problems.NotFound("recovery codes");
    }

    internal static RecoveryCodesStatus Status(RecoveryCodeSet? set) => new(set?.Remaining ?? 0, set?.GeneratedAt);

    /// <summary>The current password, confirmed by Accounts (a wrong one counts towards the lockout); null when it holds.</summary>
    private static async Task<IResult?> GuardAsync(string? password, Guid accountId, IMessageBus bus, HttpContext http, CancellationToken ct)
    {
        var answer = await bus.InvokeAsync<CurrentPasswordConfirmedV1>(new ConfirmCurrentPasswordV1(accountId, password, http.Connection.RemoteIpAddress?.ToString()), ct);
        return answer.Confirmed ? null : Problems.BadRequest("invalid_current_password", "The current password is not correct.");
    }
}

/// <summary>An administrator sees how many recovery codes an account has left (never the codes) and can remove them.</summary>
public static class AccountRecoveryCodesEndpoints
{
    [WolverineGet("/api/accounts/{id}/recovery-codes", OperationId = "getAccountRecoveryCodes")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<RecoveryCodesStatus> Get(Guid id, IQuerySession session, CancellationToken ct) =>
        MyRecoveryCodesEndpoints.Status(await session.LoadAsync<RecoveryCodeSet>(id, ct));

    [WolverineDelete("/api/accounts/{id}/recovery-codes", OperationId = "removeAccountRecoveryCodes")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Delete(Guid id, IDocumentSession session, TimeProvider time, HttpContext http, CancellationToken ct) =>
        await RecoveryCodesRemoval.RemoveAsync(session, id, http.User.AccountId(), true, time, ct) ? TypedResults.NoContent() : Problems.NotFound("recovery codes");
}

internal static class RecoveryCodesRemoval
{
    public static async Task<bool> RemoveAsync(IDocumentSession session, Guid accountId, Guid? actorId, bool byAdministrator, TimeProvider time, CancellationToken ct)
    {
        var set = await session.LoadAsync<RecoveryCodeSet>(accountId, ct);
        if (set is null) return false;
        session.Delete(set);
        session.Events.Append(RecoveryCodesStream.For(accountId), new RecoveryCodesRemoved(accountId, actorId, byAdministrator, time.GetUtcNow()));
        return true;
    }
}
