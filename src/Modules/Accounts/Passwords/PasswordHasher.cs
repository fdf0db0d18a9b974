using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Isopoh.Cryptography.Argon2;
using Isopoh.Cryptography.SecureArray;
using Microsoft.Extensions.Options;

namespace Accounts.Passwords;

/// <summary>Argon2id cost; defaults are OWASP's minimum (m = 19 MiB, t = 2, p = 1).</summary>
public sealed class Argon2Options
{
    public int MemoryKiB { get; set; } = 19_456;

    public int Iterations { get; set; } = 2;

    public int Parallelism { get; set; } = 1;

    /// <summary>How many hashes may run at once; each holds MemoryKiB of memory. 0 = the number of cores.</summary>
    public int MaxConcurrentHashes { get; set; }

    /// <summary>
    /// How many hashes may wait for a free slot; past that a request is answered 503 with Retry-After at once instead
    /// of piling up behind a burst. 0 = 8 per running slot: at the default cost a wait of about half a second, so that a
    /// burst of 200 sign-ins is answered (200 or 503) within seconds (docs/benchmarks.md).
    /// </summary>
    public int MaxQueuedHashes { get; set; }

    /// <summary>
    /// Which implementation computes Argon2id: <c>native</c> (libsodium through Geralt, parallelism 1 only; the default,
    /// docs/adr/0022) or <c>managed</c> (Isopoh.Cryptography.Argon2). Both write and read the same PHC strings, so an engine can be
    /// changed at any time; hashes made with other parameters are rehashed at the next sign-in as always.
    /// </summary>
    public string Engine { get; set; } = Argon2Engines.Native;
}

public static class Argon2Engines
{
    public const string Managed = "managed";
    public const string Native = "native";
}

