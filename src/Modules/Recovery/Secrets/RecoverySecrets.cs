using System.Security.Cryptography;
using System.Text;
using BuildingBlocks;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Notifications.Contracts;

namespace Recovery.Secrets;

/// <summary>
/// Makes and checks recovery secrets (ADR 0009): link and reset tokens of 256 random bits stored as SHA-256,
/// codes from a CSPRNG stored as HMAC-SHA256 under a key that lives apart from the rows, compared in constant time.
/// </summary>
public sealed class RecoverySecrets(CodeHashKey key, IDataProtectionProvider protection)
{
    private long secretsMade;
    private long hashesComputed;

    /// <summary>How many secrets this process has made (tests compare known and unknown logins with it).</summary>
    public long SecretsMade => Interlocked.Read(ref secretsMade);

    /// <summary>How many token or code hashes this process has computed.</summary>
    public long HashesComputed => Interlocked.Read(ref hashesComputed);

    public string NewToken()
    {
        Interlocked.Increment(ref secretsMade);
        return WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
    }

    public string NewCode(int length)
    {
        Interlocked.Increment(ref secretsMade);
        var digits = new char[length];
        for (var i = 0; i < length; i++) digits[i] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        return new string(digits);
    }

    /// <summary>A token carries 256 bits of entropy, so a plain SHA-256 is enough to make a stolen row useless.</summary>
    public string HashToken(string token)
    {
        Interlocked.Increment(ref hashesComputed);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    /// <summary>
    /// A code has few bits, so an unkeyed hash would fall to a table of all codes; the key is not in the database rows,
    /// and the request id is bound in so that equal codes of two requests hash differently.
    /// </summary>
    public async Task<string> HashCodeAsync(Guid requestId, string code, CancellationToken ct)
    {
        Interlocked.Increment(ref hashesComputed);
        var mac = HMACSHA256.HashData(await key.GetAsync(ct), Encoding.UTF8.GetBytes($"{requestId:N}:{code}"));
        return Convert.ToHexStringLower(mac);
    }

    public static bool SameHash(string? stored, string computed)
    {
        if (stored is null) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(computed));
    }

    /// <summary>Protects a secret for the Notifications module, the only one that may read it back.</summary>
    public string Protect(string secret) => protection.CreateProtector(SecretProtection.Purpose).Protect(secret);
}

/// <summary>
/// The HMAC key for codes: <c>Recovery:CodeHashKey</c> (base64, at least 32 bytes) when configured, otherwise one
/// generated once and kept in the database wrapped by Data Protection (<see cref="HashKeys"/>).
/// </summary>
public sealed class CodeHashKey(HashKeys keys)
{
    public Task<byte[]> GetAsync(CancellationToken ct) => keys.GetAsync("Recovery:CodeHashKey", ct);
}
