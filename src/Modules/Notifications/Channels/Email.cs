using MailKit.Net.Smtp;
using MimeKit;
using MimeKit.Utils;
using Notifications.Settings;
using Notifications.Templates;

namespace Notifications.Channels;

/// <summary>Builds the MIME message: a plain-text part and an HTML part of the same content.</summary>
internal static class MailComposer
{
    public static MimeMessage Compose(Guid notificationId, string kind, string to, RenderedMessage rendered, string from, DateTimeOffset now)
    {
        var sender = MailboxAddress.Parse(from);
        var message = new MimeMessage();
        message.From.Add(sender);
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = rendered.Subject;
        message.Date = now;
        var domain = sender.Address.Contains('@') ? sender.Address[(sender.Address.LastIndexOf('@') + 1)..] : "localhost";
        message.MessageId = MimeUtils.GenerateMessageId(domain);
        message.Headers.Add("X-Notification-Id", notificationId.ToString());
        message.Headers.Add("X-Notification-Kind", kind);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder { TextBody = rendered.Text, HtmlBody = rendered.Html }.ToMessageBody();
        return message;
    }
}

/// <summary>Sends one message over SMTP with the settings in force (a fresh connection per message).</summary>
internal static class SmtpMail
{
    public static async Task<string> SendAsync(MimeMessage message, EffectiveMail settings, bool carriesSecret, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout * 3);
        using var activity = BuildingBlocks.ProductTelemetry.Source.StartActivity("smtp send", System.Diagnostics.ActivityKind.Client);
        activity?.SetTag("server.address", settings.Host);
        activity?.SetTag("server.port", settings.Port);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(settings.Host!, settings.Port, MailSecurity.Socket(settings.Security, settings.Host, settings.Port), timeout.Token);
        }
        catch (NotSupportedException)
        {
            // MailKit's answer when STARTTLS is required and the server does not offer it.
            throw new DeliveryException(
                $"The server {settings.Host}:{settings.Port} offered no STARTTLS, and the security {settings.Security} requires TLS to another machine. " +
                $"Make the server offer STARTTLS, or choose {MailSecurity.StartTlsWhenAvailable} explicitly " +
                "(messages with a password, link or code are still never sent in clear).", true);
        }

        if (ClearTextRefusal(settings, client.IsSecure, carriesSecret) is { } refusal) throw new DeliveryException(refusal, true);
        if (settings.AuthEnabled) await client.AuthenticateAsync(settings.Username ?? string.Empty, settings.Password ?? string.Empty, timeout.Token);
        var reply = await client.SendAsync(message, timeout.Token);
        await client.DisconnectAsync(true, CancellationToken.None);
        return reply;
    }

    /// <summary>
    /// Nothing secret crosses the network in clear (docs/adr/0023): when the connection to a host other than this machine
    /// ended up unencrypted (security None, or StartTlsWhenAvailable without STARTTLS), neither the SMTP password nor a
    /// message carrying a one-time secret or a temporary password is sent.
    /// </summary>
    internal static string? ClearTextRefusal(EffectiveMail settings, bool connectionIsSecure, bool carriesSecret)
    {
        if (connectionIsSecure || Settings.Endpoints.IsLoopback(settings.Host)) return null;
        var what = settings.AuthEnabled ? "the SMTP password" : carriesSecret ? "a message with a one-time secret" : null;
        return what is null
            ? null
            : $"The connection to {settings.Host}:{settings.Port} is not encrypted, so {what} was not sent in clear text. " +
              $"Make the server offer STARTTLS or TLS, and choose the security {MailSecurity.Auto}, {MailSecurity.StartTls} or {MailSecurity.SslOnConnect}.";
    }
}

/// <summary>
/// The drop folder used while SMTP is off: one .eml file per message, readable by the service's user only.
/// Written under a temporary name first, so that a reader never sees half a message.
/// </summary>
internal static class PickupFolder
{
    private const UnixFileMode FolderPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task<string> WriteAsync(MimeMessage message, string folder, string recipient, Guid notificationId, DateTimeOffset now, CancellationToken ct)
    {
        var path = Path.GetFullPath(folder);
        if (!Directory.Exists(path))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
            else Directory.CreateDirectory(path, FolderPermissions);
        }

        var name = $"{Safe(recipient)}_{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}_{notificationId.ToString("N")[..8]}.eml";
        var target = Path.Combine(path, name);
        var temporary = Path.Combine(path, $".{name}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FilePermissions;
        await using (var stream = new FileStream(temporary, options))
        {
            await message.WriteToAsync(stream, ct);
        }

        File.Move(temporary, target, overwrite: true);
        return target;
    }

    /// <summary>
    /// Replaces the body of a notification's pickup file(s) with the masked copy, once its one-time secret is deleted:
    /// a file in the folder must not hold a live link or code for longer than the service keeps the secret itself.
    /// </summary>
    public static async Task<int> MaskAsync(string folder, Guid notificationId, MaskedMessage masked, CancellationToken ct)
    {
        var path = Path.GetFullPath(folder);
        if (!Directory.Exists(path)) return 0;
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(path, $"*_{notificationId.ToString("N")[..8]}.eml"))
        {
            var message = await MimeMessage.LoadAsync(file, ct);
            if (message.Headers["X-Notification-Id"] != notificationId.ToString()) continue;
            message.Body = new BodyBuilder { TextBody = masked.Text, HtmlBody = masked.Html }.ToMessageBody();
            var temporary = Path.Combine(path, $".{Path.GetFileName(file)}.{Guid.NewGuid():N}.tmp");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FilePermissions;
            await using (var stream = new FileStream(temporary, options))
            {
                await message.WriteToAsync(stream, ct);
            }

            File.Move(temporary, file, overwrite: true);
            count++;
        }

        return count;
    }

    private static string Safe(string recipient)
    {
        var chars = recipient.Trim().ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '@' or '.' or '-' or '+' or '_' ? c : '_').ToArray();
        var safe = new string(chars).Trim('.');
        return safe.Length is 0 ? "unknown" : safe.Length > 100 ? safe[..100] : safe;
    }
}
