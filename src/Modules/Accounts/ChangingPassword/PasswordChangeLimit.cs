namespace Accounts.ChangingPassword;

/// <summary>
/// Password-change attempts per session, counted by every node alike: each attempt costs Argon2 computations (the
/// current password, the history), so a stolen session cannot turn the endpoint into a hashing mill or a slow guessing
/// loop below the lockout. Wrong current passwords also count towards the account's lockout.
/// </summary>
public sealed class PasswordChangeLimitOptions
{
    /// <summary>Attempts one session may make per window, successful or not; past them the change answers 429.</summary>
    public int PerSessionAttempts { get; set; } = 10;

    public int WindowSeconds { get; set; } = 900;

    internal static string Key(Guid sessionId) => "password-change:" + sessionId.ToString("N");
}
