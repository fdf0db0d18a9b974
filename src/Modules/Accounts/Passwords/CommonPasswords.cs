using Zxcvbn.Matcher;

namespace Accounts.Passwords;

/// <summary>
/// The common-password list shipped with zxcvbn (the 30,000 most used passwords), matched on the whole
/// password, case-insensitively and through common letter-for-digit substitutions ("P@ssw0rd").
/// </summary>
public sealed class CommonPasswords
{
    private readonly DictionaryMatcher dictionary = new("passwords", "passwords.lst");
    private readonly L33tMatcher substitutions;

    public CommonPasswords() => substitutions = new L33tMatcher(dictionary);

    public bool Contains(string password)
    {
        if (password.Length == 0) return false;
        var whole = (Zxcvbn.Match m) => m.i == 0 && m.j == password.Length - 1;
        return dictionary.MatchPassword(password).Any(whole) || substitutions.MatchPassword(password).Any(whole);
    }
}
