using Microsoft.AspNetCore.Http;

namespace Host.Infrastructure;

/// <summary>Every problem answer carries the contract's <c>code</c>, also those written by the framework itself.</summary>
internal static class ProblemCodes
{
    public static void AddDefaultCode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code")) return;
        problem.Extensions["code"] = problem.Status switch
        {
            StatusCodes.Status400BadRequest => "invalid_request",
            StatusCodes.Status401Unauthorized => "unauthorized",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status404NotFound => "not_found",
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            StatusCodes.Status409Conflict => "conflict",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            StatusCodes.Status429TooManyRequests => "too_many_requests",
            _ => "internal_error",
        };
    }
}
