using Accounts.Contracts;
using Accounts.PasswordHistory;
using Accounts.Sessions;
using Accounts.Settings;
using Marten;
using JasperFx.Events;
using Notifications.Contracts;
using Wolverine;

namespace Accounts.Passwords;

/// <summary>
/// The one way a password changes, whoever asks (the owner, a recovery flow, an administrator, an operator):
/// the same policy and history rules, the same events, every session ended, the owner told.
/// </summary>
public sealed class TemporaryPasswordOptions
{
    /// <summary>How long an administrator's temporary password may wait for its first use and change.</summary>
    public int LifetimeHours { get; set; } = 72;
}

public sealed class PasswordChanges(PasswordHasher hasher, CommonPasswords common, TimeProvider time, Microsoft.Extensions.Options.IOptions<TemporaryPasswordOptions> temporary)
{
    /// <summary>Every rule the new password breaks, history included; empty when it may be used.</summary>
    internal async Task<List<string>> ViolationsAsync(
        IQuerySession session, Account account, string normalized, string? confirmation, PasswordPolicy policy, CancellationToken ct)
    {
        // A password the rules already refuse is not compared with the history: that would cost up to 24 hashes for an
        // answer that is no anyway.
        var violations = policy.Check(normalized, confirmation, account.Username, account.Email, common);
        if (violations.Count > 0 || policy.HistoryCount == 0) return violations;

        var window = await session.LoadAsync<PasswordHistoryWindow>(account.Id, ct);
        var recent = window?.Latest(policy.HistoryCount) ?? [account.PasswordHash];
        foreach (var hash in recent)
        {
            if (await hasher.VerifyAsync(hash, normalized, ct))
            {
                violations.Add(PolicyCodes.RecentlyUsed);
                break;
            }
        }

        return violations;
    }

    internal async Task<List<string>> ViolationsAsync(IQuerySession session, Account account, string normalized, string? confirmation, CancellationToken ct) =>
        await ViolationsAsync(session, account, normalized, confirmation, await PasswordPolicySettings.CurrentAsync(session, ct), ct);

    /// <summary>Records the new password, ends every session of the account and tells its owner.</summary>
    internal async Task ApplyAsync(
        IDocumentSession session, IEventStream<Account> stream, string normalized, string reason, Guid? actorId, Guid? requestId,
        bool mustChangePassword, IMessageBus bus, CancellationToken ct, bool notifyOwner = true)
    {
        var account = stream.Aggregate!;
        var now = time.GetUtcNow();
        var hash = await hasher.HashAsync(normalized, ct);
        var temporaryUntil = mustChangePassword ? now.AddHours(temporary.Value.LifetimeHours) : (DateTimeOffset?)null;
        stream.AppendOne(new PasswordChanged(account.Id, hash, reason, actorId, requestId, mustChangePassword, now, temporaryUntil));
        await EndSessionsAsync(session, stream, $"password {reason}", actorId, ct);

        await bus.PublishAsync(new PasswordChangedV1(account.Id, account.Username, account.Email, reason, actorId, now, requestId));
        if (notifyOwner && account.Email is not null)
        {
            await bus.PublishAsync(new SendNotificationV1(
                Guid.NewGuid(), NotificationKinds.PasswordChanged, NotificationChannels.Email, account.Email,
                new Dictionary<string, string> { ["username"] = account.Username, ["changedAt"] = now.ToString("u") },
                AccountId: account.Id));
        }
    }

    internal async Task EndSessionsAsync(IDocumentSession session, IEventStream<Account> stream, string reason, Guid? actorId, CancellationToken ct)
    {
        var accountId = stream.Id;
        var count = await session.Query<Session>().CountAsync(s => s.AccountId == accountId, ct);
        session.DeleteWhere<Session>(s => s.AccountId == accountId);
        stream.AppendOne(new SessionsEnded(accountId, reason, actorId, count, time.GetUtcNow()));
    }
}
