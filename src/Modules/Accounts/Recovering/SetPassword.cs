using Accounts.Contracts;
using Accounts.Passwords;
using Accounts.Settings;
using Marten;
using Wolverine;
using Wolverine.Attributes;

namespace Accounts.Recovering;

/// <summary>A recovery flow's new password, under the same policy and history rules as a change, in one transaction.</summary>
[WolverineHandler]
public static class SetPasswordHandler
{
    public static async Task<SetPasswordResultV1> Handle(
        SetPasswordV1 command, IDocumentSession session, PasswordChanges changes, IMessageBus bus, CancellationToken ct)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Account>(command.AccountId, ct);
        if (Refusal(stream.Aggregate, command) is { } error) return new SetPasswordResultV1(false, [], error);
        var password = PasswordText.Normalize(command.NewPassword);
        var account = stream.Aggregate!;
        var policy = await PasswordPolicySettings.CurrentAsync(session, ct);
        var violations = await changes.ViolationsAsync(session, account, password, command.ConfirmPassword, policy, ct);
        if (violations.Count > 0) return new SetPasswordResultV1(false, violations.ToArray(), Advice: policy.AdviceFor(violations, password, account.Username, account.Email));

        // An administrator's temporary password is itself the message; a "your password was changed" mail would only confuse.
        var notify = !command.MustChangePassword;
        await changes.ApplyAsync(session, stream, password, command.Initiator, command.ActorId, command.RequestId, command.MustChangePassword, bus, ct, notify);
        return SetPasswordResultV1.Success;
    }

    /// <summary>Why no password may be set at all, before any password is looked at.</summary>
    internal static string? Refusal(Account? account, SetPasswordV1 command) =>
        ClosedTo(account)
        // One recovery request sets one password: a second try with the same request (its completion not yet recorded
        // by Recovery, e.g. after a failure there) is refused here, where the first one was recorded.
        ?? (command.RequestId is { } id && account!.LastRequestId == id ? SetPasswordErrors.RequestUsed : null);

    /// <summary>Why no one but its owner may give this account a password: it does not exist, or it is disabled.</summary>
    internal static string? ClosedTo(Account? account) => account switch
    {
        null => SetPasswordErrors.UnknownAccount,
        // A disabled account stays closed: no recovery flow may reopen it behind the administrator's back.
        { Disabled: true } => SetPasswordErrors.AccountDisabled,
        _ => null,
    };
}
