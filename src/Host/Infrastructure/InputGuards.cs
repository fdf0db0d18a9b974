using System.Text.Json;
using System.Text.Json.Serialization;
using BuildingBlocks;

namespace Host.Infrastructure;

/// <summary>
/// Refuses control characters in every JSON string the API reads (a NUL cannot be stored by PostgreSQL, and no field of
/// the contract has a use for any of them), so that such input is a 400 problem at deserialisation, for every route,
/// instead of an error deep in a query. Tab, line feed and carriage return are allowed.
/// </summary>
internal sealed class ControlCharacterFreeStrings : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        if (value is not null && value.Any(IsRefused))
            throw new JsonException("A text value contains a control character.");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public static bool IsRefused(char c) => (char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF';
}

/// <summary>
/// Query strings with control characters, and the all-zero id in a route, are answered here, once for every route:
/// a 400 problem and a 404 problem, before any endpoint reads them.
/// </summary>
internal sealed class RequestValueGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        foreach (var (_, values) in context.Request.Query)
            foreach (var value in values)
                if (value?.Any(ControlCharacterFreeStrings.IsRefused) == true)
                    return Problems.Write(context, StatusCodes.Status400BadRequest, "invalid_request", "A query value contains a control character.");

        foreach (var (_, value) in context.Request.RouteValues)
            if (value is string text && Guid.TryParse(text, out var id) && id == Guid.Empty)
                return Problems.Write(context, StatusCodes.Status404NotFound, "not_found", "Not Found", "There is nothing with the all-zero id.");

        return next(context);
    }
}

/// <summary>
/// The API's request bodies are small JSON documents: anything over 64 KiB is refused with a 413 problem before it is
/// read, so that no route parses (or normalises) megabytes of input.
/// </summary>
internal sealed class RequestSizeGuard(RequestDelegate next)
{
    public const long MaxApiBody = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            if (context.Request.ContentLength > MaxApiBody)
                return Problems.Write(context, StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The request body is too large.",
                    $"Request bodies of this API are at most {MaxApiBody / 1024} KiB.");
            // Bodies without a length (chunked) are cut off by the server at the same size.
            if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = MaxApiBody;
        }

        return next(context);
    }
}
