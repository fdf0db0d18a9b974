using BuildingBlocks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Accounts.SigningIn;

/// <summary>
/// Sign-ins per client address: the per-account lockout does not see password spraying across many accounts, and every
/// attempt costs one Argon2 computation, so one address must not be able to fill the hashing slots.
/// </summary>
public sealed class SignInRateLimitOptions
{
    public int PerAddressPermits { get; set; } = 100;

    public int WindowSeconds { get; set; } = 60;
}

internal static class SignInRateLimit
{
    public const string Policy = "sign-in";

    public static void AddPolicy(IServiceCollection services) =>
        services.AddRateLimiter(limiter => limiter.AddPolicy(Policy, http =>
        {
            var o = http.RequestServices.GetRequiredService<IOptions<SignInRateLimitOptions>>().Value;
            return RateLimits.PerAddress(http, o.PerAddressPermits, o.WindowSeconds);
        }));
}
