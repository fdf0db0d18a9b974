using System.Reflection;

namespace Architecture.Tests;

/// <summary>
/// The modules the rules cover. A new module (e.g. a new recovery channel) is covered by adding its name here
/// and its two projects to this test project; <see cref="CatalogTests"/> fails until both are done.
/// </summary>
public static class ModuleCatalog
{
    public static readonly string[] Names = ["Accounts", "Audit", "Authenticator", "Notifications", "Recovery", "RecoveryCodes"];

    public const string BuildingBlocks = "BuildingBlocks";
    public const string Host = "Host";
    public const string ContractsSuffix = ".Contracts";

    public static IEnumerable<Module> All => Names.Select(Module.Named);

    public static TheoryData<string> NameData => new(Names);

    public static Module Find(string name) => Module.Named(name);

    /// <summary>The repository's root, found from the test's output folder.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Monolith.sln"))) return dir.FullName;
            throw new InvalidOperationException("Monolith.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string ProjectFile(string projectName) =>
        projectName == Host
            ? Path.Combine(RepositoryRoot, "src", "Host", "Host.csproj")
            : Path.Combine(RepositoryRoot, "src", "Modules", projectName, projectName + ".csproj");
}

/// <summary>One module: its implementation assembly (internal rules) and its Contracts assembly (public messages).</summary>
public sealed record Module(string Name)
{
    public static Module Named(string name) => new(name);

    public string ContractsName => Name + ModuleCatalog.ContractsSuffix;

    /// <summary>The seams the Host may use: the module's public static <c>...Module</c> classes (normally one).</summary>
    public IReadOnlyList<Type> Seams =>
        Implementation.GetExportedTypes().Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Module", StringComparison.Ordinal)).ToList();

    public Assembly Implementation => Assembly.Load(new AssemblyName(Name));

    public Assembly Contracts => Assembly.Load(new AssemblyName(ContractsName));

    public override string ToString() => Name;
}
