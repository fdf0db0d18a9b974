namespace BuildingBlocks;

/// <summary>
/// An event that belongs in the auditors' security event log. Each module's events implement it, and the
/// security log projection reads only this surface, so the log needs to know no module's types.
/// </summary>
public interface ISecurityEvent
{
    /// <summary>
    /// The event's type in the log: a constant of <c>Audit.Contracts.SecurityEventTypes</c>, stated by the event itself and
    /// never derived from its class name.
    /// </summary>
    string Type { get; }

    Guid? AccountId { get; }

    Guid? ActorId { get; }

    DateTimeOffset At { get; }

    /// <summary>One human sentence, with nothing secret in it.</summary>
    string Summary { get; }
}
