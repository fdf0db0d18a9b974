using BuildingBlocks;
using Microsoft.AspNetCore.RateLimiting;

namespace Host.Infrastructure;

/// <summary>Every rate-limited route answers alike: 429 problem+json with Retry-After.</summary>
internal static class RateLimitProblems
{
    public static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct) =>
        await RateLimits.WriteTooManyAsync(context.HttpContext, RateLimits.RetryAfter(context.Lease), "Too many requests from this address; try again later.");
}
