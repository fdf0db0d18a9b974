using Microsoft.Extensions.Configuration;

namespace Recovery.Settings;

public sealed record Deliverable(bool Email, bool Sms);

/// <summary>
/// Whether email and SMS really deliver here, for the default channel list. Read from configuration
/// (<c>Mail:Enabled</c>, <c>Sms:Enabled</c>) until the Notifications module answers GetDeliveryCapabilitiesV1.
/// </summary>
public class DeliveryCapabilities(IConfiguration configuration)
{
    public virtual Task<Deliverable> CurrentAsync(CancellationToken ct) =>
        Task.FromResult(new Deliverable(configuration.GetValue("Mail:Enabled", false), configuration.GetValue("Sms:Enabled", false)));
}
