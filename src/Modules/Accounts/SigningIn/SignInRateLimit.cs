namespace Accounts.SigningIn;

/// <summary>
/// Failed sign-ins per client address, counted by every node alike (docs/adr/0021): the per-account lockout does not see
/// password spraying across many accounts, and every attempt costs one Argon2 computation. Successes are not counted,
/// so an office of a thousand people behind one address can all sign in at nine.
/// </summary>
public sealed class SignInRateLimitOptions
{
    /// <summary>Failed sign-ins one address may make per window; past them, every sign-in from it answers 429.</summary>
    public int PerAddressPermits { get; set; } = 100;

    public int WindowSeconds { get; set; } = 300;

    internal static string Key(string? clientIp) => "sign-in-failures:" + (clientIp ?? "unknown");
}
