namespace BuildingBlocks;

/// <summary>
/// An event that belongs in the auditors' security event log. Each module's events implement it, and the
/// security log projection reads only this surface, so the log needs to know no module's types.
/// </summary>
public interface ISecurityEvent
{
    Guid? AccountId { get; }

    Guid? ActorId { get; }

    DateTimeOffset At { get; }

    /// <summary>One human sentence, with nothing secret in it.</summary>
    string Summary { get; }
}
