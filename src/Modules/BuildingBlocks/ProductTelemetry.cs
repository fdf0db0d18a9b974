using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace BuildingBlocks;

/// <summary>
/// The product's own traces and metrics, exported by the host through OpenTelemetry when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set (docs/adr/0028). Tags never carry a login, an address, a token or a code: only channels, outcomes and kinds.
/// </summary>
public static class ProductTelemetry
{
    public const string Name = "Recovery.Service";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Sign-ins answered, by <c>outcome</c>: succeeded or failed (every refusal looks alike, as in the answer).</summary>
    public static readonly Counter<long> SignIns = Meter.CreateCounter<long>("recovery.sign_ins", description: "Sign-ins answered, by outcome");

    /// <summary>Recovery requests accepted, by <c>channel</c>.</summary>
    public static readonly Counter<long> RecoveryRequests = Meter.CreateCounter<long>("recovery.requests", description: "Recovery requests accepted, by channel");

    /// <summary>Passwords set by a recovery, by <c>channel</c> (or method) and <c>initiator</c> (self, admin, operator).</summary>
    public static readonly Counter<long> ResetsCompleted =
        Meter.CreateCounter<long>("recovery.resets_completed", description: "Password resets completed, by channel and initiator");

    /// <summary>Messages handed to their channel, by <c>channel</c> (email, sms, pickup) and <c>outcome</c> (sent, failed).</summary>
    public static readonly Counter<long> Messages = Meter.CreateCounter<long>("recovery.messages", description: "Messages sent or failed, by channel and outcome");

    /// <summary>From a message's request to its delivery, in seconds, by <c>channel</c>.</summary>
    public static readonly Histogram<double> DeliveryDelay =
        Meter.CreateHistogram<double>("recovery.delivery_delay", unit: "s", description: "Time from a message's request to its delivery");

    /// <summary>One Argon2id computation, in milliseconds.</summary>
    public static readonly Histogram<double> HashDuration = Meter.CreateHistogram<double>("recovery.hash_duration", unit: "ms", description: "Argon2id computation time");

    /// <summary>Requests refused by a rate limit (429), by <c>limit</c>: the route that refused.</summary>
    public static readonly Counter<long> RateLimitRefusals =
        Meter.CreateCounter<long>("recovery.rate_limit_refusals", description: "Requests refused by a rate limit, by route");

    /// <summary>Requests refused because every hashing thread was busy and the queue full (503), by route.</summary>
    public static readonly Counter<long> BusyRefusals = Meter.CreateCounter<long>("recovery.busy_refusals", description: "Requests refused with 503 busy");

    private static long hashesWaiting;
    private static long durableQueueDepth;

    static ProductTelemetry()
    {
        Meter.CreateObservableGauge("recovery.hashes_waiting", () => Interlocked.Read(ref hashesWaiting), description: "Hashes waiting for a hashing thread");
        Meter.CreateObservableGauge("recovery.durable_queue_depth", () => Interlocked.Read(ref durableQueueDepth),
            description: "Messages waiting in the durable inbox and outbox (sampled)");
    }

    public static void HashQueued() => Interlocked.Increment(ref hashesWaiting);

    public static void HashTaken() => Interlocked.Decrement(ref hashesWaiting);

    public static void DurableQueueDepth(long depth) => Interlocked.Exchange(ref durableQueueDepth, depth);
}
