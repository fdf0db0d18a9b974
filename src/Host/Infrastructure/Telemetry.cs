using BuildingBlocks;
using Marten;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Host.Infrastructure;

/// <summary>
/// OpenTelemetry through its .NET SDK, configured by the standard <c>OTEL_*</c> variables (docs/adr/0028): traces from
/// HTTP through Wolverine's handlers and Marten's and Npgsql's commands to SMTP and SMS, the product's metrics
/// (<see cref="ProductTelemetry"/>), ASP.NET Core's and Wolverine's. Exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; nothing is exported otherwise.
/// </summary>
internal static class Telemetry
{
    public static bool Exporting(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    public static IServiceCollection AddProductTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var builder = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "password-recovery"))
            .WithTracing(t => t
                .AddSource(ProductTelemetry.Name, "Wolverine", "Marten")
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(ProductTelemetry.Name, "Wolverine", "Marten")
                .AddAspNetCoreInstrumentation());
        if (Exporting(configuration)) builder.UseOtlpExporter();
        services.AddHostedService<DurableQueueSampler>();
        return services;
    }
}

/// <summary>Samples the durable inbox and outbox every few seconds for <c>recovery.durable_queue_depth</c>.</summary>
internal sealed class DurableQueueSampler(IDocumentStore store, IConfiguration configuration, ILogger<DurableQueueSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Telemetry.Exporting(configuration)) return;
        var schema = store.Options.DatabaseSchemaName;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        do
        {
            try
            {
                await using var connection = store.Storage.Database.CreateConnection();
                await connection.OpenAsync(stoppingToken);
                await using var command = new NpgsqlCommand(
                    $"select (select count(*) from {schema}.wolverine_incoming_envelopes where status = 'Incoming') + (select count(*) from {schema}.wolverine_outgoing_envelopes)",
                    connection);
                ProductTelemetry.DurableQueueDepth(Convert.ToInt64(await command.ExecuteScalarAsync(stoppingToken)));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogDebug(e, "The durable queue could not be sampled.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
