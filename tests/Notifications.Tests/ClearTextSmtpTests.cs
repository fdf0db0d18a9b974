using MailKit.Security;
using Notifications.Channels;
using Notifications.Contracts;
using Notifications.Settings;

namespace Notifications.Tests;

/// <summary>Nothing secret crosses the network in clear, whatever the security mode led to (docs/adr/0023).</summary>
public sealed class ClearTextSmtpTests
{
    private static EffectiveMail Mail(string host, bool auth) => new()
    {
        Enabled = true, Host = host, Port = 587, Security = MailSecurity.Auto, AuthEnabled = auth, Username = auth ? "mailer" : null,
        PasswordSource = new Lazy<string?>("Smtp-Pass-1"), PasswordSet = auth, From = "no-reply@example.test", PickupDirectory = "/tmp",
        Timeout = TimeSpan.FromSeconds(5), SetByRoot = true,
    };

    [Theory]
    [InlineData("smtp.example.test", true, false, false, true)]   // a plain connection: the password is withheld
    [InlineData("smtp.example.test", false, false, true, true)]   // a plain connection: a link, code or temporary password is withheld
    [InlineData("smtp.example.test", false, false, false, false)] // a plain connection: a notice without a secret may go
    [InlineData("smtp.example.test", true, true, true, false)]    // STARTTLS (or TLS on connect) took place
    [InlineData("127.0.0.1", true, false, true, false)]           // never leaves the machine
    [InlineData("localhost", true, false, true, false)]
    public void secrets_are_withheld_from_a_plain_text_connection_to_another_machine(string host, bool auth, bool secure, bool secret, bool refused) =>
        Assert.Equal(refused, SmtpMail.ClearTextRefusal(Mail(host, auth), secure, secret) is not null);

    [Theory]
    [InlineData("Auto", "smtp.example.test", 587, SecureSocketOptions.StartTls)]      // TLS required of another machine
    [InlineData("Auto", "smtp.example.test", 25, SecureSocketOptions.StartTls)]
    [InlineData("Auto", "smtp.example.test", 465, SecureSocketOptions.SslOnConnect)]
    [InlineData("Auto", "localhost", 1025, SecureSocketOptions.StartTlsWhenAvailable)] // plain text only on this machine
    [InlineData("Auto", "::1", 25, SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData("StartTlsWhenAvailable", "smtp.example.test", 587, SecureSocketOptions.StartTlsWhenAvailable)]
    [InlineData("StartTls", "localhost", 587, SecureSocketOptions.StartTls)]
    [InlineData("SslOnConnect", "smtp.example.test", 587, SecureSocketOptions.SslOnConnect)]
    [InlineData("None", "smtp.example.test", 465, SecureSocketOptions.None)]
    public void the_default_requires_tls_of_another_machine_and_the_fallback_is_chosen_explicitly(string security, string host, int port, SecureSocketOptions expected) =>
        Assert.Equal(expected, MailSecurity.Socket(security, host, port));
}

/// <summary>A real SMTP server without TLS on this machine's non-loopback address, reached as another machine would be.</summary>
[Collection(NotificationsCollection.Name)]
public sealed class PlainTextSmtpServerTests(NotificationsHost host)
{
    [Fact]
    public async Task the_default_refuses_a_server_without_starttls_and_the_explicit_fallback_still_withholds_secrets()
    {
        var address = SmtpTestServer.NonLoopbackAddress();
        await using var plain = await SmtpTestServer.StartAsync(bind: address);
        try
        {
            // The default (Auto): another machine must offer STARTTLS; this one does not, and the log says why.
            Assert.Equal("Auto", (await host.PutMailSettingsAsync(new { host = address, port = plain.Port, security = "auto" })).Security);
            var notice = await host.WaitForStatusAsync(await host.SendTestMailAsync("pia@example.test"), "failed");
            Assert.Contains("offered no STARTTLS", notice.LastError);

            // Chosen explicitly, the fallback to plain text sends a message without a secret...
            Assert.Equal("StartTlsWhenAvailable", (await host.PutMailSettingsAsync(new { security = "StartTlsWhenAvailable" })).Security);
            await host.WaitForStatusAsync(await host.SendTestMailAsync("pia@example.test"), "done");
            await plain.WaitForMessageToAsync("pia@example.test");

            // ...but never a link, a code or a temporary password.
            var id = Guid.NewGuid();
            var token = NotificationsHost.RandomToken();
            await host.SendAsync(new SendNotificationV1(
                id, NotificationKinds.ResetLink, NotificationChannels.Email, "quin@example.test",
                new Dictionary<string, string> { ["username"] = "quin", ["resetBaseUrl"] = "http://localhost:5000/reset-password", ["lifetimeMinutes"] = "1440" },
                host.Protect(token)));
            var withheld = await host.WaitForStatusAsync(id, "failed");
            Assert.Contains("one-time secret was not sent in clear text", withheld.LastError);
            Assert.Empty(plain.MessagesTo("quin@example.test"));
            Assert.Equal("failed", Assert.Single((await host.MailLogAsync("?to=quin@example.test")).Items).Status);
        }
        finally
        {
            await host.RestoreMailSettingsAsync();
        }
    }
}
