namespace Testing;

/// <summary>
/// The host's own build output (src/Host/bin/&lt;configuration&gt;/&lt;framework&gt;/Host.dll), for tests that run the host as
/// a separate process the way an operator does. A test project's output folder holds a copy of Host.dll too, but
/// next to the test's own dependencies, which the host's command line scans and which are not the host's.
/// </summary>
public static class HostProgram
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string DllPath { get; } = FindDll();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Monolith.sln"))) return dir.FullName;
        throw new InvalidOperationException("Monolith.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindDll()
    {
        // AppContext.BaseDirectory is .../bin/<configuration>/<framework>/
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var dll = Path.Combine(RepositoryRoot, "src", "Host", "bin", configuration, framework.Name, "Host.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the host first", dll);
    }
}