/// <summary>
/// Hashes and verifies passwords with Argon2id. A semaphore bounds concurrent hashes so that a burst of
/// sign-ins queues instead of exhausting memory.
/// </summary>
public sealed class PasswordHasher : IDisposable
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    private readonly Argon2Options options;
    private readonly BlockingCollection<IHashWork> waiting;
    private readonly Task<string> decoy;
    private long hashesComputed;
    private int running;
    private int peakRunning;

    public PasswordHasher(IOptions<Argon2Options> options)
    {
        this.options = options.Value;
        if (this.options.Engine is not (Argon2Engines.Managed or Argon2Engines.Native))
            throw new InvalidOperationException($"Accounts:Argon2:Engine must be '{Argon2Engines.Managed}' or '{Argon2Engines.Native}'.");
        if (this.options.Engine == Argon2Engines.Native && this.options.Parallelism != 1)
            throw new InvalidOperationException("The native Argon2id engine (libsodium) computes with parallelism 1 only; set Accounts:Argon2:Parallelism to 1.");
        var concurrency = this.options.MaxConcurrentHashes > 0 ? this.options.MaxConcurrentHashes : Environment.ProcessorCount;
        waiting = new BlockingCollection<IHashWork>(this.options.MaxQueuedHashes > 0 ? this.options.MaxQueuedHashes : 8 * concurrency);
        // Hashes run on threads of their own, not the thread pool's: a burst of sign-ins then cannot starve the pool
        // that serves every other request (and the answers that refuse the burst).
        for (var i = 0; i < concurrency; i++)
            new Thread(Work) { IsBackground = true, Name = $"argon2-{i + 1}" }.Start();
        // Made once, in the background, so that even the first unknown login costs exactly one computation.
        decoy = Task.Run(() => Compute(RandomNumberGenerator.GetHexString(32)));
    }

    /// <summary>How many Argon2 computations this process has run (hashes and verifications).</summary>
    public long HashesComputed => Interlocked.Read(ref hashesComputed);

    /// <summary>The most Argon2 computations this process has had running at the same moment.</summary>
    public int PeakConcurrentHashes => Volatile.Read(ref peakRunning);

    public Task<string> HashAsync(string normalizedPassword, CancellationToken ct = default) =>
        RunAsync(() => Compute(normalizedPassword), ct);

    public Task<bool> VerifyAsync(string encodedHash, string normalizedPassword, CancellationToken ct = default) =>
        RunAsync(() => Verify(encodedHash, normalizedPassword), ct);

    /// <summary>Spends one verification on a decoy hash, so that an unknown login costs what a known one does.</summary>
    public async Task SpendDecoyAsync(string normalizedPassword, CancellationToken ct = default) =>
        await VerifyAsync(await decoy.WaitAsync(ct), normalizedPassword, ct);

    /// <summary>True when the hash was made with other parameters than the current ones.</summary>
    public bool NeedsRehash(string encodedHash)
    {
        // $argon2id$v=19$m=19456,t=2,p=1$salt$hash
        var parts = encodedHash.Split('$');
        if (parts.Length < 6 || parts[1] != "argon2id" || parts[2] != "v=19") return true;
        var expected = $"m={options.MemoryKiB},t={options.Iterations},p={options.Parallelism}";
        return parts[3] != expected;
    }

    private string Compute(string normalizedPassword) =>
        options.Engine == Argon2Engines.Native ? NativeArgon2.Hash(normalizedPassword, options) : ComputeManaged(normalizedPassword);

    private bool Verify(string encodedHash, string normalizedPassword) =>
        options.Engine == Argon2Engines.Native
            ? NativeArgon2.Verify(encodedHash, normalizedPassword)
            : Argon2.Verify(encodedHash, Encoding.UTF8.GetBytes(normalizedPassword), options.Parallelism, SecureArray.DefaultCall);

    private string ComputeManaged(string normalizedPassword)
    {
        var config = new Argon2Config
        {
            Type = Argon2Type.HybridAddressing,
            Version = Argon2Version.Nineteen,
            TimeCost = options.Iterations,
            MemoryCost = options.MemoryKiB,
            Lanes = options.Parallelism,
            Threads = options.Parallelism,
            Password = Encoding.UTF8.GetBytes(normalizedPassword),
            Salt = RandomNumberGenerator.GetBytes(SaltBytes),
            HashLength = HashBytes,
            ClearPassword = true,
        };
        using var argon2 = new Argon2(config);
        using var hash = argon2.Hash();
        return config.EncodeString(hash.Buffer);
    }

    /// <summary>The hashing threads finish what waits, then end.</summary>
    public void Dispose() => waiting.CompleteAdding();

    private Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        var item = new HashWork<T>(work, ct);
        // Every thread is busy and the line of waiting hashes is full: refuse at once rather than pile up.
        if (waiting.IsAddingCompleted) throw new ObjectDisposedException(nameof(PasswordHasher));
        if (!waiting.TryAdd(item))
            throw new BuildingBlocks.ServiceBusyException("Every password hashing thread is busy and the queue of waiting hashes is full.");
        BuildingBlocks.ProductTelemetry.HashQueued();
        return item.Result;
    }

    private void Work()
    {
        foreach (var item in waiting.GetConsumingEnumerable())
        {
            BuildingBlocks.ProductTelemetry.HashTaken();
            if (item.Cancelled) continue;
            Interlocked.Increment(ref hashesComputed);
            var now = Interlocked.Increment(ref running);
            int peak;
            while (now > (peak = Volatile.Read(ref peakRunning)) && Interlocked.CompareExchange(ref peakRunning, now, peak) != peak)
            {
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                item.Run();
            }
            finally
            {
                Interlocked.Decrement(ref running);
                BuildingBlocks.ProductTelemetry.HashDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    private interface IHashWork
    {
        bool Cancelled { get; }

        void Run();
    }

    private sealed class HashWork<T>(Func<T> work, CancellationToken ct) : IHashWork
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Result => completion.Task;

        public bool Cancelled => ct.IsCancellationRequested && completion.TrySetCanceled(ct);

        public void Run()
        {
            try
            {
                completion.TrySetResult(work());
            }
            catch (Exception e)
            {
                completion.TrySetException(e);
            }
        }
    }
}

/// <summary>
/// Argon2id by libsodium (through Geralt): no managed allocation for the memory-hard work, so no garbage collection per
/// hash. Its encoded form is the PHC string Isopoh writes ($argon2id$v=19$m=..,t=..,p=1$salt$hash, 16-byte salt,
/// 32-byte hash), so each engine verifies the other's hashes.
/// </summary>
internal static class NativeArgon2
{
    public static string Hash(string normalizedPassword, Argon2Options options)
    {
        Span<char> encoded = stackalloc char[Geralt.Argon2id.HashSize];
        Geralt.Argon2id.ComputeHash(encoded, Encoding.UTF8.GetBytes(normalizedPassword), options.Iterations, options.MemoryKiB * 1024);
        return new string(encoded).TrimEnd('\0');
    }

    public static bool Verify(string encodedHash, string normalizedPassword) =>
        encodedHash.Length <= Geralt.Argon2id.HashSize && encodedHash.StartsWith("$argon2id$", StringComparison.Ordinal)
        && Geralt.Argon2id.VerifyHash(encodedHash, Encoding.UTF8.GetBytes(normalizedPassword));
}
