using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using MimeKit;
using Notifications.Contracts;

namespace Notifications.Pickup;

/// <summary>
/// Interim delivery until the Notifications module's channels land: every message is written as an .eml
/// file to Mail:PickupDirectory. The text body carries the model's values and the secret.
/// </summary>
[Wolverine.Attributes.WolverineHandler]
public static class InterimPickupWriter
{
    public static async Task Handle(SendNotificationV1 message, IConfiguration configuration, IDataProtectionProvider protection, CancellationToken ct)
    {
        var secret = message.ProtectedSecret is null ? null : protection.CreateProtector(SecretProtection.Purpose).Unprotect(message.ProtectedSecret);
        var folder = configuration["Mail:PickupDirectory"] ?? "./data/pickup";
        Directory.CreateDirectory(folder);

        var text = string.Join("\n", message.Model.Select(kv => $"{kv.Key}: {kv.Value}"));
        if (message.Model.TryGetValue("resetBaseUrl", out var resetBase) && secret is not null) text += $"\nlink: {resetBase}?token={secret}";
        else if (secret is not null) text += $"\nsecret: {secret}";

        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(configuration["Mail:From"] ?? "no-reply@localhost"));
        mime.To.Add(new MailboxAddress(message.To, message.To.Contains('@') ? message.To : message.To + "@sms.invalid"));
        mime.Subject = message.Kind;
        mime.Body = new TextPart("plain") { Text = text };
        var path = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{message.NotificationId:N}.eml");
        await mime.WriteToAsync(path, ct);
    }
}
