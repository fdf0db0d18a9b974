using Audit.Contracts;
using BuildingBlocks;

namespace Recovery.Verifying;

/// <summary>
/// The account-wide cap on wrong one-time codes (<c>Recovery:CodeFailures</c>). Each request has its own few tries, but
/// each new request brings fresh ones; this caps the sum over all of an account's requests within a sliding window.
/// </summary>
public sealed class CodeFailureLimitOptions
{
    /// <summary>Wrong codes an account may collect within the window before code channels stop issuing codes for it.</summary>
    public int MaxPerAccount { get; set; } = 20;

    public int WindowHours { get; set; } = 24;

    internal int Max => Math.Max(1, MaxPerAccount);

    internal TimeSpan Window => TimeSpan.FromHours(Math.Max(1, WindowHours));
}

/// <summary>
/// The times of an account's latest wrong codes, over all its requests, oldest first (the id is the account id).
/// Only the newest <see cref="CodeFailureLimitOptions.MaxPerAccount"/> are kept: older ones can no longer decide
/// whether the cap holds. Written under the account's advisory lock, so simultaneous tries cannot lose a count;
/// a new password for the account deletes it.
/// </summary>
internal sealed record AccountCodeFailures(Guid Id, DateTimeOffset[] Failures)
{
    public bool IsCapped(DateTimeOffset now, CodeFailureLimitOptions limits) =>
        Failures.Length >= limits.Max && Failures[^limits.Max] > now - limits.Window;

    /// <summary>When the cap lifts if no further wrong code comes.</summary>
    public DateTimeOffset CappedUntil(CodeFailureLimitOptions limits) => Failures[^Math.Min(limits.Max, Failures.Length)] + limits.Window;

    public AccountCodeFailures Record(DateTimeOffset at, CodeFailureLimitOptions limits) =>
        this with { Failures = [.. Failures.Append(at).TakeLast(limits.Max)] };
}

/// <summary>The account reached the cap on wrong codes: until the window has passed, code channels send it nothing.</summary>
internal sealed record CodeFailureLimitReached(
    Guid RequestId, Guid AccountId, int Failures, int WindowHours, DateTimeOffset Until, string? ClientIp, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.CodeFailureLimitReached;

    public string Summary =>
        $"{Failures} wrong reset codes for this account within {WindowHours} h (the last from {ClientIp ?? "an unknown address"}): " +
        $"no codes are sent for it until {Until:u} at the earliest; reset links still are.";

    Guid? ISecurityEvent.AccountId => AccountId;
    Guid? ISecurityEvent.ActorId => null;
}
