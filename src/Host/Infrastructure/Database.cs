using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Host.Infrastructure;

internal static class Database
{
    /// <summary>The local cluster that scripts/run.sh starts; ConnectionStrings__Postgres overrides it.</summary>
    public const string LocalCluster = "Host=127.0.0.1;Port=15432;Database=recovery;Username=recovery";

    /// <summary>
    /// The configured connection string, with Npgsql's reset on returning a connection to the pool turned off unless the
    /// string says otherwise: the product keeps no session state on pooled connections (its advisory locks are
    /// transaction-scoped), and the reset cost a round trip (DISCARD ALL) on every use, a quarter of the statements of a
    /// recovery request (docs/benchmarks.md).
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("Postgres") is { Length: > 0 } value ? value : LocalCluster;
        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (!configured.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)
            && !configured.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
            builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }
}

/// <summary>Ready when PostgreSQL answers and the event store's tables are in place.</summary>
public sealed class DatabaseReadiness(IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Database.ConnectionString(configuration));
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select to_regclass('recovery.mt_events') is not null", connection);
            return await command.ExecuteScalarAsync(ct) is true
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The event store's schema is not in place.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.", e);
        }
    }
}
