using System.Xml.Linq;

namespace Architecture.Tests;

/// <summary>Modules know each other only through Contracts messages (ADR 0001).</summary>
public class ModuleBoundaryTests
{
    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void a_module_references_no_other_modules_implementation_assembly(string name)
    {
        var module = ModuleCatalog.Find(name);
        var others = ModuleCatalog.All.Where(m => m != module).Select(m => m.Name);

        Assert.Empty(BoundaryRules.ForbiddenAssemblyReferences(module.Implementation, others));
    }

    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void a_modules_types_use_no_type_of_another_modules_implementation(string name)
    {
        var module = ModuleCatalog.Find(name);
        var otherTypes = ModuleCatalog.All.Where(m => m != module).SelectMany(m => BoundaryRules.DefinedTypes(m.Implementation));

        Assert.Empty(BoundaryRules.ForbiddenTypeDependencies(module.Implementation, otherTypes));
    }

    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void a_module_project_references_only_building_blocks_and_contracts(string name)
    {
        var project = XDocument.Load(ModuleCatalog.ProjectFile(name));

        Assert.Empty(BoundaryRules.NonSeamProjectReferences(name, project));
    }

    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void a_modules_compiled_references_are_only_building_blocks_and_contracts(string name)
    {
        // The compiler drops references nobody uses; this catches the ones that are used, from any project file.
        var module = ModuleCatalog.Find(name);
        var productAssemblies = ModuleCatalog.All.Select(m => m.Name).Append(ModuleCatalog.Host);

        Assert.Empty(BoundaryRules.ForbiddenAssemblyReferences(module.Implementation, productAssemblies));
    }
}
