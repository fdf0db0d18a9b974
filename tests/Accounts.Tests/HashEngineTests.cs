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

/// <summary>A host on the managed engine (the default is native).</summary>
public sealed class ManagedEngineHost : RecoveryHost
{
    protected override IDictionary<string, string?> Settings() => new Dictionary<string, string?> { ["Accounts:Argon2:Engine"] = "managed" };
}

/// <summary>A host on the managed engine first, then one on the native engine with a higher cost, on one database.</summary>
public sealed class EngineSwitchTests(ManagedEngineHost host) : IClassFixture<ManagedEngineHost>
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

/// <summary>A burst beyond the hashing slots and their queue is turned away at once instead of piling up.</summary>
public class HashQueueTests
{
    [Fact]
    public async Task with_every_slot_busy_and_the_queue_full_a_hash_is_refused_at_once_and_the_rest_complete()
    {
        // Each hash takes about a second (t = 200 where the default is 2), so that the first is still running when the
        // third arrives even if a loaded machine holds this thread back for a while between the calls.
        var hasher = new PasswordHasher(Options.Create(new Argon2Options { MaxConcurrentHashes = 1, MaxQueuedHashes = 1, Iterations = 200 }));
        var running = hasher.HashAsync("first-of-three-1");   // taken by the one hashing thread
        Assert.True(SpinWait.SpinUntil(() => hasher.PeakConcurrentHashes == 1, TimeSpan.FromSeconds(10)));
        var waiting = hasher.HashAsync("second-of-three-2");  // waits in the one place in line
        await Assert.ThrowsAsync<BuildingBlocks.ServiceBusyException>(() => hasher.HashAsync("third-of-three-3"));
        Assert.StartsWith("$argon2id$", await running);
        Assert.StartsWith("$argon2id$", await waiting);
        Assert.StartsWith("$argon2id$", await hasher.HashAsync("after-the-burst-4"));
    }
}
