using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Notifications.Settings;

namespace Notifications.Channels;

/// <summary>A provider's refusal, in its own words; <see cref="Permanent"/> when trying again cannot help.</summary>
internal sealed class DeliveryException(string error, bool permanent) : Exception(error)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>Turns what a channel threw into the words shown in the mail log and whether another attempt may help.</summary>
internal static class DeliveryFailures
{
    private const int MaxErrorLength = 500;

    public static (string Error, bool Permanent) Describe(Exception exception)
    {
        var (error, permanent) = exception switch
        {
            DeliveryException e => (e.Message, e.Permanent),
            // 4xx replies are the server asking to come back later; 5xx replies say no for good.
            SmtpCommandException e => ($"{(int)e.StatusCode} {e.Message}", (int)e.StatusCode >= 500),
            AuthenticationException e => (StartsWithCode(e.Message) ? e.Message : $"535 {e.Message}", true),
            SslHandshakeException e => (FirstSentence(e.Message), true),
            SmtpProtocolException e => (e.Message, false),
            SocketException e => (e.Message, false),
            TimeoutException => ("Timed out waiting for the server.", false),
            OperationCanceledException => ("Timed out waiting for the server.", false),
            IOException e => (e.Message, false),
            HttpRequestException e => (e.Message, false),
            UnreadableCredentialException e => (e.Message, true),
            NotSupportedException e => (e.Message, true),
            ParseException e => ($"Not a valid address: {e.Message}", true),
            FormatException e => (e.Message, true),
            _ => (exception.Message, false),
        };
        error = string.IsNullOrWhiteSpace(error) ? exception.GetType().Name : error.Trim();
        return (error.Length > MaxErrorLength ? error[..MaxErrorLength] : error, permanent);
    }

    private static bool StartsWithCode(string message) => message.Length >= 3 && message[..3].All(char.IsDigit);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
