using Accounts.Sessions;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Accounts.MyAccount;

public sealed record MeResponse(Guid Id, string Username, string? Email, string? Phone, string[] Roles, bool MustChangePassword);

public sealed record SessionView(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? ClientIp, string? UserAgent, bool Current);

public sealed record SessionList(IReadOnlyList<SessionView> Items);

public static class ViewMyAccountEndpoints
{
    [WolverineGet("/api/me", OperationId = "getMe")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<IResult> Get(IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var account = await session.LoadAsync<Account>(http.User.AccountId()!.Value, ct);
        return account is null
            ? Problems.NotFound("account")
            : TypedResults.Ok(new MeResponse(account.Id, account.Username, account.Email, account.Phone, account.Roles, account.MustChangePassword));
    }

    [WolverineGet("/api/me/sessions", OperationId = "listMySessions")]
    [Authorize(Policy = Policies.SignedIn)]
    public static async Task<SessionList> Sessions(
        IQuerySession session, HttpContext http, TimeProvider time, IOptions<SessionLifetimeOptions> lifetime, CancellationToken ct)
    {
        var accountId = http.User.AccountId()!.Value;
        var current = http.User.SessionId();
        var now = time.GetUtcNow();
        var sessions = await session.Query<Session>().Where(s => s.AccountId == accountId && s.ExpiresAt > now)
            .OrderByDescending(s => s.CreatedAt).ToListAsync(ct);
        return new SessionList(sessions.Where(s => !s.IsOver(now, lifetime.Value))
            .Select(s => new SessionView(s.SessionId, s.CreatedAt, s.ExpiresAt, s.ClientIp, s.UserAgent, s.SessionId == current)).ToList());
    }
}
