namespace Notifications.Settings;

/// <summary>The <c>Mail</c> configuration section (API.md: <c>Mail__*</c>); run-time settings win over it.</summary>
public sealed class MailOptions
{
    public bool Enabled { get; set; }

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public string Security { get; set; } = MailSecurity.Auto;

    /// <summary>When unset, authentication is on exactly when a username is configured.</summary>
    public bool? AuthEnabled { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "no-reply@localhost";

    public string PickupDirectory { get; set; } = "./data/pickup";

    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>The <c>Sms</c> configuration section (API.md: <c>Sms__*</c>).</summary>
public sealed class SmsOptions
{
    public bool Enabled { get; set; }

    public VonageOptions Vonage { get; set; } = new();

    public int TimeoutSeconds { get; set; } = 30;
}

public sealed class VonageOptions
{
    public string BaseUrl { get; set; } = "https://rest.nexmo.com";

    public string? ApiKey { get; set; }

    public string? ApiSecret { get; set; }

    public string? From { get; set; }
}

/// <summary>The <c>Notifications:Delivery</c> section: how often and how soon a transient failure is tried again.</summary>
public sealed class RetryOptions
{
    /// <summary>Attempts per run (the first one included) before a task counts as failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second attempt; it doubles for each further one.</summary>
    public double RetryDelaySeconds { get; set; } = 30;

    public double MaxRetryDelaySeconds { get; set; } = 3600;

    /// <summary>
    /// How long the one-time secret of a delivered message is kept so that an administrator can redo a recent send;
    /// after that (at once when 0) it is deleted.
    /// </summary>
    public double SecretRetentionHours { get; set; } = 24;

    public TimeSpan SecretRetention => TimeSpan.FromHours(Math.Max(0, SecretRetentionHours));

    public TimeSpan RetryDelay(int failedAttempts)
    {
        var seconds = RetryDelaySeconds * Math.Pow(2, Math.Max(0, failedAttempts - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxRetryDelaySeconds));
    }
}

/// <summary>
/// The SMTP security modes (docs/adr/0023). <c>Auto</c>, the default, requires TLS of any server on another machine
/// (TLS on connect on 465, STARTTLS otherwise) and accepts plain text only on this machine's loopback, where nothing
/// crosses the network. <c>StartTlsWhenAvailable</c> falls back to plain text when the server offers no STARTTLS, and
/// only when chosen explicitly. Whatever the mode, a password or a one-time secret never goes in clear to another machine.
/// </summary>
internal static class MailSecurity
{
    public const string None = "None";
    public const string StartTls = "StartTls";
    public const string SslOnConnect = "SslOnConnect";
    public const string Auto = "Auto";
    public const string StartTlsWhenAvailable = "StartTlsWhenAvailable";

    public static readonly string[] All = [None, StartTls, SslOnConnect, Auto, StartTlsWhenAvailable];

    public static string? Parse(string? value) => All.FirstOrDefault(v => string.Equals(v, value?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>What the client asks of the connection to this server in this mode.</summary>
    public static MailKit.Security.SecureSocketOptions Socket(string security, string? host, int port) => security switch
    {
        None => MailKit.Security.SecureSocketOptions.None,
        StartTls => MailKit.Security.SecureSocketOptions.StartTls,
        SslOnConnect => MailKit.Security.SecureSocketOptions.SslOnConnect,
        StartTlsWhenAvailable => MailKit.Security.SecureSocketOptions.StartTlsWhenAvailable,
        _ when port == 465 => MailKit.Security.SecureSocketOptions.SslOnConnect,
        _ when Endpoints.IsLoopback(host) => MailKit.Security.SecureSocketOptions.StartTlsWhenAvailable,
        _ => MailKit.Security.SecureSocketOptions.StartTls,
    };
}

/// <summary>The mail settings in force: stored settings over configuration. Not a record, so that no ToString prints the password.</summary>
public sealed class EffectiveMail
{
    public required bool Enabled { get; init; }

    public required string? Host { get; init; }

    public required int Port { get; init; }

    public required string Security { get; init; }

    public required bool AuthEnabled { get; init; }

    public required string? Username { get; init; }

    /// <summary>Decrypted only when the SMTP handshake asks for it; never logged, never returned.</summary>
    public required Lazy<string?> PasswordSource { get; init; }

    public string? Password => PasswordSource.Value;

    public required bool PasswordSet { get; init; }

    public required string From { get; init; }

    public required string PickupDirectory { get; init; }

    public required TimeSpan Timeout { get; init; }

    public bool SendsOverSmtp => Enabled && !string.IsNullOrWhiteSpace(Host);

    /// <summary>From the host's configuration, or last saved by a root: trusted with a root account's secrets.</summary>
    public required bool SetByRoot { get; init; }
}

public sealed class EffectiveSms
{
    public required bool Enabled { get; init; }

    public required string BaseUrl { get; init; }

    public required string? ApiKey { get; init; }

    /// <summary>Decrypted only when a message is sent; never logged, never returned.</summary>
    public required Lazy<string?> ApiSecretSource { get; init; }

    public required bool ApiSecretSet { get; init; }

    public string? ApiSecret => ApiSecretSource.Value;

    public required TimeSpan Timeout { get; init; }

    public required string? From { get; init; }

    public bool Configured => Enabled && Uri.TryCreate(BaseUrl, UriKind.Absolute, out _) && !string.IsNullOrWhiteSpace(ApiKey)
                              && ApiSecretSet && !string.IsNullOrWhiteSpace(From);

    /// <summary>From the host's configuration, or last saved by a root: trusted with a root account's secrets.</summary>
    public required bool SetByRoot { get; init; }
}
