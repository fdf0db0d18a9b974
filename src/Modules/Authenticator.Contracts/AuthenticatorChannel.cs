namespace Authenticator.Contracts;

/// <summary>The authenticator-app recovery channel (TOTP, RFC 6238).</summary>
public static class AuthenticatorChannel
{
    /// <summary>The channel's name in recovery settings and requests.</summary>
    public const string Name = "authenticator";
}
