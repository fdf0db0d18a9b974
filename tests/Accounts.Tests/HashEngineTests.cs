using Accounts.Passwords;
using Marten;
using Microsoft.Extensions.Options;
using Testing;

namespace Accounts.Tests;

/// <summary>The managed (Isopoh) and native (libsodium) Argon2id engines write the same PHC strings and read each other's.</summary>
public class HashEngineTests
{
    private static PasswordHasher Hasher(string engine, int memoryKiB = 1024, int iterations = 1) =>
        new(Options.Create(new Argon2Options { Engine = engine, MemoryKiB = memoryKiB, Iterations = iterations }));

    [Theory]
    [InlineData(Argon2Engines.Managed, Argon2Engines.Native)]
    [InlineData(Argon2Engines.Native, Argon2Engines.Managed)]
    public async Task a_hash_written_by_one_engine_verifies_with_the_other(string writer, string reader)
    {
        var hash = await Hasher(writer).HashAsync("Juniper-Lighthouse-404");
        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", hash);
        Assert.True(await Hasher(reader).VerifyAsync(hash, "Juniper-Lighthouse-404"));
        Assert.False(await Hasher(reader).VerifyAsync(hash, "Juniper-Lighthouse-405"));
        Assert.False(Hasher(reader).NeedsRehash(hash));
        Assert.True(Hasher(reader, memoryKiB: 2048).NeedsRehash(hash));
    }

    [Fact]
    public void the_native_engine_refuses_a_parallelism_it_cannot_compute_and_unknown_engines_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new PasswordHasher(Options.Create(new Argon2Options { Engine = Argon2Engines.Native, Parallelism = 2 })));
        Assert.Throws<InvalidOperationException>(() => new PasswordHasher(Options.Create(new Argon2Options { Engine = "quantum" })));
    }
}

/// <summary>A host on the managed engine first, then one on the native engine with a higher cost, on one database.</summary>
public sealed class EngineSwitchTests(AccountsHost host) : IClassFixture<AccountsHost>
{
    [Fact]
    public async Task switching_to_the_native_engine_keeps_every_password_and_rehashes_it_at_the_next_sign_in()
    {
        var id = await host.CreateAccountAsync("switcher", "Juniper-Lighthouse-404");
        await using var native = await host.StartHostAsync(new Dictionary<string, string?>
        {
            ["Accounts:Argon2:Engine"] = "native",
            ["Accounts:Argon2:MemoryKiB"] = "2048",
        });

        var signIn = await native.Scenario(s =>
        {
            s.Post.Json(new { login = "switcher", password = "Juniper-Lighthouse-404" }).ToUrl("/api/auth/login");
            s.StatusCodeShouldBe(200);
        });

        await using var session = host.Service<IDocumentStore>().QuerySession();
        var rehashed = Assert.IsType<PasswordRehashed>(Assert.Single(await session.Events.FetchStreamAsync(id), e => e.Data is PasswordRehashed).Data);
        Assert.StartsWith("$argon2id$v=19$m=2048,t=1,p=1$", rehashed.PasswordHash);
        // The managed host reads what the native one wrote (and rehashes it back to its own cost).
        Assert.Equal(200, (await host.SendAsync(null, s => s.Post.Json(new { login = "switcher", password = "Juniper-Lighthouse-404" }).ToUrl("/api/auth/login"))).Context.Response.StatusCode);
    }
}
