using System.Security.Claims;

namespace BuildingBlocks;

public static class PrincipalExtensions
{
    public static Guid? AccountId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ProductClaims.AccountId), out var id) ? id : null;

    public static Guid? SessionId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ProductClaims.SessionId), out var id) ? id : null;
}
