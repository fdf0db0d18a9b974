using System.Text;
using BuildingBlocks;

namespace Host.Infrastructure;

/// <summary>
/// A JSON body of just <c>null</c> is valid JSON but no request any route accepts: answer it as a bad request here,
/// once for every route, instead of letting each endpoint meet a null object.
/// </summary>
internal sealed class NullBodyGuard(RequestDelegate next)
{
    private const int Longest = 64;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HasBody(request) && request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true
            && request.ContentLength is null or <= Longest)
        {
            request.EnableBuffering();
            var buffer = new byte[Longest + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted)) > 0) read += n;
            request.Body.Position = 0;

            if (read <= Longest && Encoding.UTF8.GetString(buffer, 0, read).Trim() == "null")
            {
                await Problems.Write(context, StatusCodes.Status400BadRequest, "invalid_request", "The request body is missing or null.");
                return;
            }
        }

        await next(context);
    }

    private static bool HasBody(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method);
}
