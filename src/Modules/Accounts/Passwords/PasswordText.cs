using System.Text;

namespace Accounts.Passwords;

/// <summary>How a password is read before it is checked or hashed: NFKC, so that every Unicode form of it is the same password.</summary>
public static class PasswordText
{
    /// <summary>
    /// NFKC, except for input already longer than any policy allows: that is refused by its length anyway, and NFKC
    /// (which can expand a character 18-fold) would first build a string many times its size.
    /// </summary>
    public static string Normalize(string? password)
    {
        var raw = password ?? string.Empty;
        return raw.Length > PasswordPolicy.AbsoluteMaxLength && Length(raw) > PasswordPolicy.AbsoluteMaxLength ? raw : raw.Normalize(NormalizationForm.FormKC);
    }

    /// <summary>Length in Unicode code points, as NIST SP 800-63B counts it.</summary>
    public static int Length(string normalized) => normalized.EnumerateRunes().Count();
}
