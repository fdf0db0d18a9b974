using System.Net.Sockets;
using MailKit.Net.Smtp;
using Notifications.Channels;
using Notifications.Contracts;
using Notifications.Templates;

namespace Notifications.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData("+41446681800", "41446681800")]
    [InlineData("+41 44 668 18 00", "41446681800")]
    [InlineData("0041446681800", "41446681800")]
    [InlineData("+1 (500) 555-0009", "15005550009")]
    public void vonage_gets_the_e164_number_without_its_plus(string number, string expected) => Assert.Equal(expected, Msisdn.FromE164(number));

    [Theory]
    [InlineData("044 668 18 00")]
    [InlineData("+41abc")]
    [InlineData("+123")]
    public void a_number_that_is_not_e164_fails_for_good(string number) =>
        Assert.True(Assert.Throws<DeliveryException>(() => Msisdn.FromE164(number)).Permanent);

    [Fact]
    public void smtp_replies_4xx_are_retried_and_5xx_are_not()
    {
        var busy = DeliveryFailures.Describe(new SmtpCommandException(SmtpErrorCode.MessageNotAccepted, SmtpStatusCode.MailboxBusy, "4.2.1 Try again later"));
        var refused = DeliveryFailures.Describe(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, SmtpStatusCode.MailboxUnavailable, "5.1.1 No such user"));
        var down = DeliveryFailures.Describe(new SocketException((int)SocketError.ConnectionRefused));
        Assert.Equal(("450 4.2.1 Try again later", false), busy);
        Assert.Equal(("550 5.1.1 No such user", true), refused);
        Assert.Equal(("Connection refused", false), down);
    }

    [Fact]
    public void vonage_statuses_other_than_zero_are_failures_and_only_throttling_is_retried()
    {
        Assert.Equal("id-1", VonageSmsSender.Receipt("""{"messages":[{"status":"0","message-id":"id-1"}]}""").MessageId);
        var throttled = Assert.Throws<DeliveryException>(() => VonageSmsSender.Receipt("""{"messages":[{"status":"1","error-text":"Throttled"}]}"""));
        var bad = Assert.Throws<DeliveryException>(() => VonageSmsSender.Receipt("""{"messages":[{"status":"4","error-text":"Bad Credentials"}]}"""));
        Assert.Equal(("Vonage status 1: Throttled", false), (throttled.Message, throttled.Permanent));
        Assert.Equal(("Vonage status 4: Bad Credentials", true), (bad.Message, bad.Permanent));
    }

    [Fact]
    public void every_kind_renders_for_email_and_sms_and_the_masked_copy_holds_no_secret()
    {
        var templates = new MessageTemplates();
        var model = new Dictionary<string, string> { ["username"] = "zoe", ["resetBaseUrl"] = "https://id.example.test/reset-password", ["lifetimeMinutes"] = "15", ["changedAt"] = "now" };
        foreach (var kind in MessageTemplates.Kinds)
        {
            foreach (var channel in new[] { NotificationChannels.Email, NotificationChannels.Sms })
            {
                var real = templates.Render(kind, channel, model, "S3cr3tValue");
                var masked = templates.Render(kind, channel, model, MessageTemplates.Mask);
                Assert.False(string.IsNullOrWhiteSpace(real.Subject));
                Assert.False(string.IsNullOrWhiteSpace(real.Text));
                Assert.Equal(channel == NotificationChannels.Email, real.Html is not null);
                Assert.Equal(MessageTemplates.KindsWithSecret.Contains(kind), real.Text.Contains("S3cr3tValue"));
                Assert.DoesNotContain("S3cr3tValue", masked.Subject + masked.Text + masked.Html);
            }
        }

        var link = templates.Render(NotificationKinds.ResetLink, NotificationChannels.Email, model, "abc_DEF-123");
        Assert.Contains("https://id.example.test/reset-password?token=abc_DEF-123", link.Text);
    }

    [Fact]
    public void html_parts_escape_what_the_sender_put_in_the_model()
    {
        var rendered = new MessageTemplates().Render(NotificationKinds.PasswordChanged, NotificationChannels.Email,
            new Dictionary<string, string> { ["username"] = "<script>alert(1)</script>" }, null);
        Assert.DoesNotContain("<script>", rendered.Html);
        Assert.Contains("<script>alert(1)</script>", rendered.Text);
    }
}
