using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Host.Infrastructure;

/// <summary>
/// The pages for people (docs/adr/0014): one HTML shell at every page address, ES modules and CSS under /app/, all from
/// the <c>web</c> folder next to the host's assembly. Each page is a client of the public API only.
/// </summary>
internal static class Pages
{
    /// <summary>Every address a person may open or bookmark; the client-side router in web/app/main.js knows the same list.</summary>
    public static readonly string[] Routes =
    [
        "/", "/forgot-password", "/verify-code", "/reset-password", "/change-password", "/account",
        "/admin/accounts", "/admin/accounts/new", "/admin/accounts/{id:guid}", "/admin/tasks", "/admin/mail-log",
        "/admin/mail-log/{id:guid}", "/admin/settings", "/audit/resets", "/audit/events",
    ];

    /// <summary>No inline script or style, nothing from elsewhere, no framing, no plugins, forms post to us only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    private static string Root => Path.Combine(AppContext.BaseDirectory, "web");

    public static void UsePages(this WebApplication app)
    {
        var files = new PhysicalFileProvider(Root);
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            // API answers carry tokens, codes and personal data: no cache keeps them (endpoints may still say otherwise).
            if (path.StartsWithSegments("/api")) headers.CacheControl = "no-store";
            // The API reference page (Scalar) brings its own scripts and is left to its own policy.
            if (!path.StartsWithSegments("/docs"))
            {
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
            }
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(Root, "app")),
            RequestPath = "/app",
            // Revalidated on every load (ETag), so a new release is picked up at once.
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "no-cache",
        });

        var shell = files.GetFileInfo("index.html").PhysicalPath!;
        foreach (var route in Routes)
            app.MapGet(route, (HttpContext context) => ShellAsync(context, shell, StatusCodes.Status200OK)).ExcludeFromDescription().AllowAnonymous();

        // An unknown address: a browser gets the shell, which says "Page not found"; an API client gets a problem.
        app.MapFallback((HttpContext context) =>
            HttpMethods.IsGet(context.Request.Method) && IsForPeople(context.Request)
                ? ShellAsync(context, shell, StatusCodes.Status404NotFound)
                : BuildingBlocks.Problems.Write(context, StatusCodes.Status404NotFound, "not_found", "Not Found", "There is nothing at this address."))
            .ExcludeFromDescription().AllowAnonymous();
    }

    private static bool IsForPeople(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/app") && !request.Path.StartsWithSegments("/openapi")
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static Task ShellAsync(HttpContext context, string shell, int status)
    {
        // Pages may carry a one-time token in their address (the reset link): keep them out of every cache.
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.SendFileAsync(shell);
    }
}
