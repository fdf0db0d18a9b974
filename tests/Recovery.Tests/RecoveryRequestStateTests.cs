namespace Recovery.Tests;

/// <summary>The recovery request's rules as its events fold, without a host: what is open, lapsed or used up.</summary>
public class RecoveryRequestStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid Account = Guid.NewGuid();

    private static RecoveryRequest Requested(string channel) =>
        RecoveryRequest.Create(new ResetRequested(Id, channel, "self", null, "ada", null, "192.0.2.1", null, Now));

    private static RecoveryRequest CodeIssued(int maxAttempts = 3) =>
        Requested("email-otp").Apply(new ResetCodeIssued(Id, Account, "ada", "email-otp", "code-hash", Now.AddMinutes(10), maxAttempts, Guid.NewGuid(), Now));

    [Fact]
    public void a_link_is_open_until_it_lapses_and_closed_once_used_superseded_or_expired()
    {
        var link = Requested("email-link").Apply(new ResetLinkIssued(Id, Account, "ada", "email-link", "token-hash", Now.AddHours(24), Guid.NewGuid(), null, Now));
        Assert.True(link.IsOpen);
        Assert.False(link.HasLapsed(Now.AddHours(23)));
        Assert.True(link.HasLapsed(Now.AddHours(24)));

        Assert.False(link.Apply(new ResetCompleted(Id, Account, null, null, Now)).IsOpen);
        Assert.Null(link.Apply(new ResetCompleted(Id, Account, null, null, Now)).RedeemableHash);
        Assert.False(link.Apply(new ResetSuperseded(Id, Account, Guid.NewGuid(), Now)).IsOpen);
        Assert.Null(link.Apply(new ResetSuperseded(Id, Account, Guid.NewGuid(), Now)).RedeemableHash);
        Assert.False(link.Apply(new ResetExpired(Id, Account, Now)).IsOpen);
    }

    [Fact]
    public void wrong_codes_use_up_the_attempts()
    {
        var code = CodeIssued(maxAttempts: 3);
        Assert.False(code.AttemptsExhausted);
        code = code.Apply(new CodeVerificationFailed(Id, Account, 2, 3, null, Now));
        Assert.False(code.AttemptsExhausted);
        code = code.Apply(new CodeVerificationFailed(Id, Account, 3, 3, null, Now));
        Assert.True(code.AttemptsExhausted);
    }

    [Fact]
    public void a_verified_code_gives_a_reset_token_with_a_lifetime_of_its_own()
    {
        var verified = CodeIssued().Apply(new CodeVerified(Id, Account, "reset-token-hash", Now.AddMinutes(30), null, Now.AddMinutes(5)));
        Assert.True(verified.IsOpen);
        Assert.Equal("reset-token-hash", verified.RedeemableHash);
        // The code's own ten minutes no longer matter: the reset token's lifetime does.
        Assert.False(verified.HasLapsed(Now.AddMinutes(20)));
        Assert.True(verified.HasLapsed(Now.AddMinutes(30)));
    }
}
