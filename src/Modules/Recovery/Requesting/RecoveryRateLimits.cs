using System.Threading.RateLimiting;
using BuildingBlocks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
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
/// Per-address limits run in ASP.NET Core's rate-limiting middleware (named policies on the endpoints); the per-login
/// limit needs the body, so the request endpoint asks a partitioned limiter of the same library once it has read it.
/// </summary>
public sealed class RecoveryRateLimits : IDisposable
{
    public const string RequestsPolicy = "recovery-requests";
    public const string RedeemPolicy = "recovery-redeem";

    private readonly PartitionedRateLimiter<string> perLogin;

    public RecoveryRateLimits(IOptions<RecoveryRateLimitOptions> options)
    {
        var o = options.Value;
        perLogin = PartitionedRateLimiter.Create<string, string>(login => RateLimitPartition.GetFixedWindowLimiter(login, _ => RateLimits.Window(o.PerLoginPermits, o.WindowSeconds)));
    }

    /// <summary>Takes one permit for the login; on refusal, the seconds until the window reopens.</summary>
    public bool TryAcquireForLogin(string normalizedLogin, out TimeSpan retryAfter)
    {
        using var lease = perLogin.AttemptAcquire(normalizedLogin);
        retryAfter = RateLimits.RetryAfter(lease);
        return lease.IsAcquired;
    }

    public static IResult TooMany(HttpContext http, TimeSpan retryAfter) =>
        RateLimits.TooMany(http, retryAfter, "Too many recovery requests; try again later.");

    public void Dispose() => perLogin.Dispose();

    internal static void AddPolicies(IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RequestsPolicy, http => AddressPartition(http, o => o.PerAddressPermits));
            limiter.AddPolicy(RedeemPolicy, http => AddressPartition(http, o => o.PerAddressRedeemPermits));
            // The 429 answer itself (problem+json with Retry-After) is the host's, the same for every limited route.
        });
    }

    private static RateLimitPartition<string> AddressPartition(HttpContext http, Func<RecoveryRateLimitOptions, int> permits)
    {
        var o = http.RequestServices.GetRequiredService<IOptions<RecoveryRateLimitOptions>>().Value;
        return RateLimits.PerAddress(http, permits(o), o.WindowSeconds);
    }
}
