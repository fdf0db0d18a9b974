using Accounts.Contracts;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Recovery.Contracts;
using Recovery.Expiring;
using Recovery.Secrets;
using Recovery.Settings;
using Recovery.Superseding;
using Recovery.Verifying;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Recovery.Requesting;

public sealed record RecoveryChannelsAnswer(string[] Channels);

public sealed record RecoveryRequestBody(string? Login, string? Channel);

public sealed record RecoveryRequestAccepted(Guid RequestId, string Channel);

/// <summary>
/// Issue the secret of a recorded request to the contact found when it was made (<see cref="RecoveryContactV1.None"/>
/// for a login that matches no usable account). Carries nothing secret, so it may wait in a durable queue.
/// </summary>
public sealed record IssueRecoverySecret(
    Guid RequestId, string Channel, string Initiator, RecoveryContactV1 Contact, Guid? ActorId, Guid NotificationId, DateTimeOffset? SendAt);

public static class RecoveryChannelsEndpoint
{
    [WolverineGet("/api/recovery/channels", OperationId = "getRecoveryChannels")]
    public static async Task<RecoveryChannelsAnswer> Channels(IQuerySession session, RecoverySettingsSource settings, CancellationToken ct)
    {
        var options = await settings.CurrentAsync(session, ct);
        return new RecoveryChannelsAnswer(options.Channels.Where(c => settings.Channel(c) is not null).ToArray());
    }
}

public static class RequestRecoveryEndpoint
{
    public static IResult Validate(RecoveryRequestBody body) =>
        string.IsNullOrWhiteSpace(body.Login) || body.Login.Trim().Length > 320
            ? BuildingBlocks.Problems.BadRequest("invalid_request", "A login (username or email) is required.")
            : WolverineContinue.Result();

    /// <summary>
    /// Records the request and hands the work to a message, so the answer and its timing are the same whether the
    /// login exists, has the address the channel needs, or not: one lookup, one event, one message either way.
    /// </summary>
    [WolverinePost("/api/recovery/requests", OperationId = "requestRecovery")]
    public static async Task<IResult> Request(
        RecoveryRequestBody body, IDocumentSession session, RecoverySettingsSource settings, RecoveryRateLimits limits,
        TimeProvider time, HttpContext http, IMessageBus bus, CancellationToken ct)
    {
        var login = body.Login!.Trim().ToLowerInvariant();
        var options = await settings.CurrentAsync(session, ct);
        if (body.Channel is null || !options.Channels.Contains(body.Channel) || settings.Channel(body.Channel) is null)
            return BuildingBlocks.Problems.BadRequest("channel_disabled", "This recovery channel is not enabled.");
        if (await limits.RequestAsync(http, login, ct) is { } wait) return RecoveryRateLimits.TooMany(http, wait);

        var contact = await bus.InvokeAsync<RecoveryContactV1>(new FindRecoveryContactV1(login), ct);
        var requestId = Guid.NewGuid();
        session.Events.StartStream<RecoveryRequest>(requestId, new ResetRequested(
            requestId, body.Channel, PasswordChangeReasons.SelfReset, null, null, null, http.Connection.RemoteIpAddress?.ToString(), null, time.GetUtcNow(),
            ResetMethods.ForSecretKind(settings.Channel(body.Channel)!.SecretKind)));
        await bus.PublishAsync(new IssueRecoverySecret(requestId, body.Channel, PasswordChangeReasons.SelfReset, contact, null, Guid.NewGuid(), null));
        BuildingBlocks.ProductTelemetry.RecoveryRequests.Add(1, new KeyValuePair<string, object?>("channel", body.Channel));
        return TypedResults.Accepted((string?)null, new RecoveryRequestAccepted(requestId, body.Channel));
    }
}

public static class IssueRecoverySecretHandler
{
    /// <summary>
    /// The same work whatever the lookup found (one secret made, hashed and protected, one event, one scheduled expiry),
    /// so that nothing measurable tells a known login from an unknown one; only a deliverable request is sent.
    /// A lost race on an older request's stream (e.g. its code tried at the same moment) is simply run again.
    /// </summary>
    [RetryNow(typeof(ConcurrencyException), 50, 100, 250)]
    public static async Task<OutgoingMessages> Handle(
        IssueRecoverySecret command, IDocumentSession session, RecoverySettingsSource settings, RecoverySecrets secrets,
        IConfiguration configuration, IOptions<CodeFailureLimitOptions> codeFailureLimits, TimeProvider time, CancellationToken ct)
    {
        var outgoing = new OutgoingMessages();
        var stream = await session.Events.FetchForWriting<RecoveryRequest>(command.RequestId, ct);
        if (stream.Aggregate is not { State: RequestState.Requested }) return outgoing;
        var channel = settings.Channel(command.Channel) ?? throw new InvalidOperationException($"No recovery channel '{command.Channel}' is registered.");
        var now = time.GetUtcNow();
        var secret = await IssuedSecret.MakeAsync(command, channel, await settings.CurrentAsync(session, ct), secrets, now, ct);

        var contact = command.Contact;
        var capped = secret.IsCode && contact.AccountId is { } tallied
                     && (await session.LoadAsync<AccountCodeFailures>(tallied, ct))?.IsCapped(now, codeFailureLimits.Value) == true;
        var undeliverable = Issuing.UndeliverableReason(command, channel, configuration.GetValue<bool>("Recovery:AllowRootSelfService"), capped);
        // Under the account's lock: requests for one account are issued one at a time, so each sees the one before it.
        if (contact.AccountId is { } id && undeliverable is null or UndeliverableReasons.NoContact)
            await OpenRequests.SupersedeAsync(session, id, command.RequestId, command.RequestId, null, now, ct);

        if (undeliverable is not null)
        {
            stream.AppendOne(new ResetUndeliverable(command.RequestId, contact.AccountId, contact.Username, undeliverable, channel.SecretKind, secret.ExpiresAt, secret.MaxAttempts, now));
        }
        else
        {
            stream.AppendOne(secret.Issued(command, channel, now));
            // A proof channel sends nothing: the person holds the proof.
            if (!secret.IsProof) outgoing.Add(secret.Announcement(command, channel, ResetPage.BaseUrl(configuration)));
        }

        outgoing.Schedule(new ExpireRecoveryRequest(command.RequestId), secret.ExpiresAt);
        return outgoing;
    }
}

