using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Marten;
using JasperFx;
using Marten.Exceptions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BuildingBlocks;

/// <summary>The stored form of a hash key: protected by Data Protection, so the database alone cannot unwrap it.</summary>
public sealed class StoredHashKey
{
    public string Id { get; set; } = string.Empty;

    public string ProtectedKey { get; set; } = string.Empty;
}

/// <summary>
/// Keys for keyed hashes (HMAC-SHA256) of values with few bits or guessable inputs (one-time codes, typed logins), so
/// that a stolen table cannot be reversed by hashing every candidate. A key is the configuration value of its name
/// (base64, at least 32 bytes) when set, otherwise one generated once and kept in the database wrapped by Data
/// Protection, whose key ring lives outside the database; every node uses the same one.
/// </summary>
public sealed class HashKeys(IConfiguration configuration, IDocumentStore store, IDataProtectionProvider protection)
{
    private readonly ConcurrentDictionary<string, Task<byte[]>> keys = new();

    /// <param name="name">The key's name and configuration key, e.g. <c>Recovery:CodeHashKey</c>.</param>
    public async Task<byte[]> GetAsync(string name, CancellationToken ct)
    {
        var loading = keys.GetOrAdd(name, n => LoadAsync(n));
        try
        {
            return await loading.WaitAsync(ct);
        }
        catch when (loading.IsFaulted)
        {
            // A failed load (the database was away) is tried again by the next caller.
            keys.TryRemove(new KeyValuePair<string, Task<byte[]>>(name, loading));
            throw;
        }
    }

    /// <summary>HMAC-SHA256 of the text under the named key, in lower-case hex.</summary>
    public async Task<string> HashAsync(string name, string text, CancellationToken ct) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(await GetAsync(name, ct), Encoding.UTF8.GetBytes(text)));

    private async Task<byte[]> LoadAsync(string name)
    {
        if (configuration[name] is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            return bytes.Length >= 32 ? bytes : throw new InvalidOperationException($"{name} must hold at least 32 bytes (base64).");
        }

        var protector = protection.CreateProtector("HashKeys." + name);
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<StoredHashKey>(name) is { } stored) return protector.Unprotect(Convert.FromBase64String(stored.ProtectedKey));

        var fresh = RandomNumberGenerator.GetBytes(32);
        session.Insert(new StoredHashKey { Id = name, ProtectedKey = Convert.ToBase64String(protector.Protect(fresh)) });
        try
        {
            await session.SaveChangesAsync();
            return fresh;
        }
        catch (Exception e) when (e is DocumentAlreadyExistsException or MartenCommandException)
        {
            // Another node made it first; everyone uses that one.
            await using var again = store.QuerySession();
            var winner = await again.LoadAsync<StoredHashKey>(name) ?? throw new InvalidOperationException($"The hash key {name} could not be stored.", e);
            return protector.Unprotect(Convert.FromBase64String(winner.ProtectedKey));
        }
    }
}

public static class HashKeysRegistration
{
    /// <summary>Registers the shared <see cref="HashKeys"/> and their document; any module that needs one calls it.</summary>
    public static IServiceCollection AddHashKeys(this IServiceCollection services)
    {
        services.TryAddSingleton<HashKeys>();
        services.AddDataProtection();
        services.ConfigureMarten(opts => opts.Schema.For<StoredHashKey>().Identity(k => k.Id));
        return services;
    }
}
