using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace BuildingBlocks;

/// <summary>
/// The one shape of every limit in the product: a fixed window per partition (a client address, a login) from
/// ASP.NET Core's rate limiting, and one 429 answer with <c>Retry-After</c> in whole seconds.
/// </summary>
public static class RateLimits
{
    public static FixedWindowRateLimiterOptions Window(int permits, int seconds) => new()
    {
        PermitLimit = Math.Max(permits, 1),
        Window = TimeSpan.FromSeconds(Math.Max(seconds, 1)),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>A window per client address (the connection's, which forwarded headers from known proxies set).</summary>
    public static RateLimitPartition<string> PerAddress(HttpContext http, int permits, int seconds) =>
        RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => Window(permits, seconds));

    /// <summary>How long a refused lease says to wait, or a minute when it does not say.</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);

    public static Task WriteTooManyAsync(HttpContext http, TimeSpan retryAfter, string title)
    {
        SetRetryAfter(http, retryAfter);
        return Problems.Write(http, StatusCodes.Status429TooManyRequests, "too_many_requests", title);
    }

    public static IResult TooMany(HttpContext http, TimeSpan retryAfter, string title)
    {
        SetRetryAfter(http, retryAfter);
        return Problems.Result(StatusCodes.Status429TooManyRequests, "too_many_requests", title);
    }

    private static void SetRetryAfter(HttpContext http, TimeSpan wait) =>
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
