using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace BuildingBlocks;

/// <summary>RFC 9457 answers carrying the contract's stable <c>code</c> (and <c>violations</c>) members.</summary>
public static class Problems
{
    public static ProblemDetails Details(
        int status, string code, string title, string? detail = null, IEnumerable<string>? violations = null, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://httpstatuses.io/{status}" };
        problem.Extensions["code"] = code;
        if (violations is not null) problem.Extensions["violations"] = violations.ToArray();
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>()) problem.Extensions[name] = value;
        return problem;
    }

    public static IResult Result(
        int status, string code, string title, string? detail = null, IEnumerable<string>? violations = null, IReadOnlyDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(Details(status, code, title, detail, violations, extensions));

    /// <summary>
    /// The answer to a new password the policy refuses, wherever it was typed: every code broken and, for a guessable
    /// password, the advice on how to do better in <c>feedback</c>.
    /// </summary>
    public static IResult PasswordPolicy(IEnumerable<string> violations, object? feedback) =>
        Result(StatusCodes.Status400BadRequest, "password_policy", "The new password does not meet the password policy.", violations: violations,
            extensions: feedback is null ? null : new Dictionary<string, object?> { ["feedback"] = feedback });

    public static IResult BadRequest(string code, string title, string? detail = null) => Result(StatusCodes.Status400BadRequest, code, title, detail);

    public static IResult NotFound(string what = "resource") => Result(StatusCodes.Status404NotFound, "not_found", $"The {what} does not exist.");

    public static IResult Conflict(string code, string title) => Result(StatusCodes.Status409Conflict, code, title);

    public static IResult Validation(string title, IEnumerable<string> errors) =>
        Result(StatusCodes.Status400BadRequest, "invalid_request", title, string.Join(" ", errors));

    /// <summary>Writes a problem answer directly, for middleware and authentication handlers.</summary>
    public static Task Write(HttpContext context, int status, string code, string title, string? detail = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(Details(status, code, title, detail), (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
