using System.Security.Cryptography;
using System.Text;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
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

/// <summary>The stored form of the code-hash key: protected by Data Protection, so the database alone cannot unwrap it.</summary>
internal sealed class ProtectedCodeHashKey
{
    public const string DocumentId = "code-hash-key";

    public string Id { get; set; } = DocumentId;

    public string ProtectedKey { get; set; } = string.Empty;
}

/// <summary>
/// The HMAC key for codes: <c>Recovery:CodeHashKey</c> (base64, at least 32 bytes) when configured, otherwise one
/// generated once and kept in the database wrapped by Data Protection (whose key ring is outside the database).
/// </summary>
public sealed class CodeHashKey(IConfiguration configuration, IDocumentStore store, IDataProtectionProvider protection)
{
    private const string Purpose = "Recovery.CodeHashKey";
    private readonly SemaphoreSlim gate = new(1, 1);
    private byte[]? key;

    public async Task<byte[]> GetAsync(CancellationToken ct)
    {
        if (key is not null) return key;
        await gate.WaitAsync(ct);
        try
        {
            return key ??= await LoadAsync(ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<byte[]> LoadAsync(CancellationToken ct)
    {
        if (configuration["Recovery:CodeHashKey"] is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length < 32) throw new InvalidOperationException("Recovery:CodeHashKey must hold at least 32 bytes (base64).");
            return bytes;
        }

        var protector = protection.CreateProtector(Purpose);
        await using var session = store.LightweightSession();
        var stored = await session.LoadAsync<ProtectedCodeHashKey>(ProtectedCodeHashKey.DocumentId, ct);
        if (stored is not null) return protector.Unprotect(Convert.FromBase64String(stored.ProtectedKey));

        var fresh = RandomNumberGenerator.GetBytes(32);
        session.Insert(new ProtectedCodeHashKey { ProtectedKey = Convert.ToBase64String(protector.Protect(fresh)) });
        try
        {
            await session.SaveChangesAsync(ct);
            return fresh;
        }
        catch (Exception e) when (e is DocumentAlreadyExistsException or Marten.Exceptions.MartenCommandException)
        {
            // Another node made it first; everyone uses that one.
            await using var again = store.QuerySession();
            var winner = await again.LoadAsync<ProtectedCodeHashKey>(ProtectedCodeHashKey.DocumentId, ct)
                         ?? throw new InvalidOperationException("The code-hash key could not be stored.", e);
            return protector.Unprotect(Convert.FromBase64String(winner.ProtectedKey));
        }
    }
}
