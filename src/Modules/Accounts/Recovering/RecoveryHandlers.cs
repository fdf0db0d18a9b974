using System.Security.Cryptography;
using Accounts.Contracts;
using Accounts.Passwords;
using Accounts.Settings;
using Marten;
using Wolverine;
using Wolverine.Attributes;

namespace Accounts.Recovering;

/// <summary>What the Accounts module answers to recovery flows, through its contract messages only.</summary>
[WolverineHandler]
public static class RecoveryHandlers
{
    public static async Task<RecoveryContactV1> Handle(FindRecoveryContactV1 query, IQuerySession session, CancellationToken ct)
    {
        var login = Account.Normalize(query.Login);
        if (string.IsNullOrEmpty(login)) return new RecoveryContactV1(null, null, null, null);
        var account = await session.Query<Account>().FirstOrDefaultAsync(a => a.NormalizedUsername == login || a.NormalizedEmail == login, ct);
        return account is null || account.Disabled
            ? new RecoveryContactV1(null, null, null, null)
            : new RecoveryContactV1(account.Id, account.Username, account.Email, account.Phone, account.Roles);
    }

    public static async Task<RecoveryContactV1> Handle(FindRecoveryContactByIdV1 query, IQuerySession session, CancellationToken ct)
    {
        var account = await session.LoadAsync<Account>(query.AccountId, ct);
        return account is null
            ? new RecoveryContactV1(null, null, null, null)
            : new RecoveryContactV1(account.Id, account.Username, account.Email, account.Phone, account.Roles);
    }

    public static async Task<SetPasswordResultV1> Handle(
        SetPasswordV1 command, IDocumentSession session, PasswordChanges changes, IMessageBus bus, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Account>(command.AccountId, ct);
        if (stream.Aggregate is null) return new SetPasswordResultV1(false, [], "unknown_account");
        // A disabled account stays closed: no recovery flow may reopen it behind the administrator's back.
        if (stream.Aggregate.Disabled) return new SetPasswordResultV1(false, [], "account_disabled");
        var password = PasswordText.Normalize(command.NewPassword);
        var violations = await changes.ViolationsAsync(session, stream.Aggregate, password, command.ConfirmPassword, ct);
        if (violations.Count > 0) return new SetPasswordResultV1(false, violations.ToArray());

        // An administrator's temporary password is itself the message; a "your password was changed" mail would only confuse.
        var notify = !command.MustChangePassword;
        await changes.ApplyAsync(session, stream, password, command.Initiator, command.ActorId, command.RequestId, command.MustChangePassword, bus, ct, notify);
        return SetPasswordResultV1.Success;
    }

    public static async Task<GeneratedPasswordV1> Handle(GeneratePasswordV1 _, IQuerySession session, CommonPasswords common, CancellationToken ct)
    {
        var policy = await PasswordPolicySettings.CurrentAsync(session, ct);
        return new GeneratedPasswordV1(TemporaryPasswords.Generate(policy, common));
    }
}

/// <summary>Random passwords that meet the policy: at least 16 characters from every class the policy may ask for.</summary>
public static class TemporaryPasswords
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Special = "!#$%&*+-=?@_";

    public static string Generate(PasswordPolicy policy, CommonPasswords common)
    {
        var length = Math.Min(Math.Max(16, policy.MinLength), policy.MaxLength);
        while (true)
        {
            var chars = new List<char> { Pick(Upper), Pick(Lower), Pick(Digits), Pick(Special) };
            const string all = Upper + Lower + Digits + Special;
            while (chars.Count < length) chars.Add(Pick(all));
            var shuffled = chars.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).ToArray();
            var password = new string(shuffled);
            if (!common.Contains(password)) return password;
        }
    }

    private static char Pick(string from) => from[RandomNumberGenerator.GetInt32(from.Length)];
}
