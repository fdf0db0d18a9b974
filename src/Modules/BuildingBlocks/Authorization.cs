using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace BuildingBlocks;

public static class AuthorizationSetup
{
    /// <summary>The contract's role policies: root may do everything an admin may, an admin everything an auditor may.</summary>
    public static IServiceCollection AddProductAuthorization(this IServiceCollection services) =>
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.SignedIn, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Root, Roles.Admin))
            .AddPolicy(Policies.Auditor, p => p.RequireRole(Roles.Root, Roles.Admin, Roles.Auditor))
            .Services;
}
