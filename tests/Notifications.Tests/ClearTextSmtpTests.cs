using Notifications.Channels;
using Notifications.Settings;

namespace Notifications.Tests;

/// <summary>The SMTP password crosses the network only encrypted, whatever the security mode led to.</summary>
public sealed class ClearTextSmtpTests
{
    private static EffectiveMail Mail(string host, bool auth) => new()
    {
        Enabled = true, Host = host, Port = 587, Security = MailSecurity.Auto, AuthEnabled = auth, Username = auth ? "mailer" : null,
        PasswordSource = new Lazy<string?>("Smtp-Pass-1"), PasswordSet = auth, From = "no-reply@example.test", PickupDirectory = "/tmp",
        Timeout = TimeSpan.FromSeconds(5), SetByRoot = true,
    };

    [Theory]
    [InlineData("smtp.example.test", true, false, true)]   // Auto fell back to plain text: the password is withheld
    [InlineData("smtp.example.test", true, true, false)]   // STARTTLS (or TLS on connect) took place
    [InlineData("smtp.example.test", false, false, false)] // no password to give away
    [InlineData("127.0.0.1", true, false, false)]          // never leaves the machine
    [InlineData("localhost", true, false, false)]
    public void the_password_is_withheld_from_a_plain_text_connection_to_another_machine(string host, bool auth, bool secure, bool refused) =>
        Assert.Equal(refused, SmtpMail.ClearTextRefusal(Mail(host, auth), secure) is not null);
}