/// <summary>The rules of issuing, apart from the work: who gets nothing, and why.</summary>
internal static class Issuing
{
    /// <summary>Why nothing may be sent for this request, or null when its secret goes out.</summary>
    public static string? UndeliverableReason(IssueRecoverySecret command, RecoveryChannelDescriptorV1 channel, bool allowRootSelfService, bool accountCodesCapped)
    {
        var contact = command.Contact;
        if (contact.AccountId is null) return UndeliverableReasons.UnknownLogin;
        // ADR 0009: root recovers by the operator command or another root's reset, never self-service unless configured,
        // since an administrator may point mail and SMS at a server of their own.
        if (command.Initiator == PasswordChangeReasons.SelfReset && contact.Roles?.Contains(BuildingBlocks.Roles.Root) == true && !allowRootSelfService)
            return UndeliverableReasons.RootSelfServiceDisabled;
        // ADR 0009: an account that collected too many wrong codes gets no new ones until the window has passed.
        if (channel.SecretKind is RecoverySecretKinds.Code or RecoverySecretKinds.Proof && accountCodesCapped) return UndeliverableReasons.CodeFailuresExceeded;
        // A channel with an enrolment of its own judges the proof itself: an account without the enrolment fails there,
        // exactly like an unknown login.
        if (channel.Contact == RecoveryContactKinds.Enrolment) return null;
        return string.IsNullOrEmpty(AddressFor(contact, channel)) ? UndeliverableReasons.NoContact : null;
    }

    public static string? AddressFor(RecoveryContactV1 contact, RecoveryChannelDescriptorV1 channel) =>
        channel.Contact == RecoveryContactKinds.Phone ? contact.Phone : contact.Email;
}

/// <summary>A request's secret: made, hashed and protected for every request alike, sent only for a deliverable one.</summary>
internal sealed record IssuedSecret(bool IsCode, string Hash, string Protected, DateTimeOffset ExpiresAt, int LifetimeMinutes, int MaxAttempts, bool IsProof = false)
{
    public static async Task<IssuedSecret> MakeAsync(
        IssueRecoverySecret command, RecoveryChannelDescriptorV1 channel, RecoveryOptions options, RecoverySecrets secrets, DateTimeOffset now, CancellationToken ct)
    {
        // A proof channel's request lives and counts tries like a code's; its secret is made like one and never used.
        var isCode = channel.SecretKind is RecoverySecretKinds.Code or RecoverySecretKinds.Proof;
        var lifetime = isCode ? options.OtpLifetimeMinutes : options.LinkLifetimeMinutes;
        // A delayed message starts its lifetime when it goes out.
        var expiresAt = (command.SendAt is { } sendAt && sendAt > now ? sendAt : now).AddMinutes(lifetime);
        var secret = isCode ? secrets.NewCode(options.OtpLength) : secrets.NewToken();
        var hash = isCode ? await secrets.HashCodeAsync(command.RequestId, secret, ct) : secrets.HashToken(secret);
        return new IssuedSecret(isCode, hash, secrets.Protect(secret), expiresAt, lifetime, isCode ? options.OtpMaxAttempts : 0, channel.SecretKind == RecoverySecretKinds.Proof);
    }

    public object Issued(IssueRecoverySecret command, RecoveryChannelDescriptorV1 channel, DateTimeOffset now)
    {
        var (account, username) = (command.Contact.AccountId!.Value, command.Contact.Username ?? string.Empty);
        if (IsProof) return new ResetProofAwaited(command.RequestId, account, username, channel.Name, ExpiresAt, MaxAttempts, now);
        return IsCode
            ? new ResetCodeIssued(command.RequestId, account, username, channel.Name, Hash, ExpiresAt, MaxAttempts, command.NotificationId, now)
            : new ResetLinkIssued(command.RequestId, account, username, channel.Name, Hash, ExpiresAt, command.NotificationId, command.SendAt, now);
    }

    public RecoverySecretIssuedV1 Announcement(IssueRecoverySecret command, RecoveryChannelDescriptorV1 channel, string resetBaseUrl) => new(
        command.RequestId, command.Contact.AccountId!.Value, command.Contact.Username ?? string.Empty, channel.Name, channel.SecretKind, Protected,
        Issuing.AddressFor(command.Contact, channel)!, ExpiresAt, LifetimeMinutes, IsCode ? null : resetBaseUrl, command.NotificationId, command.SendAt, command.Initiator,
        ForRoot: command.Contact.Roles?.Contains(BuildingBlocks.Roles.Root) == true);
}

/// <summary>The reset page's address, from configuration only: never from a request's Host header.</summary>
public static class ResetPage
{
    public static string BaseUrl(IConfiguration configuration) =>
        $"{(configuration["App:PublicBaseUrl"] is { Length: > 0 } b ? b : "http://localhost:5000").TrimEnd('/')}/reset-password";
}
