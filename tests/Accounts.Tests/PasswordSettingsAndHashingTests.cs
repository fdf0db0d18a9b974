using Accounts.Passwords;
using Alba;
using Marten;
using Testing;

namespace Accounts.Tests;

public sealed class PasswordPolicySettingsTests(AccountsHost host) : IClassFixture<AccountsHost>
{
    [Fact]
    public async Task the_policy_starts_with_the_documented_defaults()
    {
        var policy = await (await host.SendAsync(await host.RootTokenAsync(), s => s.Get.Url("/api/settings/password-policy"))).ReadAsJsonAsync<PasswordPolicy>();
        Assert.Equal(new PasswordPolicy(8, 128, true, true, true, true, true, true, 3, 5, 15), policy);
    }

    [Fact]
    public async Task a_policy_change_is_stored_as_an_event_with_its_actor_and_takes_effect()
    {
        var root = await host.RootTokenAsync();
        var relaxed = new PasswordPolicy(MinLength: 12, RequireSpecial: false, RequireUppercase: false);
        var put = await host.SendAsync(root, s => s.Put.Json(relaxed).ToUrl("/api/settings/password-policy"));
        Assert.Equal(200, put.Context.Response.StatusCode);

        var me = await (await host.SendAsync(root, s => s.Get.Url("/api/me"))).ReadAsJsonAsync<SigningInTests.MeAnswer>();
        await using var session = host.Service<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(Settings.PasswordPolicySettings.StreamId);
        var last = Assert.IsType<Settings.PasswordPolicyChanged>(events[^1].Data);
        Assert.Equal((relaxed, me!.Id), (last.Policy, last.ActorId));

        await host.CreateAccountAsync($"pol{Guid.NewGuid():N}"[..10], "lowercase-only-words-9");
        var tooShort = await host.SendAsync(root, s => s.Post.Json(new { username = $"pol{Guid.NewGuid():N}"[..10], roles = new[] { "user" }, password = "short-pw-9" }).ToUrl("/api/accounts"));
        Assert.Contains("too_short", (await Problem.ReadAsync(tooShort)).Violations);

        await host.SendAsync(root, s => s.Put.Json(PasswordPolicy.Default).ToUrl("/api/settings/password-policy"));
    }

    [Fact]
    public async Task an_impossible_policy_is_refused_and_only_admins_may_change_it()
    {
        var root = await host.RootTokenAsync();
        var bad = await Problem.ReadAsync(await host.SendAsync(root, s => s.Put.Json(new PasswordPolicy(MinLength: 20, MaxLength: 10)).ToUrl("/api/settings/password-policy")));
        Assert.Equal((400, "invalid_request"), (bad.Status, bad.Code));

        var name = $"pu{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(name, "Maple-Harvest-55");
        var user = await host.SignInAsync(name, "Maple-Harvest-55");
        Assert.Equal(403, (await host.SendAsync(user, s => s.Put.Json(PasswordPolicy.Default).ToUrl("/api/settings/password-policy"))).Context.Response.StatusCode);
    }

    [Fact]
    public async Task events_hold_no_password_in_clear()
    {
        var name = $"sec{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(name, "Secret-Orchid-Path-12");
        var token = await host.SignInAsync(name, "Secret-Orchid-Path-12");
        await host.SendAsync(token, s => s.Post.Json(new { currentPassword = "Secret-Orchid-Path-12", newPassword = "Hidden-Willow-Gate-34", confirmPassword = "Hidden-Willow-Gate-34" }).ToUrl("/api/me/password"));

        await using var connection = new Npgsql.NpgsqlConnection(host.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select string_agg(data::text, ' ') from recovery.mt_events", connection);
        var all = (string)(await command.ExecuteScalarAsync())!;
        Assert.Contains("$argon2id$", all);
        Assert.DoesNotContain("Secret-Orchid-Path-12", all);
        Assert.DoesNotContain("Hidden-Willow-Gate-34", all);
        Assert.DoesNotContain(token, all);
    }
}

/// <summary>Hashes made under older parameters are upgraded at the next sign-in; hashing is bounded in concurrency.</summary>
public sealed class HashingHost : RecoveryHost
{
    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?> { ["Accounts:Argon2:MaxConcurrentHashes"] = "2" };
}

public sealed class PasswordHashingTests(HashingHost host) : IClassFixture<HashingHost>
{
    [Fact]
    public async Task a_hash_with_outdated_parameters_is_upgraded_at_the_next_successful_sign_in()
    {
        var name = $"up{Guid.NewGuid():N}"[..10];
        var id = await host.CreateAccountAsync(name, "Harbor-Lights-Echo-8");

        await using var stronger = await host.StartHostAsync(new Dictionary<string, string?> { ["Accounts:Argon2:MemoryKiB"] = "2048", ["Accounts:Argon2:Iterations"] = "2" });
        var signIn = await stronger.Scenario(s => s.Post.Json(new { login = name, password = "Harbor-Lights-Echo-8" }).ToUrl("/api/auth/login"));
        Assert.Equal(200, signIn.Context.Response.StatusCode);

        await using var session = host.Service<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(id);
        var rehashed = Assert.Single(events.Select(e => e.Data).OfType<PasswordRehashed>());
        Assert.Contains("m=2048,t=2,p=1", rehashed.PasswordHash);

        // The upgraded hash signs in again without another upgrade.
        Assert.Equal(200, (await stronger.Scenario(s => s.Post.Json(new { login = name, password = "Harbor-Lights-Echo-8" }).ToUrl("/api/auth/login"))).Context.Response.StatusCode);
        Assert.Single((await session.Events.FetchStreamAsync(id)).Select(e => e.Data).OfType<PasswordRehashed>());
    }

    [Fact]
    public async Task a_burst_of_sign_ins_never_runs_more_hashes_at_once_than_allowed()
    {
        var name = $"burst{Guid.NewGuid():N}"[..10];
        await host.CreateAccountAsync(name, "Harbor-Lights-Echo-8");
        var client = host.Host.Server.CreateClient();

        var attempts = Enumerable.Range(0, 12).Select(i => client.PostAsync("/api/auth/login",
            System.Net.Http.Json.JsonContent.Create(new { login = i % 2 == 0 ? name : $"ghost{i}", password = "Harbor-Lights-Echo-8" })));
        await Task.WhenAll(attempts);

        var hasher = host.Service<PasswordHasher>();
        Assert.InRange(hasher.PeakConcurrentHashes, 1, 2);
    }
}
