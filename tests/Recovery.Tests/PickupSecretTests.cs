using Microsoft.Extensions.DependencyInjection;
using Notifications.Delivering;
using Testing;
using Wolverine;

namespace Recovery.Tests;

/// <summary>Without SMTP, messages go to the pickup folder; a file there holds a live link only as long as the service keeps the secret.</summary>
public sealed class PickupSecretTests(RecoveryTestHost host) : IClassFixture<RecoveryTestHost>
{
    [Fact]
    public async Task when_the_secret_is_deleted_the_pickup_file_keeps_the_message_but_not_the_link()
    {
        var account = await host.NewAccountAsync();
        await host.RequestAsync(account.Username, "email-link");
        var mail = await host.MessageAsync(account.Email!, "reset-link");
        var token = RecoveryTestHost.TokenIn(mail);
        var id = Guid.Parse(mail.Headers["X-Notification-Id"]!);
        var file = Directory.EnumerateFiles(host.PickupDirectory, $"*_{id.ToString("N")[..8]}.eml").Single();
        Assert.Contains(token, await File.ReadAllTextAsync(file));

        // What the scheduled discarding does when the retention after delivery has passed.
        using (var scope = host.Host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new DiscardNotificationSecret(id, 1));

        var masked = await MimeKit.MimeMessage.LoadAsync(file);
        Assert.DoesNotContain(token, masked.TextBody + masked.HtmlBody);
        Assert.Contains("********", masked.TextBody);
        Assert.Equal(mail.Subject, masked.Subject);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }
}
