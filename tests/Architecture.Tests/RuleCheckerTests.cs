using System.Reflection;
using System.Xml.Linq;
using Architecture.Tests.Fixtures.BadContracts;
using Architecture.Tests.Fixtures.GoodContracts;

namespace Architecture.Tests;

/// <summary>
/// The checker itself is checked: each rule is run against a fixture that breaks it and must report it,
/// and against one that keeps it and must stay quiet.
/// </summary>
public class RuleCheckerTests
{
    private static readonly Assembly Fixtures = typeof(RuleCheckerTests).Assembly;

    private static Module Accounts => ModuleCatalog.Find("Accounts");

    [Fact]
    public void checker_reports_a_type_that_uses_another_modules_internal_type()
    {
        var violations = BoundaryRules.ForbiddenTypeDependencies(Fixtures, BoundaryRules.DefinedTypes(Accounts.Implementation), "Architecture.Tests.Fixtures.BadHost");

        Assert.Contains(violations, v => v.Contains("HashesPasswordsItself"));
    }

    [Fact]
    public void checker_reports_a_host_type_past_the_seam_but_not_one_through_the_seam()
    {
        var bad = BoundaryRules.ForbiddenTypeDependencies(Fixtures, HostTests.ModuleInternals(), "Architecture.Tests.Fixtures.BadHost");
        var good = BoundaryRules.ForbiddenTypeDependencies(Fixtures, HostTests.ModuleInternals(), "Architecture.Tests.Fixtures.GoodHost");

        Assert.NotEmpty(bad);
        Assert.Empty(good);
    }

    [Fact]
    public void checker_reports_a_reference_to_another_modules_assembly()
    {
        var violations = BoundaryRules.ForbiddenAssemblyReferences(Fixtures, ["Accounts"]);

        Assert.Equal(["Architecture.Tests references assembly Accounts"], violations);
    }

    [Fact]
    public void checker_reports_a_framework_reference_in_a_contracts_assembly()
    {
        var host = Assembly.Load(new AssemblyName(ModuleCatalog.Host));

        var violations = BoundaryRules.AssemblyReferencesStartingWith(host, BoundaryRules.InfrastructurePrefixes);

        Assert.Contains("Host references assembly Marten", violations);
    }

    [Fact]
    public void checker_reports_a_project_reference_to_another_modules_implementation()
    {
        var project = XDocument.Parse("""
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <ProjectReference Include="../BuildingBlocks/BuildingBlocks.csproj" />
                <ProjectReference Include="../Accounts.Contracts/Accounts.Contracts.csproj" />
                <ProjectReference Include="..\Accounts\Accounts.csproj" />
              </ItemGroup>
            </Project>
            """);

        Assert.Equal(["Recovery references project Accounts"], BoundaryRules.NonSeamProjectReferences("Recovery", project));
    }

    [Fact]
    public void checker_reports_behaviour_in_a_contracts_type()
    {
        var violations = BoundaryRules.NonMessageMembers([typeof(MessageWithBehaviourV1), typeof(MessageWithComputedPropertyV1), typeof(KindsWithLogic), typeof(IMarkerNotAMessage)]);

        Assert.Contains(violations, v => v.Contains("MessageWithBehaviourV1.Shout"));
        Assert.Contains(violations, v => v.Contains("MessageWithComputedPropertyV1.get_Exhausted"));
        Assert.Contains(violations, v => v.Contains("KindsWithLogic.NotConstant"));
        Assert.Contains(violations, v => v.Contains("KindsWithLogic.Pick"));
        Assert.Contains(violations, v => v.Contains("IMarkerNotAMessage"));
    }

    [Fact]
    public void checker_accepts_plain_records_classes_and_string_constants()
    {
        Assert.Empty(BoundaryRules.NonMessageMembers([typeof(PlainMessageV1), typeof(PlainClassMessageV1), typeof(PlainKinds)]));
    }

    [Fact]
    public void checker_reports_a_message_without_a_version_but_not_a_constants_class()
    {
        var violations = BoundaryRules.UnversionedMessageNames([typeof(UnversionedMessage), typeof(PlainMessageV1), typeof(PlainKinds)]);

        Assert.Equal([$"{typeof(UnversionedMessage).FullName} has no version in its name"], violations);
    }
}
