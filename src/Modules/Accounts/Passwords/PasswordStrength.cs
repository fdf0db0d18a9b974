using Accounts.Contracts;
using Zxcvbn.Matcher;

namespace Accounts.Passwords;

/// <summary>
/// How guessable a password is, by zxcvbn's estimate (a score from 0, too guessable, to 4, very unguessable), and
/// zxcvbn's advice for a weak one, ported from its feedback rules since the .NET port does not carry them.
/// Only the first <see cref="EvaluatedLength"/> characters are estimated: the rest can only make a password stronger,
/// and the estimate's cost grows with the length.
/// </summary>
public static class PasswordStrength
{
    public const int EvaluatedLength = 100;

    public static int Score(string password, IEnumerable<string> userInputs) => Estimate(password, userInputs).Score;

    public static PasswordAdviceV1 Advice(string password, IEnumerable<string> userInputs)
    {
        var result = Estimate(password, userInputs);
        var sequence = result.MatchSequence?.ToList() ?? [];
        if (sequence.Count == 0 || password.Length == 0)
            return new PasswordAdviceV1(null, [Hint("use_a_few_words"), Hint("no_need_for_symbols")]);

        var longest = sequence.OrderByDescending(m => m.Token?.Length ?? 0).First();
        var (warning, suggestions) = MatchAdvice(longest, sequence.Count == 1);
        return new PasswordAdviceV1(warning, [Hint("add_another_word"), .. suggestions]);
    }

    private static Zxcvbn.Result Estimate(string password, IEnumerable<string> userInputs)
    {
        var evaluated = password.Length > EvaluatedLength ? password[..EvaluatedLength] : password;
        return Zxcvbn.Zxcvbn.MatchPassword(evaluated, userInputs.Where(i => !string.IsNullOrWhiteSpace(i)));
    }

    private static (PasswordHintV1? Warning, List<PasswordHintV1> Suggestions) MatchAdvice(Zxcvbn.Match match, bool soleMatch) => match switch
    {
        DictionaryMatch dictionary => DictionaryAdvice(dictionary, soleMatch),
        SpatialMatch spatial => (Hint(spatial.Turns == 1 ? "straight_rows_of_keys" : "short_keyboard_patterns"), [Hint("longer_keyboard_pattern")]),
        RepeatMatch repeat => (Hint(repeat.Token.Distinct().Count() == 1 ? "repeated_characters" : "repeated_patterns"), [Hint("avoid_repeats")]),
        SequenceMatch => (Hint("sequences"), [Hint("avoid_sequences")]),
        DateMatch => (Hint("dates"), [Hint("avoid_associated_dates")]),
        _ when match.Pattern == "year" => (Hint("recent_years"), [Hint("avoid_recent_years"), Hint("avoid_associated_years")]),
        _ => (null, []),
    };

    private static (PasswordHintV1? Warning, List<PasswordHintV1> Suggestions) DictionaryAdvice(DictionaryMatch match, bool soleMatch)
    {
        var l33t = match is L33tDictionaryMatch;
        var warning = match.DictionaryName switch
        {
            "passwords" when soleMatch && !l33t => Hint(match.Rank <= 10 ? "top_10_password" : match.Rank <= 100 ? "top_100_password" : "very_common_password"),
            "passwords" => Hint("similar_to_common_password"),
            "english" when soleMatch => Hint("word_by_itself"),
            "surnames" or "male_names" or "female_names" => Hint(soleMatch ? "names_by_themselves" : "common_names"),
            "user_inputs" => Hint("contains_your_details"),
            _ => null,
        };
        var suggestions = new List<PasswordHintV1>();
        var word = match.Token ?? string.Empty;
        if (word.Length > 1 && char.IsUpper(word[0]) && word[1..] == word[1..].ToLowerInvariant()) suggestions.Add(Hint("capitalization"));
        else if (word.Length > 1 && word == word.ToUpperInvariant() && word != word.ToLowerInvariant()) suggestions.Add(Hint("all_uppercase"));
        if (l33t) suggestions.Add(Hint("predictable_substitutions"));
        return (warning, suggestions);
    }

    private static PasswordHintV1 Hint(string code) => new(code, Messages[code]);

    /// <summary>zxcvbn's own words, in English; a page may show its own translation by code.</summary>
    public static IReadOnlyDictionary<string, string> Messages { get; } = new Dictionary<string, string>
    {
        ["use_a_few_words"] = "Use a few words, avoid common phrases.",
        ["no_need_for_symbols"] = "No need for symbols, digits, or uppercase letters.",
        ["add_another_word"] = "Add another word or two. Uncommon words are better.",
        ["straight_rows_of_keys"] = "Straight rows of keys are easy to guess.",
        ["short_keyboard_patterns"] = "Short keyboard patterns are easy to guess.",
        ["longer_keyboard_pattern"] = "Use a longer keyboard pattern with more turns.",
        ["repeated_characters"] = "Repeats like \"aaa\" are easy to guess.",
        ["repeated_patterns"] = "Repeats like \"abcabcabc\" are only slightly harder to guess than \"abc\".",
        ["avoid_repeats"] = "Avoid repeated words and characters.",
        ["sequences"] = "Sequences like abc or 6543 are easy to guess.",
        ["avoid_sequences"] = "Avoid sequences.",
        ["recent_years"] = "Recent years are easy to guess.",
        ["avoid_recent_years"] = "Avoid recent years.",
        ["avoid_associated_years"] = "Avoid years that are associated with you.",
        ["dates"] = "Dates are often easy to guess.",
        ["avoid_associated_dates"] = "Avoid dates and years that are associated with you.",
        ["top_10_password"] = "This is a top-10 common password.",
        ["top_100_password"] = "This is a top-100 common password.",
        ["very_common_password"] = "This is a very common password.",
        ["similar_to_common_password"] = "This is similar to a commonly used password.",
        ["word_by_itself"] = "A word by itself is easy to guess.",
        ["names_by_themselves"] = "Names and surnames by themselves are easy to guess.",
        ["common_names"] = "Common names and surnames are easy to guess.",
        ["contains_your_details"] = "It contains your username or email address.",
        ["capitalization"] = "Capitalization doesn't help very much.",
        ["all_uppercase"] = "All-uppercase is almost as easy to guess as all-lowercase.",
        ["predictable_substitutions"] = "Predictable substitutions like '@' instead of 'a' don't help very much.",
    };
}
