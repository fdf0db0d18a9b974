using Accounts.Passwords;

namespace Accounts.Tests;

/// <summary>
/// The Account aggregate's rules, without a host or a database: given its events, when something happens, then these
/// events (lockout after failed authentications, what clears it, temporary password expiry).
/// </summary>
public class AccountDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly PasswordPolicy Policy = PasswordPolicy.Default with { LockoutThreshold = 3, LockoutMinutes = 15 };

    private static Account Given(params object[] events)
    {
        var account = Account.Create(new AccountRegistered(Id, "ada", "ada@example.test", null, ["user"], "$argon2id$hash", false, null, Now.AddDays(-1)));
        foreach (var e in events)
        {
            account = e switch
            {
                SignInFailed f => account.Apply(f),
                AccountLocked l => account.Apply(l),
                AccountUnlocked u => account.Apply(u),
                SignedIn s => account.Apply(s),
                PasswordChanged p => account.Apply(p),
                _ => throw new ArgumentException($"No Apply for {e.GetType().Name} in this test."),
            };
        }
        return account;
    }

    private static Account Fold(Account account, IEnumerable<object> events) =>
        events.Aggregate(account, (a, e) => e switch
        {
            SignInFailed f => a.Apply(f),
            AccountLocked l => a.Apply(l),
            _ => throw new ArgumentException($"No Apply for {e.GetType().Name} in this test."),
        });

    [Fact]
    public void a_failure_below_the_threshold_is_counted_and_locks_nothing()
    {
        var events = Given(new SignInFailed(Id, 1, false, null, Now)).FailedAuthentication(Policy, "192.0.2.1", Now);
        var failed = Assert.IsType<SignInFailed>(Assert.Single(events));
        Assert.Equal((2, "192.0.2.1"), (failed.ConsecutiveFailures, failed.ClientIp));
    }

    [Fact]
    public void the_failure_that_reaches_the_threshold_locks_the_account_for_the_lockout_minutes()
    {
        var account = Given(new SignInFailed(Id, 1, false, null, Now), new SignInFailed(Id, 2, false, null, Now));
        var events = account.FailedAuthentication(Policy, null, Now);
        Assert.Collection(events,
            e => Assert.Equal(3, Assert.IsType<SignInFailed>(e).ConsecutiveFailures),
            e => Assert.Equal(Now.AddMinutes(15), Assert.IsType<AccountLocked>(e).Until));

        var locked = Fold(account, events);
        Assert.True(locked.IsLocked(Now.AddMinutes(14)));
        Assert.False(locked.IsLocked(Now.AddMinutes(15)));
        Assert.Equal("locked", locked.Status(Now));
        Assert.Equal(0, locked.FailedSignIns);
    }

    [Fact]
    public void failures_from_an_address_the_account_signed_in_from_are_counted_apart_from_everyone_elses()
    {
        const string home = "198.51.100.7", elsewhere = "203.0.113.9";
        var account = Given(new SignedIn(Id, Guid.NewGuid(), home, Now));
        Assert.True(account.IsFamiliar(home));
        Assert.False(account.IsFamiliar(elsewhere));
        Assert.False(account.IsFamiliar(null));

        // Three failures from elsewhere lock elsewhere only.
        for (var i = 0; i < 3; i++) account = Fold(account, account.FailedAuthentication(Policy, elsewhere, Now));
        Assert.True(account.IsLockedFor(elsewhere, Now));
        Assert.True(account.IsLockedFor("192.0.2.55", Now));
        Assert.False(account.IsLockedFor(home, Now));
        Assert.True(account.IsLocked(Now)); // what administrators see
        Assert.Equal(Now.AddMinutes(15), account.LockedUntilAny(Now));

        // The owner's own failures count on their side, towards their own lock.
        var own = account.FailedAuthentication(Policy, home, Now);
        Assert.True(Assert.IsType<SignInFailed>(Assert.Single(own)).Familiar);
        account = Fold(account, own);
        Assert.Equal((1, 0), (account.FamiliarFailedSignIns, account.FailedSignIns));
    }

    [Fact]
    public void a_success_resets_its_own_side_and_makes_its_address_familiar_and_a_new_password_clears_both_sides()
    {
        var account = Given(new SignInFailed(Id, 2, false, "203.0.113.9", Now), new SignedIn(Id, Guid.NewGuid(), "198.51.100.7", Now));
        Assert.Equal(0, account.FailedSignIns); // the first success of all came from an address nobody knew yet
        account = account.Apply(new AccountLocked(Id, Now.AddMinutes(15), Now, Familiar: false)).Apply(new AccountLocked(Id, Now.AddMinutes(15), Now, Familiar: true));
        Assert.True(account.IsLockedFor("198.51.100.7", Now) && account.IsLockedFor("203.0.113.9", Now));
        var changed = account.Apply(new PasswordChanged(Id, "$argon2id$new", "reset", null, Guid.NewGuid(), false, Now));
        Assert.False(changed.IsLocked(Now));

        // Only the most recent addresses are remembered.
        var many = Enumerable.Range(0, Account.FamiliarAddressLimit).Select(i => $"192.0.2.{i}")
            .Aggregate(changed, (a, ip) => a.Apply(new SignedIn(Id, Guid.NewGuid(), ip, Now)));
        Assert.Equal(Account.FamiliarAddressLimit, many.FamiliarAddresses!.Length);
        Assert.False(many.IsFamiliar("198.51.100.7"));
    }

    [Fact]
    public void a_threshold_of_zero_never_locks()
    {
        var account = Given(Enumerable.Range(1, 50).Select(i => (object)new SignInFailed(Id, i, false, null, Now)).ToArray());
        Assert.IsType<SignInFailed>(Assert.Single(account.FailedAuthentication(Policy with { LockoutThreshold = 0 }, null, Now)));
    }

    [Fact]
    public void a_successful_sign_in_starts_the_count_again()
    {
        var account = Given(new SignInFailed(Id, 1, false, null, Now), new SignInFailed(Id, 2, false, null, Now), new SignedIn(Id, Guid.NewGuid(), null, Now));
        Assert.Equal(1, Assert.IsType<SignInFailed>(Assert.Single(account.FailedAuthentication(Policy, null, Now))).ConsecutiveFailures);
    }

    [Fact]
    public void a_new_password_or_an_administrators_unlock_ends_a_lockout()
    {
        var locked = new AccountLocked(Id, Now.AddMinutes(15), Now);
        Assert.True(Given(locked).IsLocked(Now));
        Assert.False(Given(locked, new PasswordChanged(Id, "$argon2id$new", "reset", null, Guid.NewGuid(), false, Now)).IsLocked(Now));
        Assert.False(Given(locked, new AccountUnlocked(Id, Guid.NewGuid(), Now)).IsLocked(Now));
    }

    [Fact]
    public void a_temporary_password_stops_working_at_its_expiry_and_a_chosen_one_never_does()
    {
        var temporary = Given(new PasswordChanged(Id, "$argon2id$temp", "admin", Guid.NewGuid(), null, true, Now, Now.AddHours(72)));
        Assert.True(temporary.MustChangePassword);
        Assert.False(temporary.TemporaryPasswordExpired(Now.AddHours(71)));
        Assert.True(temporary.TemporaryPasswordExpired(Now.AddHours(72)));

        var chosen = Given(new PasswordChanged(Id, "$argon2id$temp", "admin", Guid.NewGuid(), null, true, Now, Now.AddHours(72)),
            new PasswordChanged(Id, "$argon2id$mine", "change", Id, null, false, Now.AddHours(1)));
        Assert.False(chosen.TemporaryPasswordExpired(Now.AddYears(1)));
    }
}
