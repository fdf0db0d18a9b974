using System.Security.Cryptography;
using System.Text;

namespace Accounts.Sessions;

/// <summary>
/// A signed-in session. Its document id is the SHA-256 of the bearer token, so the token itself is never stored;
/// <see cref="SessionId"/> is the public name shown to the account's owner.
/// </summary>
internal sealed record Session(
    string Id, Guid SessionId, Guid AccountId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? ClientIp, string? UserAgent)
{
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class SessionLifetimeOptions
{
    /// <summary>How long a bearer token lives after sign-in.</summary>
    public int LifetimeMinutes { get; set; } = 480;
}
