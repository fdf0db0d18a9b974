using Alba;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Testing;

/// <summary>
/// The real host (Program) through Alba, on a database of its own on the local PostgreSQL cluster.
/// One per test class (xunit class fixture); the database is dropped when the class is done.
/// </summary>
public class RecoveryHost : IAsyncLifetime
{
    public const string RootUsername = "root";
    public const string RootPassword = "Root-Passw0rd!x";

    private TokenAnswer? rootToken;
    private DateTimeOffset rootTokenUsedAt;
    private TimeProvider clock = TimeProvider.System;

    public IAlbaHost Host { get; private set; } = null!;

    public string DatabaseName { get; } = $"test_{Guid.NewGuid():N}"[..20];

    public string ConnectionString { get; private set; } = string.Empty;

    public string PickupDirectory { get; } = Path.Combine(Path.GetTempPath(), "recovery-tests", Guid.NewGuid().ToString("N"));

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("TEST_POSTGRES") is { Length: > 0 } cs ? cs : "Host=127.0.0.1;Port=15432;Database=postgres;Username=recovery";

    /// <summary>Settings every test host gets; override <see cref="Settings"/> to add or change some.</summary>
    protected virtual IDictionary<string, string?> Settings() => new Dictionary<string, string?>();

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task InitializeAsync()
    {
        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{DatabaseName}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = DatabaseName, MaxPoolSize = 30 }.ConnectionString;
        Host = await StartHostAsync();
        clock = Host.Services.GetRequiredService<TimeProvider>();
    }

    /// <summary>Starts another host on the same database (e.g. to prove that a restart loses nothing).</summary>
    public async Task<IAlbaHost> StartHostAsync(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = ConnectionString,
            ["Bootstrap:RootUsername"] = RootUsername,
            ["Bootstrap:RootPassword"] = RootPassword,
            ["Bootstrap:RootEmail"] = "root@example.test",
            ["Wolverine:Durability"] = "Solo",
            ["Mail:PickupDirectory"] = PickupDirectory,
            // Cheap hashes keep the suite fast; the production cost is measured by the benchmark.
            ["Accounts:Argon2:MemoryKiB"] = "1024",
            ["Accounts:Argon2:Iterations"] = "1",
            // Tests sign in far more often from one address than people do.
            ["Accounts:SignInRateLimit:PerAddressPermits"] = "100000",
        };
        foreach (var (key, value) in Settings()) settings[key] = value;
        if (extra is not null) foreach (var (key, value) in extra) settings[key] = value;

        JasperFxEnvironment.AutoStartHost = true;
        return await AlbaHost.For<Program>(builder =>
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.ConfigureServices(ConfigureServices);
        });
    }

    public virtual async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{DatabaseName}\" with (force)", admin);
        await drop.ExecuteNonQueryAsync();
        if (Directory.Exists(PickupDirectory)) Directory.Delete(PickupDirectory, true);
    }

    /// <summary>A root session, signed in again when the host's clock (which a test may move) has passed its expiry.</summary>
    public async Task<string> RootTokenAsync()
    {
        // Signed in again before the token's lifetime or its idle time (30 minutes by default) can end it.
        var now = clock.GetUtcNow();
        if (rootToken is null || now >= rootToken.ExpiresAt.AddMinutes(-1) || now - rootTokenUsedAt >= TimeSpan.FromMinutes(20))
        {
            var result = await Host.Scenario(s =>
            {
                s.Post.Json(new { login = RootUsername, password = RootPassword }).ToUrl("/api/auth/login");
                s.StatusCodeShouldBe(200);
            });
            rootToken = (await result.ReadAsJsonAsync<TokenAnswer>())!;
        }

        rootTokenUsedAt = now;
        return rootToken.Token;
    }

    public async Task<string> SignInAsync(string login, string password)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { login, password }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(200);
        });
        return (await result.ReadAsJsonAsync<TokenAnswer>())!.Token;
    }

    public async Task<Guid> CreateAccountAsync(
        string username, string password, string? email = null, string? phone = null, string[]? roles = null, bool mustChangePassword = false)
    {
        var token = await RootTokenAsync();
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { username, email = email ?? $"{username}@example.test", phone, roles = roles ?? ["user"], password, mustChangePassword })
                .ToUrl("/api/accounts");
            s.WithBearerToken(token);
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<IdAnswer>())!.Id;
    }

    /// <summary>A scenario sent with a bearer token, whose status is checked by the caller.</summary>
    public Task<IScenarioResult> SendAsync(string? token, Action<Scenario> configure) =>
        Host.Scenario(s =>
        {
            if (token is not null) s.WithBearerToken(token);
            s.IgnoreStatusCode();
            configure(s);
        });

    public T Service<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public sealed record TokenAnswer(string Token, DateTimeOffset ExpiresAt, bool MustChangePassword);

    public sealed record IdAnswer(Guid Id);
}
