using System.Security.Claims;
using System.Text.Encodings.Web;
using BuildingBlocks;
using Marten;
using Marten.Patching;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Accounts.Sessions;

/// <summary>Opaque bearer tokens: the token's hash names a live session of an enabled account.</summary>
public sealed class BearerAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IQuerySession session, IDocumentStore store,
    IOptions<SessionLifetimeOptions> lifetime, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 200) return AuthenticateResult.Fail("Malformed token.");

        var found = await session.LoadAsync<Session>(Session.HashToken(token), Context.RequestAborted);
        var now = time.GetUtcNow();
        if (found is null || found.IsOver(now, lifetime.Value)) return AuthenticateResult.Fail("Unknown, expired or idle token.");
        var account = await session.LoadAsync<Account>(found.AccountId, Context.RequestAborted);
        if (account is null || account.Disabled) return AuthenticateResult.Fail("Account not usable.");
        if (found.LastSeenIsStale(now)) await SeenAsync(found, now);

        var claims = new List<Claim>
        {
            new(ProductClaims.AccountId, account.Id.ToString()),
            new(ProductClaims.SessionId, found.SessionId.ToString()),
            new(ProductClaims.Username, account.Username),
            new(ProductClaims.MustChangePassword, account.MustChangePassword ? "true" : "false"),
        };
        claims.AddRange(account.Roles.Select(r => new Claim(ProductClaims.Role, r)));
        var identity = new ClaimsIdentity(claims, SchemeName, ProductClaims.Username, ProductClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Writes down the session's use (at most once a minute), in a write of its own: a read must not wait on it.</summary>
    private async Task SeenAsync(Session found, DateTimeOffset now)
    {
        await using var write = store.LightweightSession();
        write.Patch<Session>(found.Id).Set(s => s.LastSeenAt, now);
        await write.SaveChangesAsync(Context.RequestAborted);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Write(Context, StatusCodes.Status401Unauthorized, "unauthorized", "A valid bearer token is required.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "forbidden", "This account does not have the role this needs.");
}

/// <summary>
/// While an account must change its password, its token may only read /api/me and the password rules, change the
/// password and sign out.
/// </summary>
public sealed class PasswordChangeRequiredGate(RequestDelegate next)
{
    private static readonly (string Method, string Path)[] Allowed =
    [
        ("GET", "/api/me"),
        ("GET", "/api/password-rules"),
        ("POST", "/api/me/password"),
        ("POST", "/api/auth/logout"),
    ];

    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.HasClaim(ProductClaims.MustChangePassword, "true") && context.Request.Path.StartsWithSegments("/api")
            && !Allowed.Any(a => HttpMethods.Equals(a.Method, context.Request.Method) && context.Request.Path.Equals(a.Path, StringComparison.OrdinalIgnoreCase)))
        {
            return Problems.Write(context, StatusCodes.Status403Forbidden, "password_change_required",
                "The password must be changed before anything else.", "Call POST /api/me/password first.");
        }

        return next(context);
    }
}
