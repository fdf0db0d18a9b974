using System.Security.Cryptography;
using System.Text;

namespace Accounts.Sessions;

/// <summary>
/// A signed-in session. Its document id is the SHA-256 of the bearer token, so the token itself is never stored;
/// <see cref="SessionId"/> is the public name shown to the account's owner.
/// </summary>
internal sealed record Session(
    string Id, Guid SessionId, Guid AccountId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? ClientIp, string? UserAgent,
    DateTimeOffset? LastSeenAt = null)
{
    /// <summary>How often a session's last use is written down: often enough for the idle timeout, rarely enough to cost nothing.</summary>
    public static readonly TimeSpan LastSeenResolution = TimeSpan.FromMinutes(1);

    /// <summary>Over: past its absolute lifetime, or unused for longer than the idle timeout (ASVS 3.3.2; 0 turns it off).</summary>
    public bool IsOver(DateTimeOffset now, SessionLifetimeOptions options) =>
        ExpiresAt <= now || (options.IdleMinutes > 0 && now - (LastSeenAt ?? CreatedAt) >= TimeSpan.FromMinutes(options.IdleMinutes));

    public bool LastSeenIsStale(DateTimeOffset now) => now - (LastSeenAt ?? CreatedAt) >= LastSeenResolution;

    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class SessionLifetimeOptions
{
    /// <summary>How long a bearer token lives after sign-in.</summary>
    public int LifetimeMinutes { get; set; } = 480;

    /// <summary>How long a bearer token may go unused before it stops working; 0 turns the idle timeout off.</summary>
    public int IdleMinutes { get; set; } = 30;
}
