using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace BuildingBlocks;

/// <summary>
/// The one answer of every limit in the product (counted by <see cref="SharedRateLimits"/>): 429 problem+json with
/// <c>Retry-After</c> in whole seconds.
/// </summary>
public static class RateLimits
{
    public static IResult TooMany(HttpContext http, TimeSpan retryAfter, string title)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        ProductTelemetry.RateLimitRefusals.Add(1, new KeyValuePair<string, object?>("limit", http.GetEndpoint()?.DisplayName ?? http.Request.Path.Value));
        return Problems.Result(StatusCodes.Status429TooManyRequests, "too_many_requests", title);
    }
}
