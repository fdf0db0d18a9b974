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

/// <summary>Stream ids a module derives from an account's id, so that its events of one account form one stream of its own.</summary>
public static class ModuleStreams
{
    /// <summary>A stable id for the module's stream of the account (a name-based id: never the account's own stream).</summary>
    public static Guid For(Guid accountId, string module)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{module}:{accountId:N}"), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: a name-based id of our own
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
