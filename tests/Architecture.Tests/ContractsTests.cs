namespace Architecture.Tests;

/// <summary>Contracts assemblies are the published language: plain message data that any module can read.</summary>
public class ContractsTests
{
    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void contracts_hold_only_message_records_and_string_constants(string name)
    {
        var contracts = ModuleCatalog.Find(name).Contracts;

        Assert.Empty(BoundaryRules.NonMessageMembers(BoundaryRules.DefinedTypes(contracts)));
    }

    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void contracts_messages_carry_a_version_in_their_name(string name)
    {
        // The type name is the message's identity on the wire: a new shape is a new name (V2), never an edit.
        var contracts = ModuleCatalog.Find(name).Contracts;

        Assert.Empty(BoundaryRules.UnversionedMessageNames(BoundaryRules.DefinedTypes(contracts)));
    }

    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void contracts_need_no_framework_and_no_module_implementation(string name)
    {
        var contracts = ModuleCatalog.Find(name).Contracts;
        var forbidden = BoundaryRules.InfrastructurePrefixes.Concat(ModuleCatalog.Names).Append(ModuleCatalog.Host);

        // Other Contracts assemblies share a module's name as prefix and are allowed.
        var violations = BoundaryRules.AssemblyReferencesStartingWith(contracts, forbidden)
            .Where(v => !v.EndsWith(ModuleCatalog.ContractsSuffix, StringComparison.Ordinal))
            .ToList();

        Assert.Empty(violations);
    }

    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void contracts_types_use_no_type_of_any_module_implementation(string name)
    {
        var contracts = ModuleCatalog.Find(name).Contracts;
        var implementationTypes = ModuleCatalog.All.SelectMany(m => BoundaryRules.DefinedTypes(m.Implementation));

        Assert.Empty(BoundaryRules.ForbiddenTypeDependencies(contracts, implementationTypes));
    }

    [Theory]
    [MemberData(nameof(ModuleCatalog.NameData), MemberType = typeof(ModuleCatalog))]
    public void contracts_project_references_only_other_contracts(string name)
    {
        var project = System.Xml.Linq.XDocument.Load(ModuleCatalog.ProjectFile(name + ModuleCatalog.ContractsSuffix));

        Assert.All(BoundaryRules.ProjectReferences(project), r => Assert.EndsWith(ModuleCatalog.ContractsSuffix, r));
    }
}
