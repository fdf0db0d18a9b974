using System.Net.Mail;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Http;
using PhoneNumbers;

namespace Accounts.Administering;

/// <summary>Checks and normal forms of the fields an administrator sets.</summary>
internal static class AccountFields
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    public static bool TryEmail(string? input, out string? email)
    {
        email = null;
        if (string.IsNullOrWhiteSpace(input)) return true;
        var trimmed = input.Trim();
        if (trimmed.Length > 254 || !MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed) return false;
        email = trimmed;
        return true;
    }

    /// <summary>Phones are kept in E.164 ("+41446681800"); input must carry its country code.</summary>
    public static bool TryPhone(string? input, out string? phone)
    {
        phone = null;
        if (string.IsNullOrWhiteSpace(input)) return true;
        try
        {
            var parsed = Phones.Parse(input.Trim(), null);
            if (!Phones.IsValidNumber(parsed)) return false;
            phone = Phones.Format(parsed, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    public static bool ValidUsername(string? username) =>
        !string.IsNullOrWhiteSpace(username) && username.Trim().Length <= 64 && !username.Contains('@') && username.Trim().All(c => !char.IsControl(c) && !char.IsWhiteSpace(c));

    public static IEnumerable<string> UnknownRoles(IEnumerable<string> roles) => roles.Where(r => !BuildingBlocks.Roles.All.Contains(r));

    internal static async Task<bool> IsTakenAsync(IQuerySession session, string? username, string? email, Guid? except, CancellationToken ct)
    {
        var names = new[] { Account.Normalize(username), Account.Normalize(email) }.Where(n => n is not null).Cast<string>().ToArray();
        if (names.Length == 0) return false;
        var exceptId = except ?? Guid.Empty;
        // A username may not equal another account's email either, since both are logins.
        return await session.Query<Account>().AnyAsync(a => a.Id != exceptId && (names.Contains(a.NormalizedUsername) || names.Contains(a.NormalizedEmail!)), ct);
    }

    internal static IResult Duplicate() => Problems.Conflict("duplicate", "An account with this username or email already exists.");
}
