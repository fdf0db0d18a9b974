using Microsoft.Extensions.DependencyInjection;
using Notifications.Contracts;
using Wolverine;

namespace Recovery.Settings;

public sealed record Deliverable(bool Email, bool Sms);

/// <summary>
/// Whether email (over SMTP) and SMS really deliver here, for the default channel list; the Notifications module
/// answers, since run-time settings there win over configuration.
/// </summary>
public class DeliveryCapabilities(IServiceScopeFactory scopes)
{
    public virtual async Task<Deliverable> CurrentAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var answer = await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<DeliveryCapabilitiesV1>(new GetDeliveryCapabilitiesV1(), ct);
        return new Deliverable(answer.EmailConfigured, answer.SmsConfigured);
    }
}
