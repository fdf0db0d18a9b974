using BuildingBlocks;
using JasperFx.Events;
using Marten;
using Marten.Pagination;
using Marten.Events.Projections;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Notifications.MailLog;

/// <summary>One attempt's outcome as the mail log shows it; <see cref="NotificationId"/> is the task's id.</summary>
internal sealed record MailLogEntry(
    Guid Id, Guid NotificationId, string Kind, string Channel, string To, string NormalizedTo, string Subject, string Status,
    string? Error, int Attempt, DateTimeOffset At);

/// <summary>Every delivery outcome on any notification stream becomes one mail log row.</summary>
internal sealed partial class MailLogProjection : EventProjection
{
    public MailLogProjection()
    {
        IncludeType<NotificationDelivered>();
        IncludeType<DeliveryFailed>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case NotificationDelivered d:
                operations.Store(new MailLogEntry(e.Id, d.NotificationId, d.Kind, d.Channel, d.To, d.To.ToLowerInvariant(), d.Subject, MailLogStatus.Sent, null, d.Attempt, d.At));
                break;
            case DeliveryFailed f:
                operations.Store(new MailLogEntry(e.Id, f.NotificationId, f.Kind, f.Channel, f.To, f.To.ToLowerInvariant(), f.Subject, MailLogStatus.Failed, f.Error, f.Attempt, f.At));
                break;
        }

        return ValueTask.CompletedTask;
    }
}

public sealed record MailLogItem(Guid Id, Guid EntryId, string Kind, string Channel, string To, string Subject, string Status, string? Error, DateTimeOffset At, int Attempt);

public sealed record MailLogPage(IReadOnlyList<MailLogItem> Items, int Total);

public static class MailLogEndpoint
{
    /// <summary>Newest first; <c>to</c> matches part of the recipient, <c>status</c> is "sent" or "failed".</summary>
    [WolverineGet("/api/notifications/mail-log", OperationId = "getMailLog")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<MailLogPage> Get(
        IQuerySession session, int? page, int? pageSize, string? status, string? to, string? channel, string? kind, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        IQueryable<MailLogEntry> query = session.Query<MailLogEntry>();
        if (!string.IsNullOrWhiteSpace(status)) query = query.Where(e => e.Status == status.Trim().ToLowerInvariant());
        if (!string.IsNullOrWhiteSpace(channel)) query = query.Where(e => e.Channel == channel.Trim().ToLowerInvariant());
        if (!string.IsNullOrWhiteSpace(kind)) query = query.Where(e => e.Kind == kind.Trim());
        if (!string.IsNullOrWhiteSpace(to))
        {
            var recipient = to.Trim().ToLowerInvariant();
            query = query.Where(e => e.NormalizedTo.Contains(recipient));
        }

        // One of Marten's paged queries: the page and, from a count of its own, the total (also past the last page).
        var entries = await query.OrderByDescending(e => e.At).ToPagedListAsync(paging.Number, paging.Size, true, ct);
        var total = (int)entries.TotalItemCount;
        return new MailLogPage(
            entries.Select(e => new MailLogItem(e.NotificationId, e.Id, e.Kind, e.Channel, e.To, e.Subject, e.Status, e.Error, e.At, e.Attempt)).ToList(),
            total);
    }
}
