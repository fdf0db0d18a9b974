using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace BuildingBlocks;

/// <summary>
/// Fixed-window counters kept in PostgreSQL, so that every node of the service counts against the same limit:
/// N nodes are not N times the limit (docs/adr/0021). One row per key and window, written with one atomic upsert;
/// windows follow the product's clock.
/// </summary>
public sealed class SharedRateLimits(IDocumentStore store, TimeProvider time)
{
    private volatile bool tableReady;

    private string Table => $"{store.Options.DatabaseSchemaName}.rate_limit_windows";

    /// <summary>Counts one event for the key; how long to wait when it went past the permits, else null.</summary>
    public async Task<TimeSpan?> CountAsync(string key, int permits, int windowSeconds, CancellationToken ct)
    {
        var window = Window.Now(time, windowSeconds);
        return Wait(await ReadOrAddAsync(key, window, add: true, ct), permits, window);
    }

    /// <summary>How long to wait when the key has already used its permits, else null; counts nothing.</summary>
    public async Task<TimeSpan?> CheckAsync(string key, int permits, int windowSeconds, CancellationToken ct)
    {
        var window = Window.Now(time, windowSeconds);
        return Wait(await ReadOrAddAsync(key, window, add: false, ct) + 1, permits, window);
    }

    private static TimeSpan? Wait(long count, int permits, Window window) =>
        count <= Math.Max(permits, 1) ? null : window.Ends - window.At;

    /// <summary>The fixed window a moment falls in; every count and wait of one call uses the same one.</summary>
    private readonly record struct Window(DateTimeOffset At, DateTimeOffset Starts, DateTimeOffset Ends)
    {
        public static Window Now(TimeProvider time, int windowSeconds)
        {
            var length = TimeSpan.FromSeconds(Math.Max(windowSeconds, 1));
            var now = time.GetUtcNow();
            var starts = new DateTimeOffset(now.UtcTicks - now.UtcTicks % length.Ticks, TimeSpan.Zero);
            return new Window(now, starts, starts + length);
        }
    }

    private async Task<long> ReadOrAddAsync(string key, Window window, bool add, CancellationToken ct)
    {
        var (now, starts, ends) = window;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        if (!tableReady) await CreateTableAsync(connection, ct);
        await using var command = new NpgsqlCommand(add
            ? $"""
               insert into {Table} (key, window_start, window_end, count) values (@key, @starts, @ends, 1)
               on conflict (key, window_start) do update set count = {Table}.count + 1 returning count;
               """
            : $"select coalesce((select count from {Table} where key = @key and window_start = @starts), 0)", connection);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("starts", starts);
        command.Parameters.AddWithValue("ends", ends);
        var count = Convert.ToInt64(await command.ExecuteScalarAsync(ct));
        // Windows that have ended are swept now and then by whoever counts.
        if (add && Random.Shared.Next(200) == 0)
        {
            await using var sweep = new NpgsqlCommand($"delete from {Table} where window_end < @now", connection);
            sweep.Parameters.AddWithValue("now", now.AddHours(-1));
            await sweep.ExecuteNonQueryAsync(ct);
        }

        return count;
    }

    private async Task CreateTableAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
             select pg_advisory_xact_lock(hashtext('{Table}'));
             create schema if not exists {store.Options.DatabaseSchemaName};
             create table if not exists {Table} (
               key text not null,
               window_start timestamptz not null,
               window_end timestamptz not null,
               count bigint not null,
               primary key (key, window_start));
             """, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        tableReady = true;
    }
}

public static class SharedRateLimitsRegistration
{
    public static IServiceCollection AddSharedRateLimits(this IServiceCollection services)
    {
        services.TryAddSingleton<SharedRateLimits>();
        return services;
    }
}
