using Accounts.Passwords;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;

namespace Benchmarks;

/// <summary>The two Argon2id engines side by side at the default cost (m = 19 MiB, t = 2, p = 1): one hash, one verification.</summary>
[MemoryDiagnoser]
public class HashEngines
{
    private const string Password = "correct horse battery staple 7!";

    private PasswordHasher hasher = null!;
    private string stored = string.Empty;

    [Params(Argon2Engines.Managed, Argon2Engines.Native)]
    public string Engine { get; set; } = Argon2Engines.Managed;

    [GlobalSetup]
    public void Setup()
    {
        hasher = new PasswordHasher(Options.Create(new Argon2Options { Engine = Engine }));
        stored = hasher.HashAsync(Password).GetAwaiter().GetResult();
    }

    [Benchmark]
    public Task<string> Hash() => hasher.HashAsync(Password);

    [Benchmark]
    public Task<bool> Verify() => hasher.VerifyAsync(stored, Password);
}
