using BuildingBlocks;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Accounts.Administering;

public sealed record AccountView(Guid Id, string Username, string? Email, string? Phone, string[] Roles, string Status, bool MustChangePassword, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt, DateTimeOffset? PasswordChangedAt);

public sealed record AccountPage(IReadOnlyList<AccountView> Items, int Total);

public static class FindAccountsEndpoints
{
    [WolverineGet("/api/accounts", OperationId = "searchAccounts")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<AccountPage> Search(IQuerySession session, TimeProvider time, string? keyword, int? page, int? pageSize, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize, 20, 200);
        IQueryable<Account> query = session.Query<Account>();
        if (!string.IsNullOrWhiteSpace(keyword))
        {
            var k = keyword.Trim().ToLowerInvariant();
            query = query.Where(a => a.NormalizedUsername.Contains(k) || (a.NormalizedEmail != null && a.NormalizedEmail.Contains(k)) || (a.Phone != null && a.Phone.Contains(k)));
        }

        // One of Marten's paged queries: the page and, from a count of its own, the total (also past the last page).
        var items = await query.OrderBy(a => a.NormalizedUsername).ToPagedListAsync(paging.Number, paging.Size, true, ct);
        var total = (int)items.TotalItemCount;
        var now = time.GetUtcNow();
        return new AccountPage(items.Select(a => View(a, now)).ToList(), total);
    }

    [WolverineGet("/api/accounts/{id}", OperationId = "getAccount")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, TimeProvider time, CancellationToken ct)
    {
        var account = await session.LoadAsync<Account>(id, ct);
        return account is null ? Problems.NotFound("account") : TypedResults.Ok(View(account, time.GetUtcNow()));
    }

    internal static AccountView View(Account a, DateTimeOffset now) =>
        new(a.Id, a.Username, a.Email, a.Phone, a.Roles, a.Status(now), a.MustChangePassword, a.LockedUntilAny(now), a.CreatedAt, a.PasswordChangedAt);
}
