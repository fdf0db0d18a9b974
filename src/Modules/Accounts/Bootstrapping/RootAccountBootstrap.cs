using Accounts.Passwords;
using BuildingBlocks;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Accounts.Bootstrapping;

public sealed class BootstrapOptions
{
    public string RootUsername { get; set; } = "root";

    public string? RootEmail { get; set; }

    public string? RootPassword { get; set; }
}

/// <summary>Creates the root account from Bootstrap__* configuration when no root account exists.</summary>
internal sealed class RootAccountBootstrap(
    IDocumentStore store, PasswordHasher hasher, IOptions<BootstrapOptions> options, TimeProvider time, ILogger<RootAccountBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await using var session = store.LightweightSession();
        var anyRoot = await session.Query<Account>().AnyAsync(a => a.Roles.Contains(Roles.Root), ct);
        if (anyRoot) return;
        if (string.IsNullOrEmpty(settings.RootPassword))
        {
            logger.LogWarning("No root account exists and Bootstrap__RootPassword is not set; set it (or use the set-password command) to sign in.");
            return;
        }

        var username = settings.RootUsername.Trim();
        var normalized = Account.Normalize(username);
        if (await session.Query<Account>().AnyAsync(a => a.NormalizedUsername == normalized, ct))
        {
            logger.LogWarning("An account named {Username} exists but is not root; the bootstrap root account was not created.", username);
            return;
        }

        var id = Guid.NewGuid();
        var hash = await hasher.HashAsync(PasswordText.Normalize(settings.RootPassword), ct);
        session.Events.StartStream<Account>(id, new AccountRegistered(id, username, settings.RootEmail, null, [Roles.Root], hash, false, null, time.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        logger.LogInformation("Created the root account {Username}.", username);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
