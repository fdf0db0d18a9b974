using Audit.Contracts;
using BuildingBlocks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Recovery.Contracts;
using Wolverine.Http;

namespace Recovery.Settings;

/// <summary>The contract's recovery settings (<c>GET/PUT /api/settings/recovery</c>).</summary>
public sealed record RecoveryOptions(
    string[] Channels, int LinkLifetimeMinutes, int OtpLifetimeMinutes, int OtpLength, int OtpMaxAttempts, int AdminResetDelaySeconds)
{
    internal IEnumerable<string> Problems(IReadOnlyCollection<string> knownChannels)
    {
        if (Channels is null) yield return "channels is required.";
        else if (Channels.Except(knownChannels).Any()) yield return $"channels must be among: {string.Join(", ", knownChannels)}.";
        if (LinkLifetimeMinutes is < 1 or > 10_080) yield return "linkLifetimeMinutes must be between 1 and 10080.";
        if (OtpLifetimeMinutes is < 1 or > 1_440) yield return "otpLifetimeMinutes must be between 1 and 1440.";
        if (OtpLength is < 4 or > 10) yield return "otpLength must be between 4 and 10.";
        if (OtpMaxAttempts is < 1 or > 100) yield return "otpMaxAttempts must be between 1 and 100.";
        if (AdminResetDelaySeconds is < 0 or > 604_800) yield return "adminResetDelaySeconds must be between 0 and 604800.";
    }
}

/// <summary>The settings as last set through the API; its stream holds every change with who made it.</summary>
internal sealed record RecoverySettings(Guid Id, RecoveryOptions Options)
{
    /// <summary>The one settings stream of the Recovery module.</summary>
    public static readonly Guid StreamId = new("6f1f4d8e-5a39-4a53-9d35-0c2a7d0a0002");

    public static RecoverySettings Create(RecoverySettingsChanged e) => new(StreamId, e.Options);

    public RecoverySettings Apply(RecoverySettingsChanged e) => this with { Options = e.Options };
}

internal sealed record RecoverySettingsChanged(RecoveryOptions Options, Guid? ActorId, DateTimeOffset At) : ISecurityEvent
{
    public string Type => SecurityEventTypes.RecoverySettingsChanged;

    Guid? ISecurityEvent.AccountId => null;
    public string Summary => $"Recovery settings changed: channels {string.Join(", ", Options.Channels)}, link {Options.LinkLifetimeMinutes} min, " +
                             $"code {Options.OtpLength} digits for {Options.OtpLifetimeMinutes} min with {Options.OtpMaxAttempts} tries, admin delay {Options.AdminResetDelaySeconds} s.";
}

/// <summary>The settings in force: the stored ones, else the contract's defaults for the channels that can be delivered here.</summary>
public sealed class RecoverySettingsSource(IEnumerable<RecoveryChannelDescriptorV1> channels, DeliveryCapabilities capabilities, BuildingBlocks.SettingsCache cache)
{
    private readonly IReadOnlyList<RecoveryChannelDescriptorV1> channels = channels.DistinctBy(c => c.Name).ToList();

    public IReadOnlyCollection<string> KnownChannels => channels.Select(c => c.Name).ToList();

    public RecoveryChannelDescriptorV1? Channel(string? name) => channels.FirstOrDefault(c => c.Name == name);

    public async Task<RecoveryOptions> CurrentAsync(IQuerySession session, CancellationToken ct) =>
        (await cache.LoadAsync<RecoverySettings>(session, RecoverySettings.StreamId, ct))?.Options ?? await DefaultsAsync(ct);

    private async Task<RecoveryOptions> DefaultsAsync(CancellationToken ct)
    {
        var deliverable = await capabilities.CurrentAsync(ct);
        // The link by email is always on (mail at least lands in the pickup folder); codes only where their channel really delivers.
        var enabled = channels
            .Where(c => c.Name == RecoveryChannels.EmailLink
                        || (c.Contact == RecoveryContactKinds.Email && deliverable.Email)
                        || (c.Contact == RecoveryContactKinds.Phone && deliverable.Sms))
            .Select(c => c.Name)
            .ToArray();
        return new RecoveryOptions(enabled, 1440, 10, 6, 5, 600);
    }
}

/// <summary>Every channel this host knows (built in or added as a module), whether enabled or not.</summary>
public sealed record AvailableChannelsAnswer(string[] Channels);

public static class RecoverySettingsEndpoints
{
    /// <summary>The channels <c>PUT /api/settings/recovery</c> accepts (an addition to the contract, for the settings page).</summary>
    [WolverineGet("/api/settings/recovery/available-channels", OperationId = "getAvailableRecoveryChannels")]
    [Authorize(Policy = Policies.Admin)]
    public static AvailableChannelsAnswer Available(RecoverySettingsSource settings) => new(settings.KnownChannels.ToArray());

    [WolverineGet("/api/settings/recovery", OperationId = "getRecoverySettings")]
    [Authorize(Policy = Policies.Admin)]
    public static Task<RecoveryOptions> Get(IQuerySession session, RecoverySettingsSource settings, CancellationToken ct) =>
        settings.CurrentAsync(session, ct);

    [WolverinePut("/api/settings/recovery", OperationId = "putRecoverySettings")]
    [Authorize(Policy = Policies.Admin)]
    public static IResult Put(RecoveryOptions options, IDocumentSession session, RecoverySettingsSource settings, HttpContext http, TimeProvider time)
    {
        var problems = options.Problems(settings.KnownChannels).ToList();
        if (problems.Count > 0) return Problems.Validation("The recovery settings are not valid.", problems);
        options = options with { Channels = options.Channels.Distinct().ToArray() };
        session.Events.Append(RecoverySettings.StreamId, new RecoverySettingsChanged(options, http.User.AccountId(), time.GetUtcNow()));
        return TypedResults.Ok(options);
    }
}
