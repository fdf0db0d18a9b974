using System.Reflection;

namespace Architecture.Tests;

/// <summary>The Host composes modules through their seams and holds no business rules of its own.</summary>
public class HostTests
{
    private static Assembly HostAssembly => Assembly.Load(new AssemblyName(ModuleCatalog.Host));

    [Fact]
    public void host_uses_no_module_type_but_the_seams()
    {
        // Wolverine's pre-generated handler code (Internal.Generated, ADR 0013) calls the modules' handlers by design;
        // it is written by scripts/codegen.sh, not by hand.
        var handWritten = BoundaryRules.ForbiddenTypeDependencies(HostAssembly, ModuleInternals())
            .Where(t => !t.StartsWith("Internal.Generated.", StringComparison.Ordinal));
        Assert.Empty(handWritten);
    }

    [Fact]
    public void host_composes_every_module_of_the_catalog()
    {
        var project = System.Xml.Linq.XDocument.Load(ModuleCatalog.ProjectFile(ModuleCatalog.Host));
        var referenced = BoundaryRules.ProjectReferences(project);

        Assert.All(ModuleCatalog.Names, name => Assert.Contains(name, referenced));
        Assert.All(ModuleCatalog.All, m => Assert.Single(m.Seams));
    }

    /// <summary>Every type of every module implementation, except the module's seam class.</summary>
    public static IEnumerable<Type> ModuleInternals() =>
        ModuleCatalog.All.SelectMany(m => BoundaryRules.DefinedTypes(m.Implementation).Except(m.Seams));
}
