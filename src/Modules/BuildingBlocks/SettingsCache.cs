using System.Collections.Concurrent;
using System.Diagnostics;
using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BuildingBlocks;

/// <summary>
/// The settings documents every request reads (password policy, recovery, mail, SMS), kept in memory so that a request
/// does not read them again and again. A commit on this node that appends to a settings stream drops every entry at
/// once; a change made through another node is seen here within <see cref="Lifetime"/> (docs/adr/0024).
/// </summary>
public sealed class SettingsCache
{
    /// <summary>How long another node's change can go unseen here.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<Guid, Entry> entries = new();
    private readonly ConcurrentDictionary<Guid, byte> watched = new();
    private long generation;

    /// <summary>The settings document of the stream, from memory when read recently and not changed since.</summary>
    public async Task<T?> LoadAsync<T>(IQuerySession session, Guid streamId, CancellationToken ct) where T : class
    {
        watched.TryAdd(streamId, 0);
        var current = Interlocked.Read(ref generation);
        if (entries.TryGetValue(streamId, out var entry) && entry.Generation == current && entry.Read.Elapsed < Lifetime && entry.Value is T or null)
            return (T?)entry.Value;

        var value = await session.LoadAsync<T>(streamId, ct);
        // Kept with the generation it was read in: a change committed meanwhile makes it stale at once.
        entries[streamId] = new Entry(value, current, Stopwatch.StartNew());
        return value;
    }

    /// <summary>Drops every entry; called after a commit that touched a settings stream.</summary>
    public void Invalidate() => Interlocked.Increment(ref generation);

    internal bool Watches(Guid streamId) => watched.ContainsKey(streamId);

    private sealed record Entry(object? Value, long Generation, Stopwatch Read);
}

/// <summary>Drops the cached settings after every commit on this node that appended to a settings stream.</summary>
internal sealed class SettingsCacheInvalidation(SettingsCache cache) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.GetEvents().Any(e => cache.Watches(e.StreamId))) cache.Invalidate();
        return Task.CompletedTask;
    }
}

public static class SettingsCacheRegistration
{
    public static IServiceCollection AddSettingsCache(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(SettingsCache))) return services;
        services.AddSingleton<SettingsCache>();
        services.ConfigureMarten((provider, opts) => opts.Listeners.Add(new SettingsCacheInvalidation(provider.GetRequiredService<SettingsCache>())));
        return services;
    }
}
