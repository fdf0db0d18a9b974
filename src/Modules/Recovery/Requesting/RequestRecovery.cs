using Accounts.Contracts;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
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
/// Issue the secret of a recorded request. Self-service requests name a login; an administrator's name the account.
/// Carries nothing secret, so it may wait in a durable queue.
/// </summary>
public sealed record IssueRecoverySecret(
    Guid RequestId, string Channel, string Initiator, string? Login, Guid? AccountId, Guid? ActorId, Guid NotificationId, DateTimeOffset? SendAt);

public static class RequestRecoveryEndpoints
{
    [WolverineGet("/api/recovery/channels", OperationId = "getRecoveryChannels")]
    public static async Task<RecoveryChannelsAnswer> Channels(IQuerySession session, RecoverySettingsSource settings, CancellationToken ct)
    {
        var options = await settings.CurrentAsync(session, ct);
        return new RecoveryChannelsAnswer(options.Channels.Where(c => settings.Channel(c) is not null).ToArray());
    }

    /// <summary>
    /// Only records the request and hands the work to a message, so the answer and its timing are the same
    /// whether the login exists, has the address the channel needs, or not.
    /// </summary>
    [WolverinePost("/api/recovery/requests", OperationId = "requestRecovery")]
    [EnableRateLimiting(RecoveryRateLimits.RequestsPolicy)]
    public static async Task<IResult> Request(
        RecoveryRequestBody body, IDocumentSession session, RecoverySettingsSource settings, RecoveryRateLimits limits,
        TimeProvider time, HttpContext http, IMessageBus bus, CancellationToken ct)
    {
        var login = body.Login?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(login) || login.Length > 320) return BuildingBlocks.Problems.BadRequest("invalid_request", "A login (username or email) is required.");
        var options = await settings.CurrentAsync(session, ct);
        if (body.Channel is null || !options.Channels.Contains(body.Channel) || settings.Channel(body.Channel) is null)
            return BuildingBlocks.Problems.BadRequest("channel_disabled", "This recovery channel is not enabled.");
        if (!limits.TryAcquireForLogin(login, out var retryAfter)) return RecoveryRateLimits.TooMany(http, retryAfter);

        var requestId = Guid.NewGuid();
        session.Events.StartStream<RecoveryRequest>(requestId, new ResetRequested(
            requestId, body.Channel, PasswordChangeReasons.SelfReset, null, null, null, http.Connection.RemoteIpAddress?.ToString(), null, time.GetUtcNow()));
        await bus.PublishAsync(new IssueRecoverySecret(requestId, body.Channel, PasswordChangeReasons.SelfReset, login, null, null, Guid.NewGuid(), null));
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
    public static async Task Handle(
        IssueRecoverySecret command, IDocumentSession session, IMessageBus bus, RecoverySettingsSource settings, RecoverySecrets secrets,
        IConfiguration configuration, IOptions<CodeFailureLimitOptions> codeFailureLimits, TimeProvider time, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<RecoveryRequest>(command.RequestId, ct);
        if (stream.Aggregate is not { State: RequestStates.Requested }) return;
        var channel = settings.Channel(command.Channel) ?? throw new InvalidOperationException($"No recovery channel '{command.Channel}' is registered.");
        var options = await settings.CurrentAsync(session, ct);

        var contact = command.AccountId is { } accountId
            ? await bus.InvokeAsync<RecoveryContactV1>(new FindRecoveryContactByIdV1(accountId), ct)
            : await bus.InvokeAsync<RecoveryContactV1>(new FindRecoveryContactV1(command.Login ?? string.Empty), ct);

        var isCode = channel.SecretKind == RecoverySecretKinds.Code;
        var lifetime = isCode ? options.OtpLifetimeMinutes : options.LinkLifetimeMinutes;
        var now = time.GetUtcNow();
        // A delayed message starts its lifetime when it goes out.
        var expiresAt = (command.SendAt is { } sendAt && sendAt > now ? sendAt : now).AddMinutes(lifetime);
        var secret = isCode ? secrets.NewCode(options.OtpLength) : secrets.NewToken();
        var hash = isCode ? await secrets.HashCodeAsync(command.RequestId, secret, ct) : secrets.HashToken(secret);
        var protectedSecret = secrets.Protect(secret);
        // ADR 0009: root recovers by the operator command or another root's reset, never self-service unless configured,
        // since an administrator may point mail and SMS at a server of their own.
        var rootRefused = command.Initiator == PasswordChangeReasons.SelfReset && contact.Roles?.Contains(BuildingBlocks.Roles.Root) == true
                          && !configuration.GetValue<bool>("Recovery:AllowRootSelfService");
        // ADR 0009: an account that collected too many wrong codes gets no new ones until the window has passed.
        var codesRefused = isCode && !rootRefused && contact.AccountId is { } tallied
                           && (await session.LoadAsync<AccountCodeFailures>(tallied, ct))?.IsCapped(now, codeFailureLimits.Value) == true;
        var refused = rootRefused || codesRefused;
        var to = refused ? null : channel.Contact == RecoveryContactKinds.Phone ? contact.Phone : contact.Email;

        if (contact.AccountId is { } id && !refused)
        {
            // Under the account's lock: requests for one account are issued one at a time, so each sees the one before it.
            await OpenRequests.SupersedeAsync(session, id, command.RequestId, command.RequestId, null, now, ct);
        }

        if (contact.AccountId is not { } account || string.IsNullOrEmpty(to))
        {
            var reason = contact.AccountId is null ? UndeliverableReasons.UnknownLogin
                : rootRefused ? UndeliverableReasons.RootSelfServiceDisabled
                : codesRefused ? UndeliverableReasons.CodeFailuresExceeded
                : UndeliverableReasons.NoContact;
            stream.AppendOne(new ResetUndeliverable(command.RequestId, contact.AccountId, contact.Username, reason, channel.SecretKind, expiresAt, isCode ? options.OtpMaxAttempts : 0, now));
        }
        else
        {
            var username = contact.Username ?? string.Empty;
            stream.AppendOne(isCode
                ? new ResetCodeIssued(command.RequestId, account, username, channel.Name, hash, expiresAt, options.OtpMaxAttempts, command.NotificationId, now)
                : new ResetLinkIssued(command.RequestId, account, username, channel.Name, hash, expiresAt, command.NotificationId, command.SendAt, now));
            await bus.PublishAsync(new RecoverySecretIssuedV1(
                command.RequestId, account, username, channel.Name, channel.SecretKind, protectedSecret, to, expiresAt, lifetime,
                isCode ? null : ResetPage.BaseUrl(configuration), command.NotificationId, command.SendAt, command.Initiator));
        }

        await bus.ScheduleAsync(new ExpireRecoveryRequest(command.RequestId), expiresAt);
    }
}

/// <summary>The reset page's address, from configuration only: never from a request's Host header.</summary>
public static class ResetPage
{
    public static string BaseUrl(IConfiguration configuration) =>
        $"{(configuration["App:PublicBaseUrl"] is { Length: > 0 } b ? b : "http://localhost:5000").TrimEnd('/')}/reset-password";
}
