using BuildingBlocks;
using Marten;
using Marten.Pagination;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Notifications.Delivering;
using Notifications.Requesting;
using Notifications.Templates;
using Wolverine;
using Wolverine.Http;

namespace Notifications.Tasks;

public sealed record ScheduledTaskItem(
    Guid Id, string Kind, string Channel, string To, DateTimeOffset ScheduledFor, string Status, int Attempts, string? LastError);

public sealed record ScheduledTaskPage(IReadOnlyList<ScheduledTaskItem> Items, int Total);

public sealed record AttemptView(int Attempt, string Channel, string Status, string? Error, DateTimeOffset At);

/// <summary>One notification with its masked body: one-time secrets appear as the mask.</summary>
public sealed record NotificationView(
    Guid Id, string Kind, string Channel, string To, Guid? AccountId, string Subject, string Body, string? HtmlBody,
    DateTimeOffset RequestedAt, DateTimeOffset ScheduledFor, string Status, int Attempts, string? LastError, DateTimeOffset? CompletedAt,
    IReadOnlyList<AttemptView> History);

public static class NotificationTaskEndpoints
{
    [WolverineGet("/api/notifications/scheduled", OperationId = "getScheduledNotifications")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<ScheduledTaskPage> Scheduled(IQuerySession session, string? status, int? page, int? pageSize, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize, 100, 500);
        IQueryable<NotificationTask> query = session.Query<NotificationTask>();
        if (!string.IsNullOrWhiteSpace(status))
        {
            // A status that names none matches no task.
            if (NotificationStatusNames.FromWire(status) is not { } wanted) return new ScheduledTaskPage([], 0);
            query = query.Where(t => t.Status == wanted);
        }

        // One of Marten's paged queries: the page and, from a count of its own, the total (also past the last page).
        var tasks = await query.OrderByDescending(t => t.ScheduledFor).ToPagedListAsync(paging.Number, paging.Size, true, ct);
        var total = (int)tasks.TotalItemCount;
        return new ScheduledTaskPage(
            tasks.Select(t => new ScheduledTaskItem(t.Id, t.Kind, t.Channel, t.To, t.ScheduledFor, t.Status.Wire(), t.Attempts, t.LastError)).ToList(),
            total);
    }

    [WolverineGet("/api/notifications/{id}", OperationId = "getNotification")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken ct)
    {
        var t = await session.LoadAsync<NotificationTask>(id, ct);
        if (t is null) return Problems.NotFound("notification");
        return TypedResults.Ok(new NotificationView(
            t.Id, t.Kind, t.Channel, t.To, t.AccountId, t.Message.Subject, t.Message.Text, t.Message.Html, t.RequestedAt, t.ScheduledFor,
            t.Status.Wire(), t.Attempts, t.LastError, t.CompletedAt,
            t.History.Select(h => new AttemptView(h.Attempt, h.Channel, h.Status, h.Error, h.At)).ToList()));
    }

    /// <summary>
    /// Runs a done or failed task again, now, with the settings then in force; a message whose one-time secret has been
    /// deleted (after its retention) cannot be.
    /// </summary>
    [WolverinePost("/api/notifications/{id}/redo", OperationId = "redoNotification")]
    [Authorize(Policy = Policies.Admin)]
    public static async Task<IResult> Redo(Guid id, IDocumentSession session, IMessageBus bus, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<NotificationTask>(id, ct);
        if (stream.Aggregate is not { } task) return Problems.NotFound("notification");
        // Only root may send a root account's secret again (docs/adr/0019).
        if (task.ForRoot && !http.User.IsInRole(Roles.Root))
            return Problems.Result(StatusCodes.Status403Forbidden, "forbidden", "Only root may redo a message that carries a root account's secret.");
        if (!task.CanBeRedone)
            return Problems.Conflict("not_redoable", $"The task is {task.Status.Wire()}; only a done or failed task, or one waiting to retry after a failure, can be run again.");
        if (MessageTemplates.KindsWithSecret.Contains(task.Kind) && await session.LoadAsync<ProtectedNotificationSecret>(id, ct) is null)
            return Problems.Conflict("secret_expired",
                "The one-time secret of this message has been deleted, so it cannot be sent again; start a new password reset instead.");

        stream.AppendOne(new RedoRequested(id, http.User.AccountId(), time.GetUtcNow()));
        await bus.PublishAsync(new DeliverNotification(id, task.NextAttempt));
        return TypedResults.Accepted($"/api/notifications/{id}", new Settings.NotificationAccepted(id));
    }
}
