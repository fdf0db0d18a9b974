using Accounts.Contracts;
using Recovery.Administering;
using Recovery.Contracts;
using Recovery.Requesting;

namespace Recovery.Tests;

/// <summary>
/// What issuing, a typed code and a redeemed token decide for a recovery request, without a host: who gets nothing and
/// why, which code may still be compared, which token may still set a password.
/// </summary>
public class RecoveryDecisionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly Guid Account = Guid.NewGuid();
    private static readonly RecoveryChannelDescriptorV1 EmailLink = new(RecoveryChannels.EmailLink, RecoverySecretKinds.Link, RecoveryContactKinds.Email);
    private static readonly RecoveryChannelDescriptorV1 SmsCode = new(RecoveryChannels.SmsOtp, RecoverySecretKinds.Code, RecoveryContactKinds.Phone);
    private static readonly RecoveryContactV1 Ada = new(Account, "ada", "ada@example.test", null, ["user"]);

    private static IssueRecoverySecret Issue(RecoveryContactV1 contact, RecoveryChannelDescriptorV1 channel, string initiator = PasswordChangeReasons.SelfReset) =>
        new(Id, channel.Name, initiator, contact, null, Guid.NewGuid(), null);

    private static RecoveryRequest Requested(string channel) =>
        RecoveryRequest.Create(new ResetRequested(Id, channel, "self", null, "ada", null, "192.0.2.1", null, Now));

    private static RecoveryRequest LinkIssued() =>
        Requested("email-link").Apply(new ResetLinkIssued(Id, Account, "ada", "email-link", "token-hash", Now.AddHours(24), Guid.NewGuid(), null, Now));

    private static RecoveryRequest CodeIssued(int maxAttempts = 3) =>
        Requested("email-otp").Apply(new ResetCodeIssued(Id, Account, "ada", "email-otp", "code-hash", Now.AddMinutes(10), maxAttempts, Guid.NewGuid(), Now));

    [Fact]
    public void a_known_account_with_the_channels_address_gets_its_secret()
    {
        Assert.Null(Issuing.UndeliverableReason(Issue(Ada, EmailLink), EmailLink, false, false));
    }

    [Fact]
    public void nothing_is_sent_for_an_unknown_login_or_an_account_without_the_channels_address()
    {
        Assert.Equal("unknown_login", Issuing.UndeliverableReason(Issue(RecoveryContactV1.None, EmailLink), EmailLink, false, false));
        Assert.Equal("no_contact", Issuing.UndeliverableReason(Issue(Ada, SmsCode), SmsCode, false, false));
    }

    [Fact]
    public void root_recovers_by_self_service_only_when_allowed_but_always_by_another_roots_reset()
    {
        var root = Ada with { Roles = ["root"] };
        Assert.Equal("root_self_service_disabled", Issuing.UndeliverableReason(Issue(root, EmailLink), EmailLink, false, false));
        Assert.Null(Issuing.UndeliverableReason(Issue(root, EmailLink), EmailLink, true, false));
        Assert.Null(Issuing.UndeliverableReason(Issue(root, EmailLink, PasswordChangeReasons.AdminReset), EmailLink, false, false));
    }

    [Fact]
    public void an_account_capped_for_wrong_codes_gets_no_codes_but_still_gets_links()
    {
        var withPhone = Ada with { Phone = "+41790000000" };
        Assert.Equal("code_failures_exceeded", Issuing.UndeliverableReason(Issue(withPhone, SmsCode), SmsCode, false, true));
        Assert.Null(Issuing.UndeliverableReason(Issue(withPhone, EmailLink), EmailLink, false, true));
    }

    [Fact]
    public void a_link_token_redeems_while_open_and_lapses_at_its_expiry()
    {
        var link = LinkIssued();
        Assert.Equal(Redemption.Allowed, link.Redeem("token-hash", Now.AddHours(23)));
        Assert.Equal(Redemption.Lapsed, link.Redeem("token-hash", Now.AddHours(24)));
        Assert.Equal(Redemption.Refused, link.Redeem("other-hash", Now));
        Assert.Equal(Redemption.Refused, link.Apply(new ResetCompleted(Id, Account, null, null, Now)).Redeem("token-hash", Now));
        Assert.Equal(Redemption.Refused, link.Apply(new ResetSuperseded(Id, Account, Guid.NewGuid(), Now)).Redeem("token-hash", Now));
    }

    [Fact]
    public void a_codes_request_redeems_only_the_reset_token_of_a_verified_code()
    {
        var code = CodeIssued();
        Assert.Equal(Redemption.Refused, code.Redeem("code-hash", Now));
        var verified = code.Apply(new CodeVerified(Id, Account, "reset-hash", Now.AddMinutes(10), null, Now));
        Assert.Equal(Redemption.Allowed, verified.Redeem("reset-hash", Now.AddMinutes(9)));
        Assert.Equal(Redemption.Lapsed, verified.Redeem("reset-hash", Now.AddMinutes(10)));
    }

    [Fact]
    public void a_code_is_compared_until_its_attempts_run_out_or_it_lapses()
    {
        var code = CodeIssued(maxAttempts: 2);
        Assert.Equal(CodeCheck.Compare, code.BeforeCode(Now));
        Assert.Equal(CodeCheck.Lapsed, code.BeforeCode(Now.AddMinutes(10)));
        Assert.Equal(CodeCheck.Exhausted, code.Apply(new CodeVerificationFailed(Id, Account, 2, 2, null, Now)).BeforeCode(Now));
        Assert.Equal(CodeCheck.NotACode, LinkIssued().BeforeCode(Now));
        Assert.Equal(CodeCheck.NotACode, code.Apply(new CodeVerified(Id, Account, "reset-hash", Now.AddMinutes(10), null, Now)).BeforeCode(Now));
        // Recorded but not yet issued: a code (or a proof typed at once) waits instead of counting.
        Assert.Equal(CodeCheck.Pending, Requested("authenticator").BeforeCode(Now));
    }

    [Fact]
    public void requests_that_sent_nothing_or_were_superseded_count_tries_like_real_ones_but_take_no_code()
    {
        var undeliverable = Requested("email-otp").Apply(new ResetUndeliverable(Id, null, null, "unknown_login", RecoverySecretKinds.Code, Now.AddMinutes(10), 3, Now));
        Assert.Equal(CodeCheck.Compare, undeliverable.BeforeCode(Now));
        Assert.False(undeliverable.AcceptsCode(true, false));
        var superseded = CodeIssued().Apply(new ResetSuperseded(Id, Account, Guid.NewGuid(), Now));
        Assert.Equal(CodeCheck.Compare, superseded.BeforeCode(Now));
        Assert.False(superseded.AcceptsCode(true, false));
    }

    [Fact]
    public void the_right_code_is_refused_while_the_account_is_capped()
    {
        Assert.True(CodeIssued().AcceptsCode(true, false));
        Assert.False(CodeIssued().AcceptsCode(true, true));
        Assert.False(CodeIssued().AcceptsCode(false, false));
    }

    [Fact]
    public void a_temporary_password_is_recorded_as_a_completed_administrators_reset()
    {
        var issued = new TemporaryPasswordIssuedV1(Id, Account, "ada", Guid.NewGuid(), Now.AddMinutes(10), Guid.NewGuid(), "192.0.2.9", Now);
        var events = TemporaryPasswordIssuedHandler.RecordOf(issued).ToArray();
        var request = events.Skip(1).Aggregate(RecoveryRequest.Create(Assert.IsType<ResetRequested>(events[0])), (r, e) => e switch
        {
            TemporaryPasswordIssued t => r.Apply(t),
            ResetCompleted c => r.Apply(c),
            _ => throw new ArgumentException(e.GetType().Name),
        });
        Assert.Equal((RequestState.Completed, Account, "temporary-password", "admin"), (request.State, request.AccountId!.Value, request.Channel, request.Initiator));
    }
}
