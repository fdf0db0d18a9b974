using System.Diagnostics;
using System.Runtime;
using JasperFx.CommandLine;
using Microsoft.Extensions.DependencyInjection;

[assembly: JasperFx.JasperFxAssembly]

namespace Accounts.Passwords;

public sealed class MeasureHashingInput : NetCoreInput
{
    [Description("How long to hash, in seconds (default 10)")]
    public int SecondsFlag { get; set; } = 10;
}

/// <summary>
/// The hash engine's ceiling on this machine: as many Argon2id hashes as the configured engine and cost make, on all
/// the hasher's slots, with no HTTP and no database, in the runtime settings (GC mode) of the host itself. What a
/// sign-in can at best reach; the load benchmark (benchmarks/load) compares sign-ins per second with it.
/// </summary>
[Description("Measure Argon2id hashes per second with the configured engine and cost, on every core, without HTTP", Name = "measure-hashing")]
public sealed class MeasureHashingCommand : JasperFxAsyncCommand<MeasureHashingInput>
{
    public override async Task<bool> Execute(MeasureHashingInput input)
    {
        using var host = input.BuildHost();
        var hasher = host.Services.GetRequiredService<PasswordHasher>();
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Argon2Options>>().Value;
        var workers = options.MaxConcurrentHashes > 0 ? options.MaxConcurrentHashes : Environment.ProcessorCount;

        await hasher.HashAsync("warm-up-password"); // the engine's first run (and the decoy) are not counted
        var deadline = Stopwatch.StartNew();
        var seconds = Math.Max(1, input.SecondsFlag);
        var counts = await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var count = 0;
            while (deadline.Elapsed.TotalSeconds < seconds)
            {
                await hasher.HashAsync($"measure-{worker}-{count}");
                count++;
            }

            return count;
        })));
        var elapsed = deadline.Elapsed.TotalSeconds;
        var total = counts.Sum();
        Console.WriteLine(
            $"engine={options.Engine} m={options.MemoryKiB} t={options.Iterations} p={options.Parallelism} workers={workers} " +
            $"gc={(GCSettings.IsServerGC ? "server" : "workstation")} hashes={total} seconds={elapsed:F1} hashes_per_second={total / elapsed:F2} " +
            $"ms_per_hash_per_worker={elapsed * 1000 * workers / Math.Max(1, total):F1}");
        return true;
    }
}
