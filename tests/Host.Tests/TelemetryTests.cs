using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Alba;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Testing;

namespace Host.Tests;

/// <summary>A stand-in for an OpenTelemetry collector: it keeps every OTLP/HTTP body it is sent, by signal.</summary>
public sealed class CollectorStandIn : IAsyncDisposable
{
    private readonly WebApplication app;

    private CollectorStandIn(WebApplication app, int port) => (this.app, Port) = (app, port);

    public int Port { get; }

    public ConcurrentQueue<byte[]> Traces { get; } = new();

    public ConcurrentQueue<byte[]> Metrics { get; } = new();

    public static async Task<CollectorStandIn> StartAsync()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new CollectorStandIn(app, port);
        async Task<IResult> Keep(HttpRequest request, ConcurrentQueue<byte[]> into)
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            into.Enqueue(body.ToArray());
            return Results.Ok();
        }

        app.MapPost("/v1/traces", (HttpRequest r) => Keep(r, collector.Traces));
        app.MapPost("/v1/metrics", (HttpRequest r) => Keep(r, collector.Metrics));
        await app.StartAsync();
        return collector;
    }

    public static bool Holds(IEnumerable<byte[]> bodies, byte[] wanted) => bodies.Any(b => b.AsSpan().IndexOf(wanted) >= 0);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}

/// <summary>The host exporting to a collector stand-in, with short export intervals.</summary>
public sealed class TelemetryHost : RecoveryHost
{
    public CollectorStandIn Collector { get; private set; } = null!;

    public LogCapture Logs { get; } = new();

    public override async Task InitializeAsync()
    {
        Collector = await CollectorStandIn.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Collector.DisposeAsync();
    }

    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{Collector.Port}",
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["Logging:LogLevel:Default"] = "Trace",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
}

/// <summary>Every log line the host writes, at every level, formatted with its arguments as a sink would.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(lines, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{category} {logLevel} {formatter(state, exception)} {state} {exception}");
    }
}

public sealed class TelemetryTests(TelemetryHost host) : IClassFixture<TelemetryHost>
{
    [Fact]
    public async Task a_sign_in_and_a_reset_give_the_named_metrics_one_trace_from_the_request_to_the_delivery_and_no_secret_in_the_logs()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "Wolverine" or "Recovery.Service",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        const string password = "Lighthouse-Meadow-8142";
        const string newPassword = "Harbour-Juniper-5273";
        await host.CreateAccountAsync("otel", password, "otel@example.test");
        var token = await host.SignInAsync("otel", password);
        // The request carries a trace of its own (W3C traceparent), so that only its spans are looked at, whatever else
        // runs in this process meanwhile: the listener hears every host in it.
        var traceId = ActivityTraceId.CreateRandom();
        var requested = await host.SendAsync(null, s =>
        {
            s.WithRequestHeader("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            s.Post.Json(new { login = "otel", channel = "email-link" }).ToUrl("/api/recovery/requests");
        });
        Assert.Equal(202, requested.Context.Response.StatusCode);

        var link = await Wait.UntilAsync("the reset mail in the pickup folder", () => Task.FromResult(
            Directory.Exists(host.PickupDirectory)
                ? Directory.GetFiles(host.PickupDirectory, "*.eml").Select(File.ReadAllText).Select(t => Regex.Match(t, @"token=([A-Za-z0-9_\-]{20,})")).FirstOrDefault(m => m.Success)?.Groups[1].Value
                : null));
        var reset = await host.SendAsync(null, s => s.Post.Json(new { token = link, newPassword, confirmPassword = newPassword }).ToUrl("/api/recovery/reset"));
        Assert.Equal(204, reset.Context.Response.StatusCode);

        // One trace from the HTTP request to the delivery of its mail, across the durable queue.
        await Wait.UntilAsync("the request's span in its trace", () => Task.FromResult(
            spans.FirstOrDefault(a => a.TraceId == traceId && a.Source.Name == "Microsoft.AspNetCore" && a.DisplayName.Contains("/api/recovery/requests"))));
        Activity? delivery;
        try
        {
            delivery = await Wait.UntilAsync("the delivery's span in the same trace", () => Task.FromResult(
                spans.FirstOrDefault(a => a.TraceId == traceId && a.Source.Name == "Wolverine" && a.DisplayName.Contains("deliver-notification"))));
        }
        catch (TimeoutException e)
        {
            // Say which trace each of the handlers' spans landed in, so that a broken link in the chain can be found.
            var seen = spans.Where(a => a.Source.Name == "Wolverine").Select(a => $"{a.DisplayName} trace {a.TraceId} parent {a.ParentSpanId}");
            throw new TimeoutException($"{e.Message} The request's trace is {traceId}; Wolverine's spans: {string.Join("; ", seen)}", e);
        }

        Assert.Contains(spans, a => a.TraceId == traceId && a.DisplayName.Contains("IssueRecoverySecret"));
        Assert.NotNull(delivery);

        // The collector received the named metrics and that trace.
        var names = new[] { "recovery.sign_ins", "recovery.requests", "recovery.resets_completed", "recovery.messages", "recovery.delivery_delay", "recovery.hash_duration", "recovery.hashes_waiting", "recovery.durable_queue_depth" };
        foreach (var name in names)
            await Wait.UntilAsync($"the metric {name} at the collector", () => Task.FromResult(CollectorStandIn.Holds(host.Collector.Metrics, Encoding.UTF8.GetBytes(name)) ? name : null));
        var traceBytes = Convert.FromHexString(traceId.ToHexString());
        await Wait.UntilAsync("the trace at the collector", () => Task.FromResult(CollectorStandIn.Holds(host.Collector.Traces, traceBytes) ? "yes" : null));

        // Nothing secret in any log line, at any level.
        var logs = string.Join('\n', host.Logs.Lines);
        Assert.NotEmpty(host.Logs.Lines);
        foreach (var secret in new[] { password, newPassword, link!, token, RecoveryHost.RootPassword })
            Assert.DoesNotContain(secret, logs);
    }
}
