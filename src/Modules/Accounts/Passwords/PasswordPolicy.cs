namespace Accounts.Passwords;

/// <summary>The contract's policy codes.</summary>
public static class PolicyCodes
{
    public const string TooShort = "too_short";
    public const string TooLong = "too_long";
    public const string MissingUppercase = "missing_uppercase";
    public const string MissingLowercase = "missing_lowercase";
    public const string MissingDigit = "missing_digit";
    public const string MissingSpecial = "missing_special";
    public const string ContainsUsername = "contains_username";
    public const string CommonPassword = "common_password";
    public const string RecentlyUsed = "recently_used";
    public const string Mismatch = "mismatch";
}

/// <summary>
/// The password policy as the contract names it; also the body of GET/PUT /api/settings/password-policy.
/// <see cref="MinStrength"/> (an addition to the contract) is the least zxcvbn score a new password must reach, 0 to 4
/// (0 turns the estimate off); a weaker one is refused as <c>common_password</c>, with zxcvbn's advice.
/// </summary>
public sealed record PasswordPolicy(
    int MinLength = 8,
    int MaxLength = 128,
    bool RequireUppercase = true,
    bool RequireLowercase = true,
    bool RequireDigit = true,
    bool RequireSpecial = true,
    bool DisallowUsername = true,
    bool DisallowCommon = true,
    int HistoryCount = 3,
    int LockoutThreshold = 5,
    int LockoutMinutes = 15,
    int MinStrength = 2)
{
    public static PasswordPolicy Default { get; } = new();

    /// <summary>The most passwords the history window keeps, so that raising historyCount takes effect at once.</summary>
    public const int MaxHistoryCount = 24;

    /// <summary>No policy may allow a longer password than this; longer input is refused before any hashing.</summary>
    public const int AbsoluteMaxLength = 4096;

    public IEnumerable<string> Problems()
    {
        if (MinLength < 1) yield return "minLength must be at least 1.";
        if (MaxLength < MinLength) yield return "maxLength must be at least minLength.";
        if (MaxLength > AbsoluteMaxLength) yield return $"maxLength must be at most {AbsoluteMaxLength}.";
        if (HistoryCount is < 0 or > MaxHistoryCount) yield return $"historyCount must be between 0 and {MaxHistoryCount}.";
        if (LockoutThreshold is < 0 or > 1000) yield return "lockoutThreshold must be between 0 (off) and 1000.";
        if (LockoutMinutes is < 1 or > 525_600) yield return "lockoutMinutes must be between 1 and 525600.";
        if (MinStrength is < 0 or > 4) yield return "minStrength must be between 0 (off) and 4.";
    }

    /// <summary>
    /// The composition rules, checked on the NFKC-normalised password; history is checked apart because it needs hashing.
    /// Every broken rule is reported, not only the first.
    /// </summary>
    public List<string> Check(string normalized, string? confirmation, string username, string? email, CommonPasswords common)
    {
        var violations = new List<string>();
        var length = PasswordText.Length(normalized);
        if (length < MinLength) violations.Add(PolicyCodes.TooShort);
        if (length > MaxLength)
        {
            // Nothing more is looked at in an over-long password.
            violations.Add(PolicyCodes.TooLong);
            return violations;
        }

        if (RequireUppercase && !normalized.Any(char.IsUpper)) violations.Add(PolicyCodes.MissingUppercase);
        if (RequireLowercase && !normalized.Any(char.IsLower)) violations.Add(PolicyCodes.MissingLowercase);
        if (RequireDigit && !normalized.Any(char.IsDigit)) violations.Add(PolicyCodes.MissingDigit);
        if (RequireSpecial && normalized.All(char.IsLetterOrDigit)) violations.Add(PolicyCodes.MissingSpecial);
        if (DisallowUsername && ContainsIdentity(normalized, username, email)) violations.Add(PolicyCodes.ContainsUsername);
        // NIST SP 800-63B asks for a blocklist of common, expected or compromised values: the list itself, and anything
        // zxcvbn estimates as guessable as they are (words, names, dates, keyboard patterns, the person's own details).
        if ((DisallowCommon && common.Contains(normalized)) || TooGuessable(normalized, username, email)) violations.Add(PolicyCodes.CommonPassword);
        if (confirmation is not null && PasswordText.Normalize(confirmation) != normalized) violations.Add(PolicyCodes.Mismatch);
        return violations;
    }

    private bool TooGuessable(string normalized, string username, string? email) =>
        MinStrength > 0 && normalized.Length > 0 && PasswordStrength.Score(normalized, UserInputs(username, email)) < MinStrength;

    /// <summary>zxcvbn's advice, when the password was refused as common or guessable.</summary>
    public Contracts.PasswordAdviceV1? AdviceFor(IReadOnlyCollection<string> violations, string normalized, string username, string? email) =>
        violations.Contains(PolicyCodes.CommonPassword) ? PasswordStrength.Advice(normalized, UserInputs(username, email)) : null;

    private static string[] UserInputs(string username, string? email) =>
        [username, .. email is null ? Array.Empty<string>() : [email, email.Split('@')[0]]];

    private static bool ContainsIdentity(string password, string username, string? email)
    {
        var lowered = password.ToLowerInvariant();
        var names = new List<string> { username };
        if (email is not null && email.IndexOf('@') is > 0 and var at) names.Add(email[..at]);
        // Very short names (two letters) would forbid too much for too little.
        return names.Select(n => n.Trim().ToLowerInvariant()).Any(n => n.Length >= 3 && lowered.Contains(n));
    }
}
