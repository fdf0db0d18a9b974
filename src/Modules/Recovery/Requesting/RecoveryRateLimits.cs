using BuildingBlocks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Recovery.Requesting;

/// <summary>Limits that protect inboxes and the SMS budget; the same for known and unknown logins.</summary>
public sealed class RecoveryRateLimitOptions
{
    /// <summary>Requests per login (as typed, normalized) per window.</summary>
    public int PerLoginPermits { get; set; } = 5;

    /// <summary>Requests per client address per window.</summary>
    public int PerAddressPermits { get; set; } = 30;

    /// <summary>Code verifications and resets per client address per window.</summary>
    public int PerAddressRedeemPermits { get; set; } = 60;

    public int WindowSeconds { get; set; } = 900;
}

/// <summary>
/// The recovery limits, counted in PostgreSQL so that every node shares them (docs/adr/0021): requests per client
/// address and per login (as typed, normalized), and code verifications and resets per client address.
/// </summary>
public sealed class RecoveryRateLimits(SharedRateLimits shared, IOptions<RecoveryRateLimitOptions> options)
{
    /// <summary>Counts a recovery request; how long to wait when the address or the login is past its limit, else null.</summary>
    public async Task<TimeSpan?> RequestAsync(HttpContext http, string normalizedLogin, CancellationToken ct)
    {
        var o = options.Value;
        return await shared.CountAsync("recovery-requests:" + Address(http), o.PerAddressPermits, o.WindowSeconds, ct)
               ?? await shared.CountAsync("recovery-login:" + normalizedLogin, o.PerLoginPermits, o.WindowSeconds, ct);
    }

    /// <summary>Counts a code verification or a reset; how long to wait when the address is past its limit, else null.</summary>
    public Task<TimeSpan?> RedeemAsync(HttpContext http, CancellationToken ct) =>
        shared.CountAsync("recovery-redeem:" + Address(http), options.Value.PerAddressRedeemPermits, options.Value.WindowSeconds, ct);

    public static IResult TooMany(HttpContext http, TimeSpan retryAfter) =>
        RateLimits.TooMany(http, retryAfter, "Too many recovery requests; try again later.");

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
