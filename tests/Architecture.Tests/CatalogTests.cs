namespace Architecture.Tests;

/// <summary>Keeps <see cref="ModuleCatalog"/> honest, so that a new module cannot slip past the rules.</summary>
public class CatalogTests
{
    [Fact]
    public void every_module_project_is_in_the_catalog()
    {
        var folders = Directory.GetDirectories(Path.Combine(ModuleCatalog.RepositoryRoot, "src", "Modules"))
            .Select(Path.GetFileName)
            .Where(f => f != ModuleCatalog.BuildingBlocks)
            .Select(f => f!.EndsWith(ModuleCatalog.ContractsSuffix, StringComparison.Ordinal) ? f[..^ModuleCatalog.ContractsSuffix.Length] : f)
            .Distinct()
            .Order();

        Assert.Equal(folders, ModuleCatalog.Names.Order());
    }

    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void every_catalogued_module_has_an_implementation_and_a_contracts_assembly(string name)
    {
        var module = ModuleCatalog.Find(name);

        Assert.NotEmpty(BoundaryRules.DefinedTypes(module.Implementation));
        Assert.NotNull(module.Contracts);
    }

    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void the_container_build_restores_every_catalogued_module(string name)
    {
        // The Dockerfile copies project files one by one before restore, so that the package layer is cached.
        var dockerfile = File.ReadAllText(Path.Combine(ModuleCatalog.RepositoryRoot, "src", "Host", "Dockerfile"));

        Assert.Contains($"COPY src/Modules/{name}/{name}.csproj ", dockerfile);
        Assert.Contains($"COPY src/Modules/{name}{ModuleCatalog.ContractsSuffix}/{name}{ModuleCatalog.ContractsSuffix}.csproj ", dockerfile);
    }
}
