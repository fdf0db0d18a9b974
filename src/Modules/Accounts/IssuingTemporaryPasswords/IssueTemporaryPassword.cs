using System.Security.Cryptography;
using Accounts.Contracts;
using Accounts.Passwords;
using Accounts.Settings;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Notifications.Contracts;
using Wolverine;
using Wolverine.Attributes;

namespace Accounts.IssuingTemporaryPasswords;

/// <summary>
/// An administrator's temporary password from start to finish in one transaction: generated, set, protected for the
/// Notifications module, scheduled for delivery and announced. A failure anywhere leaves nothing behind; the password
/// itself exists in clear only here and, protected, in the message that carries it.
/// </summary>
[WolverineHandler]
public static class IssueTemporaryPasswordHandler
{
    public static async Task<TemporaryPasswordResultV1> Handle(
        IssueTemporaryPasswordV1 command, IDocumentSession session, PasswordChanges changes, CommonPasswords common,
        IDataProtectionProvider protection, TimeProvider time, IMessageBus bus, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Account>(command.AccountId, ct);
        if (Refusal(stream.Aggregate) is { } error) return new TemporaryPasswordResultV1(false, error);
        var account = stream.Aggregate!;

        var password = TemporaryPasswords.Generate(await PasswordPolicySettings.CurrentAsync(session, ct), common);
        await changes.ApplyAsync(session, stream, password, PasswordChangeReasons.AdminReset, command.ActorId, command.RequestId, true, bus, ct, notifyOwner: false);

        var now = time.GetUtcNow();
        await bus.PublishAsync(new SendNotificationV1(
            command.NotificationId, NotificationKinds.TemporaryPassword, NotificationChannels.Email, account.Email!,
            new Dictionary<string, string> { ["username"] = account.Username },
            protection.CreateProtector(SecretProtection.Purpose).Protect(password), command.SendAt, account.Id,
            ForRoot: account.Roles.Contains(BuildingBlocks.Roles.Root)));
        await bus.PublishAsync(new TemporaryPasswordIssuedV1(
            command.RequestId, account.Id, account.Username, command.NotificationId, command.SendAt ?? now, command.ActorId, command.ClientIp, now));
        return new TemporaryPasswordResultV1(true);
    }

    internal static string? Refusal(Account? account) =>
        Recovering.SetPasswordHandler.ClosedTo(account) ?? (string.IsNullOrEmpty(account!.Email) ? SetPasswordErrors.NoEmail : null);
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
