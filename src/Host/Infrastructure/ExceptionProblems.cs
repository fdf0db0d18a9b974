using System.Text.Json;
using BuildingBlocks;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;

namespace Host.Infrastructure;

/// <summary>Turns the failures a client can cause into problem+json answers instead of a 500.</summary>
internal sealed class ExceptionProblems(ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, code, title) = exception switch
        {
            BadHttpRequestException or JsonException => (400, "invalid_request", "The request body could not be read as the expected JSON."),
            ConcurrencyException => (409, "conflict", "Something else changed this at the same moment; try again."),
            // A burst of sign-ins past what the hashing slots and their queue hold is turned away at once, not piled up.
            ServiceBusyException => (503, "busy", "The service is busy; try again in a moment."),
            _ => (0, "", ""),
        };
        if (status == 0) return false;

        logger.LogInformation("Answered {Status} {Code} for {Path}: {Reason}", status, code, context.Request.Path, exception.GetType().Name);
        if (status == 503)
        {
            context.Response.Headers.RetryAfter = "1";
            ProductTelemetry.BusyRefusals.Add(1, new KeyValuePair<string, object?>("route", context.GetEndpoint()?.DisplayName ?? context.Request.Path.Value));
        }
        await Problems.Write(context, status, code, title);
        return true;
    }
}
