using System.Net;
using System.Text.Json;
using Notifications.Settings;

namespace Notifications.Channels;

public sealed record SmsMessage(string To, string Text);

public sealed record SmsReceipt(string? MessageId);

/// <summary>
/// The SMS seam: today the Vonage SMS API over a typed HttpClient, tomorrow perhaps Vonage's SDK (ADR 0005).
/// Throws <see cref="DeliveryException"/> when the provider refuses the message.
/// </summary>
public interface ISmsSender
{
    Task<SmsReceipt> SendAsync(SmsMessage message, EffectiveSms settings, CancellationToken ct);
}

/// <summary>Vonage's SMS API: <c>POST {BaseUrl}/sms/json</c> with form fields; a message <c>status</c> other than "0" is a failure.</summary>
internal sealed class VonageSmsSender(HttpClient http) : ISmsSender
{
    // Vonage's "Throttled" and "Internal Error": the only statuses that another attempt can cure.
    private static readonly HashSet<string> TransientStatuses = ["1", "5"];

    public async Task<SmsReceipt> SendAsync(SmsMessage message, EffectiveSms settings, CancellationToken ct)
    {
        var to = Msisdn.FromE164(message.To);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{settings.BaseUrl.TrimEnd('/')}/sms/json")
        {
            Content = new FormUrlEncodedContent([
                new("api_key", settings.ApiKey ?? string.Empty),
                new("api_secret", settings.ApiSecret ?? string.Empty),
                new("from", settings.From ?? string.Empty),
                new("to", to),
                new("text", message.Text),
            ]),
        };
        using var response = await http.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            var code = (int)response.StatusCode;
            var transient = response.StatusCode is HttpStatusCode.TooManyRequests || code >= 500;
            throw new DeliveryException($"HTTP {code} {response.ReasonPhrase}", !transient);
        }

        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        return Receipt(body);
    }

    internal static SmsReceipt Receipt(string body)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new DeliveryException("Vonage answered with something that is not JSON.", false);
        }

        using (json)
        {
            if (!json.RootElement.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
                throw new DeliveryException("Vonage answered without a message status.", false);

            string? messageId = null;
            foreach (var part in messages.EnumerateArray())
            {
                var status = Text(part, "status") ?? "?";
                if (status != "0")
                {
                    var error = Text(part, "error-text") ?? "no error text";
                    throw new DeliveryException($"Vonage status {status}: {error}", !TransientStatuses.Contains(status));
                }

                messageId ??= Text(part, "message-id");
            }

            return new SmsReceipt(messageId);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.ToString() : null;
}

/// <summary>Vonage wants the number in international form without the leading plus.</summary>
internal static class Msisdn
{
    public static string FromE164(string number)
    {
        var trimmed = number.Trim();
        var digits = new string(trimmed.Where(c => c is not (' ' or '-' or '(' or ')' or '.')).ToArray());
        if (digits.StartsWith('+')) digits = digits[1..];
        else if (digits.StartsWith("00", StringComparison.Ordinal)) digits = digits[2..];
        if (digits.Length is < 7 or > 15 || !digits.All(char.IsAsciiDigit) || digits[0] == '0')
            throw new DeliveryException("The recipient is not a phone number in E.164 form (e.g. +41446681800).", true);
        return digits;
    }
}
