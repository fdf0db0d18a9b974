using Accounts.Passwords;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;

namespace Benchmarks;

/// <summary>
/// One Argon2id hash and one verification through the Accounts module's <see cref="PasswordHasher"/>,
/// at the default cost (OWASP's minimum) and at a cheaper and a dearer one, to size the sign-in capacity.
/// </summary>
[MemoryDiagnoser]
public class PasswordHashing
{
    private const string Password = "correct horse battery staple 7!";

    private PasswordHasher hasher = null!;
    private string stored = string.Empty;

    /// <summary>Memory in KiB / iterations / lanes. 19456/2/1 is the default; 1024/1/1 is what the test suite uses.</summary>
    [Params("1024/1/1", "19456/2/1", "47104/1/1", "65536/3/1")]
    public string Cost { get; set; } = "19456/2/1";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Cost.Split('/').Select(int.Parse).ToArray();
        hasher = new PasswordHasher(Options.Create(new Argon2Options
        {
            MemoryKiB = parts[0],
            Iterations = parts[1],
            Parallelism = parts[2],
        }));
        stored = hasher.HashAsync(Password).GetAwaiter().GetResult();
    }

    [Benchmark]
    public Task<string> Hash() => hasher.HashAsync(Password);

    [Benchmark]
    public Task<bool> Verify() => hasher.VerifyAsync(stored, Password);
}
