using Accounts.Contracts;
using Accounts.IssuingTemporaryPasswords;
using Accounts.Passwords;
using Accounts.Recovering;

namespace Accounts.Tests;

/// <summary>
/// What a sign-in, a recovery flow's new password and an administrator's temporary password decide, without a host:
/// given the account's events, when the attempt comes, then these events or this refusal.
/// </summary>
public class SignInAndSetPasswordDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly PasswordPolicy Policy = PasswordPolicy.Default with { LockoutThreshold = 3, LockoutMinutes = 15 };

    private static Account Registered(string? email = "ada@example.test") =>
        Account.Create(new AccountRegistered(Id, "ada", email, null, ["user"], "$argon2id$hash", false, null, Now.AddDays(-1)));

    [Fact]
    public void the_right_password_on_an_open_account_is_not_refused()
    {
        Assert.Empty(Registered().RefuseSignIn(true, Policy, "192.0.2.1", Now));
    }

    [Fact]
    public void a_wrong_password_is_counted_as_a_failure()
    {
        var failed = Assert.IsType<SignInFailed>(Assert.Single(Registered().RefuseSignIn(false, Policy, "192.0.2.1", Now)));
        Assert.Equal((1, false, null), (failed.ConsecutiveFailures, failed.WhileLocked, failed.Reason));
    }

    [Fact]
    public void a_disabled_account_refuses_even_the_right_password_and_counts_nothing()
    {
        var account = Registered().Apply(new AccountDetailsChanged(Id, "ada@example.test", null, ["user"], true, null, Now));
        var failed = Assert.IsType<SignInFailed>(Assert.Single(account.RefuseSignIn(true, Policy, null, Now)));
        Assert.Equal((0, "the account is disabled"), (failed.ConsecutiveFailures, failed.Reason));
    }

    [Fact]
    public void a_locked_account_refuses_the_right_password_until_the_lock_ends()
    {
        var account = Registered().Apply(new AccountLocked(Id, Now.AddMinutes(15), Now));
        Assert.True(Assert.IsType<SignInFailed>(Assert.Single(account.RefuseSignIn(true, Policy, null, Now.AddMinutes(14)))).WhileLocked);
        Assert.Empty(account.RefuseSignIn(true, Policy, null, Now.AddMinutes(15)));
    }

    [Fact]
    public void an_expired_temporary_password_is_refused_even_when_typed_right()
    {
        var account = Registered().Apply(new PasswordChanged(Id, "$argon2id$temp", "admin", null, Guid.NewGuid(), true, Now, Now.AddHours(72)));
        Assert.Empty(account.RefuseSignIn(true, Policy, null, Now.AddHours(71)));
        var failed = Assert.IsType<SignInFailed>(Assert.Single(account.RefuseSignIn(true, Policy, null, Now.AddHours(72))));
        Assert.Equal("the temporary password has expired", failed.Reason);
    }

    [Fact]
    public void a_recovery_request_sets_one_password_only()
    {
        var requestId = Guid.NewGuid();
        var command = new SetPasswordV1(Id, "Granite-Orchard-3141", PasswordChangeReasons.SelfReset, null, requestId);
        Assert.Null(SetPasswordHandler.Refusal(Registered(), command));

        var reset = Registered().Apply(new PasswordChanged(Id, "$argon2id$new", "self", null, requestId, false, Now));
        Assert.Equal(SetPasswordErrors.RequestUsed, SetPasswordHandler.Refusal(reset, command));
        Assert.Null(SetPasswordHandler.Refusal(reset, command with { RequestId = Guid.NewGuid() }));
    }

    [Fact]
    public void no_recovery_flow_sets_a_password_on_an_unknown_or_disabled_account()
    {
        var command = new SetPasswordV1(Id, "Granite-Orchard-3141", PasswordChangeReasons.SelfReset, null, Guid.NewGuid());
        Assert.Equal(SetPasswordErrors.UnknownAccount, SetPasswordHandler.Refusal(null, command));
        var disabled = Registered().Apply(new AccountDetailsChanged(Id, null, null, ["user"], true, null, Now));
        Assert.Equal(SetPasswordErrors.AccountDisabled, SetPasswordHandler.Refusal(disabled, command));
    }

    [Fact]
    public void a_temporary_password_needs_an_enabled_account_with_an_email_address()
    {
        Assert.Null(IssueTemporaryPasswordHandler.Refusal(Registered()));
        Assert.Equal(SetPasswordErrors.UnknownAccount, IssueTemporaryPasswordHandler.Refusal(null));
        Assert.Equal(SetPasswordErrors.NoEmail, IssueTemporaryPasswordHandler.Refusal(Registered(email: null)));
        Assert.Equal(SetPasswordErrors.AccountDisabled,
            IssueTemporaryPasswordHandler.Refusal(Registered().Apply(new AccountDetailsChanged(Id, "ada@example.test", null, ["user"], true, null, Now))));
    }

    [Fact]
    public void a_temporary_password_meets_the_policy_it_was_made_for()
    {
        var policy = PasswordPolicy.Default with { MinLength = 20 };
        var password = TemporaryPasswords.Generate(policy, new CommonPasswords());
        Assert.Equal(20, password.Length);
        Assert.Empty(policy.Check(password, null, "ada", "ada@example.test", new CommonPasswords()));
    }
}
