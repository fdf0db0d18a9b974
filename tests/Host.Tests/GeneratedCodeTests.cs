using System.Diagnostics;
using Testing;

namespace Host.Tests;

/// <summary>
/// The host loads its Wolverine handler and endpoint code from src/Host/Internal/Generated (TypeLoadMode.Static).
/// When a handler, an endpoint or a policy changes without scripts/codegen.sh, the committed code no longer
/// matches what the host would generate, and this test says so.
/// </summary>
public sealed class GeneratedCodeTests
{
    [Fact]
    public async Task the_committed_generated_code_is_what_the_host_generates_today()
    {
        var committed = Path.Combine(HostProgram.RepositoryRoot, "src", "Host", "Internal", "Generated");
        var scratch = Directory.CreateTempSubdirectory("codegen-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = scratch, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { HostProgram.DllPath, "codegen", "write" }) start.ArgumentList.Add(arg);
            start.Environment["ConnectionStrings__Postgres"] = RecoveryHost.AdminConnectionString;
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"codegen write failed: {await output}{await errors}");

            var fresh = Path.Combine(scratch, "Internal", "Generated");
            var expected = Files(fresh);
            var actual = Files(committed);
            Assert.True(expected.Keys.SequenceEqual(actual.Keys),
                "Run scripts/codegen.sh: the generated files differ. Missing: " + string.Join(", ", expected.Keys.Except(actual.Keys)) +
                "; no longer generated: " + string.Join(", ", actual.Keys.Except(expected.Keys)));
            foreach (var (name, text) in expected)
                Assert.True(text == actual[name], $"Run scripts/codegen.sh: {name} is stale.");
        }
        finally
        {
            Directory.Delete(scratch, true);
        }
    }

    private static SortedDictionary<string, string> Files(string folder) =>
        new(Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n")), StringComparer.Ordinal);
}
