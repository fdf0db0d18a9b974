using System.Globalization;
using System.Threading.RateLimiting;
using BuildingBlocks;
using Microsoft.AspNetCore.RateLimiting;

namespace Host.Infrastructure;

/// <summary>Every rate-limited route answers alike: 429 problem+json with Retry-After.</summary>
internal static class RateLimitProblems
{
    public static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(60);
        context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "too_many_requests", "Too many requests from this address; try again later.");
    }
}
