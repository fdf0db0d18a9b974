using BuildingBlocks;
using JasperFx.Events;
using Marten;
using Marten.Pagination;
using Marten.Events.Projections;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Audit.SecurityLog;

/// <summary>One row of the security event log; its id is the id of the event it was derived from.</summary>
public sealed record SecurityLogEntry(Guid Id, DateTimeOffset At, string Type, Guid? AccountId, Guid? ActorId, string Summary);

/// <summary>
/// Every event of any module that implements <see cref="ISecurityEvent"/> becomes one row, in the same transaction as
/// the event. Being derived from events only, it can be rebuilt at any time.
/// </summary>
internal sealed class SecurityLogProjection : IProjection
{
    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var e in events)
        {
            if (e.Data is ISecurityEvent security)
                operations.Store(new SecurityLogEntry(e.Id, security.At, security.Type, security.AccountId, security.ActorId, security.Summary));
        }

        return Task.CompletedTask;
    }
}

public sealed record SecurityLogPage(IReadOnlyList<SecurityLogEntry> Items, int Total);

public static class SecurityLogEndpoint
{
    [WolverineGet("/api/audit/events", OperationId = "securityEvents")]
    [Authorize(Policy = Policies.Auditor)]
    public static async Task<SecurityLogPage> Get(
        IQuerySession session, Guid? accountId, string? type, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        IQueryable<SecurityLogEntry> query = session.Query<SecurityLogEntry>();
        if (accountId is { } account) query = query.Where(e => e.AccountId == account);
        if (!string.IsNullOrWhiteSpace(type)) query = query.Where(e => e.Type == type);
        if (from is { } start) query = query.Where(e => e.At >= start);
        if (to is { } end) query = query.Where(e => e.At <= end);

        // One of Marten's paged queries: the page and, from a count of its own, the total (also past the last page).
        var items = await query.OrderByDescending(e => e.At).ToPagedListAsync(paging.Number, paging.Size, true, ct);
        var total = (int)items.TotalItemCount;
        return new SecurityLogPage(items.ToList(), total);
    }
}
