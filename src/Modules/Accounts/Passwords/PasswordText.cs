using System.Text;

namespace Accounts.Passwords;

/// <summary>How a password is read before it is checked or hashed: NFKC, so that every Unicode form of it is the same password.</summary>
public static class PasswordText
{
    public static string Normalize(string? password) => (password ?? string.Empty).Normalize(NormalizationForm.FormKC);

    /// <summary>Length in Unicode code points, as NIST SP 800-63B counts it.</summary>
    public static int Length(string normalized) => normalized.EnumerateRunes().Count();
}
