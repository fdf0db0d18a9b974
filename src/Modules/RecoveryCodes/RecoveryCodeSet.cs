using System.Security.Cryptography;
using Audit.Contracts;
using BuildingBlocks;

namespace RecoveryCodes;

/// <summary>One account's recovery codes: keyed hashes only, and which are used. The document's id is the account's id.</summary>
internal sealed class RecoveryCodeSet
{
    public const int Count = 10;

    /// <summary>The hash key's name (and configuration key for a key of one's own, base64, at least 32 bytes).</summary>
    public const string HashKey = "RecoveryCodes:HashKey";

    /// <summary>Crockford's base32 alphabet: no I, L, O or U to misread.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public Guid Id { get; set; }

    public string[] Hashes { get; set; } = [];

    public bool[] Used { get; set; } = [];

    public DateTimeOffset GeneratedAt { get; set; }

    public int Remaining => Used.Count(u => !u);

    /// <summary>A new code: 10 characters of base32 (50 bits), shown as XXXXX-XXXXX.</summary>
    public static string NewCode()
    {
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(chars, 0, 5) + "-" + new string(chars, 5, 5);
    }

    /// <summary>What is hashed: the code without spaces or dashes, in capitals, with the letters people confuse read as digits.</summary>
    public static string Normalize(string typed) =>
        new(typed.ToUpperInvariant().Where(c => c is not (' ' or '-')).Select(c => c switch { 'O' => '0', 'I' or 'L' => '1', _ => c }).ToArray());

    /// <summary>The index of the unused code with this hash, comparing against every code alike; null when none.</summary>
    public int? Find(string hash)
    {
        int? found = null;
        var wanted = Convert.FromHexString(hash);
        for (var i = 0; i < Hashes.Length; i++)
        {
            var same = CryptographicOperations.FixedTimeEquals(Convert.FromHexString(Hashes[i]), wanted);
            if (same && !Used[i]) found = i;
        }

        return found;
    }
}

internal sealed record RecoveryCodesGenerated(Guid AccountId, int Count, bool Replaced, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.RecoveryCodesGenerated;

    Guid? ISecurityEvent.AccountId => AccountId;

    Guid? ISecurityEvent.ActorId => AccountId;

    public string Summary => Replaced ? $"Recovery codes replaced: {Count} new codes." : $"Recovery codes generated: {Count} codes.";
}

internal sealed record RecoveryCodesRemoved(Guid AccountId, Guid? ActorId, bool ByAdministrator, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.RecoveryCodesRemoved;

    Guid? ISecurityEvent.AccountId => AccountId;

    public string Summary => ByAdministrator ? "Recovery codes removed by an administrator." : "Recovery codes removed.";
}

internal sealed record RecoveryCodeUsed(Guid AccountId, Guid RequestId, int Remaining, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.RecoveryCodeUsed;

    Guid? ISecurityEvent.AccountId => AccountId;

    Guid? ISecurityEvent.ActorId => null;

    public string Summary => $"A recovery code was used to recover the password; {Remaining} left.";
}

internal static class RecoveryCodesStream
{
    public static Guid For(Guid accountId) => ModuleStreams.For(accountId, "recovery-codes");
}
