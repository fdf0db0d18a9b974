using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Host.Infrastructure;

/// <summary>
/// The OpenAPI document as web-client developers read it at /docs: the product's name and a short introduction, tags
/// in plain words instead of C# type names, and the bearer scheme on every operation that needs a session.
/// </summary>
internal static class ApiDocument
{
    public const string Title = "Password and account recovery API";
    private const string Bearer = "bearer";

    private static readonly (string Prefix, string Tag, string Description)[] Tags =
    [
        ("/api/auth", "Sign-in and account", "Sign in and out, your own account, sessions and password."),
        ("/api/me", "Sign-in and account", ""),
        ("/api/password-rules", "Sign-in and account", ""),
        ("/api/recovery", "Recovery", "Forgot password: ask for a link or code, verify a code, set a new password. Anonymous."),
        ("/api/accounts", "Administration", "Accounts: search, create, edit, unlock, reset a password (admin)."),
        ("/api/notifications", "Notifications", "Mail log, scheduled tasks and redo (admin)."),
        ("/api/settings", "Settings", "Password policy, recovery channels and lifetimes, SMTP and SMS (admin)."),
        ("/api/audit", "Audit", "Reset history and security event log (auditor, admin)."),
    ];

    private const string Introduction =
        "The public HTTP API of the self-hosted password and account-recovery service: sign-in with opaque bearer " +
        "tokens, change and recover passwords by email link, email code or SMS code, administrator resets, and an " +
        "audit trail of every reset and security event. The pages of the service use this API and nothing else.\n\n" +
        "Sign in with `POST /api/auth/login`, then send `Authorization: Bearer <token>` (use **Authorize** here). " +
        "Errors are `application/problem+json` with a stable `code` member (and `violations` for password-policy failures; with `common_password`, also `feedback`: zxcvbn's warning and suggestions, each a stable `code` and an English `message`). " +
        "Roles: `root` (everything), `admin` (accounts, settings, notifications, audit), `auditor` (read-only audit), " +
        "`user` (own account only).\n\n" +
        "Mail settings: `security` is `Auto` (the default: TLS required of a server on another machine, on connect for port 465 " +
        "and STARTTLS otherwise; plain text only on loopback), `StartTls`, `SslOnConnect`, `None`, or `StartTlsWhenAvailable` " +
        "(falls back to plain text, chosen explicitly). The SMTP password and messages with a link, code or temporary " +
        "password never go unencrypted to another machine; such a delivery fails with the reason in the mail log. " +
        "`POST /api/me/password` answers 429 with `Retry-After` past a session's attempts per window.";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = Title;
            document.Info.Description = Introduction;
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "opaque token from POST /api/auth/login",
                Description = "The token of a session (POST /api/auth/login).",
            };
            document.Tags ??= new HashSet<OpenApiTag>();
            foreach (var (_, tag, description) in Tags.Where(t => t.Description.Length > 0))
                document.Tags.Add(new OpenApiTag { Name = tag, Description = description });
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var path = "/" + (context.Description.RelativePath ?? string.Empty);
            var tag = Tags.FirstOrDefault(t => path.StartsWith(t.Prefix, StringComparison.OrdinalIgnoreCase)).Tag;
            if (tag is not null) operation.Tags = new HashSet<OpenApiTagReference> { new(tag, context.Document) };

            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] });
            }
            return Task.CompletedTask;
        });
    }
}
