using System.Globalization;
using System.Text;
using BuildingBlocks;
using Marten;
using Marten.Pagination;
using Marten.Events.Aggregation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace Recovery.Auditing;

public static class ResetOutcomes
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Expired = "expired";
    public const string Superseded = "superseded";
    public const string Failed = "failed";
}

/// <summary>The auditors' row for one recovery request, kept by <see cref="ResetHistoryProjection"/>.</summary>
internal sealed record ResetHistoryRow(
    Guid Id,
    Guid? AccountId,
    string? Username,
    string Channel,
    string InitiatedBy,
    Guid? ActorId,
    DateTimeOffset RequestedAt,
    DateTimeOffset? CompletedAt,
    string Outcome,
    int OtpFailures,
    int OtpMaxAttempts,
    string? ClientIp,
    string? Operator,
    string? Method = null);

/// <summary>One row per request stream; rebuilt from the events alone (no lookups), so a rebuild gives the same rows.</summary>
internal sealed class ResetHistoryProjection : SingleStreamProjection<ResetHistoryRow, Guid>
{
    public static ResetHistoryRow Create(ResetRequested e) =>
        new(e.RequestId, e.AccountId, e.Username, e.Channel, e.Initiator, e.ActorId, e.At, null, ResetOutcomes.Pending, 0, 0, e.ClientIp, e.Operator, e.ResetMethod);

    public static ResetHistoryRow Apply(ResetLinkIssued e, ResetHistoryRow row) => row with { AccountId = e.AccountId, Username = e.Username };

    public static ResetHistoryRow Apply(ResetCodeIssued e, ResetHistoryRow row) =>
        row with { AccountId = e.AccountId, Username = e.Username, OtpMaxAttempts = e.MaxAttempts };

    public static ResetHistoryRow Apply(ResetProofAwaited e, ResetHistoryRow row) =>
        row with { AccountId = e.AccountId, Username = e.Username, OtpMaxAttempts = e.MaxAttempts };

    public static ResetHistoryRow Apply(ResetUndeliverable e, ResetHistoryRow row) =>
        row with { AccountId = e.AccountId, Username = e.Username, Outcome = ResetOutcomes.Failed };

    public static ResetHistoryRow Apply(CodeVerificationFailed e, ResetHistoryRow row) => row with
    {
        OtpFailures = e.Failures,
        // Past the limit the request is dead, whatever happens next.
        Outcome = e.Failures >= e.MaxAttempts ? ResetOutcomes.Failed : row.Outcome,
    };

    public static ResetHistoryRow Apply(TemporaryPasswordIssued e, ResetHistoryRow row) => row with { AccountId = e.AccountId, Username = e.Username };

    public static ResetHistoryRow Apply(ResetCompleted e, ResetHistoryRow row) =>
        row with { AccountId = e.AccountId, CompletedAt = e.At, Outcome = ResetOutcomes.Completed };

    public static ResetHistoryRow Apply(ResetExpired e, ResetHistoryRow row) =>
        row.Outcome == ResetOutcomes.Pending ? row with { Outcome = ResetOutcomes.Expired } : row;

    public static ResetHistoryRow Apply(ResetSuperseded e, ResetHistoryRow row) =>
        row.Outcome == ResetOutcomes.Pending ? row with { Outcome = ResetOutcomes.Superseded } : row;
}

public sealed record ResetHistoryItem(
    Guid RequestId, Guid? AccountId, string? Username, string Channel, string InitiatedBy, Guid? ActorId,
    DateTimeOffset RequestedAt, DateTimeOffset? CompletedAt, string Outcome, int OtpFailures, string? ClientIp, string? Operator, string? Method);

public sealed record ResetHistoryPage(IReadOnlyList<ResetHistoryItem> Items, int Total);

public static class ResetHistoryEndpoints
{
    [WolverineGet("/api/audit/resets", OperationId = "getResetHistory")]
    [Authorize(Policy = Policies.Auditor)]
    public static async Task<ResetHistoryPage> Get(
        IQuerySession session, Guid? accountId, DateTimeOffset? from, DateTimeOffset? to, string? channel, string? outcome, string? method, int? page,
        int? pageSize, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        var query = Filter(session, accountId, from, to, channel, outcome, method);
        // One of Marten's paged queries: the page and, from a count of its own, the total (also past the last page).
        var rows = await query.OrderByDescending(r => r.RequestedAt).ToPagedListAsync(paging.Number, paging.Size, true, ct);
        var total = (int)rows.TotalItemCount;
        return new ResetHistoryPage(rows.Select(Item).ToList(), total);
    }

    [WolverineGet("/api/audit/resets.csv", OperationId = "getResetHistoryCsv")]
    [Authorize(Policy = Policies.Auditor)]
    public static async Task<IResult> Csv(
        IQuerySession session, Guid? accountId, DateTimeOffset? from, DateTimeOffset? to, string? channel, string? outcome, string? method, CancellationToken ct)
    {
        var rows = await Filter(session, accountId, from, to, channel, outcome, method).OrderByDescending(r => r.RequestedAt).Take(100_000).ToListAsync(ct);
        var csv = new StringBuilder("requestId,accountId,username,channel,initiatedBy,actorId,requestedAt,completedAt,outcome,otpFailures,clientIp,operator,method\r\n");
        foreach (var item in rows.Select(Item))
        {
            csv.AppendJoin(',', new[]
            {
                item.RequestId.ToString(), item.AccountId?.ToString() ?? "", item.Username ?? "", item.Channel, item.InitiatedBy, item.ActorId?.ToString() ?? "",
                Time(item.RequestedAt), item.CompletedAt is { } c ? Time(c) : "", item.Outcome, item.OtpFailures.ToString(CultureInfo.InvariantCulture),
                item.ClientIp ?? "", item.Operator ?? "", item.Method ?? "",
            }.Select(Field)).Append("\r\n");
        }

        return Results.Text(csv.ToString(), "text/csv; charset=utf-8", Encoding.UTF8);
    }

    private static IQueryable<ResetHistoryRow> Filter(
        IQuerySession session, Guid? accountId, DateTimeOffset? from, DateTimeOffset? to, string? channel, string? outcome, string? method)
    {
        IQueryable<ResetHistoryRow> query = session.Query<ResetHistoryRow>();
        if (accountId is { } a) query = query.Where(r => r.AccountId == a);
        if (from is { } f) query = query.Where(r => r.RequestedAt >= f);
        if (to is { } t) query = query.Where(r => r.RequestedAt <= t);
        if (!string.IsNullOrEmpty(channel)) query = query.Where(r => r.Channel == channel);
        if (!string.IsNullOrEmpty(outcome)) query = query.Where(r => r.Outcome == outcome);
        if (!string.IsNullOrEmpty(method)) query = query.Where(r => r.Method == method);
        return query;
    }

    private static ResetHistoryItem Item(ResetHistoryRow r) =>
        new(r.Id, r.AccountId, r.Username, r.Channel, r.InitiatedBy, r.ActorId, r.RequestedAt, r.CompletedAt, r.Outcome, r.OtpFailures, r.ClientIp, r.Operator, r.Method);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>Quotes what needs it, and defuses cells a spreadsheet would run as a formula.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0])) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
