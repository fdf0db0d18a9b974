namespace BuildingBlocks;

/// <summary>The contract's roles and the authorization policies built on them.</summary>
public static class Roles
{
    public const string Root = "root";
    public const string Admin = "admin";
    public const string Auditor = "auditor";
    public const string User = "user";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Root, Admin, Auditor, User };

    /// <summary>
    /// The root rule, in one place: only root may create, change, grant or reset anything that carries the root role,
    /// so that no administrator short of root can take a root account over or lock its owner out.
    /// </summary>
    public static bool MayTouch(System.Security.Claims.ClaimsPrincipal actor, params IEnumerable<string>?[] rolesInvolved) =>
        actor.IsInRole(Root) || !rolesInvolved.Any(roles => roles?.Contains(Root) == true);
}

public static class Policies
{
    /// <summary>root or admin.</summary>
    public const string Admin = "admin";

    /// <summary>root, admin or auditor.</summary>
    public const string Auditor = "auditor";

    /// <summary>Any signed-in account.</summary>
    public const string SignedIn = "signed-in";
}

/// <summary>Claim names the Accounts module puts on an authenticated request.</summary>
public static class ProductClaims
{
    public const string AccountId = "sub";
    public const string SessionId = "sid";
    public const string Role = "role";
    public const string Username = "name";
    public const string MustChangePassword = "must_change_password";
}
