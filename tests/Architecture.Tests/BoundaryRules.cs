using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using NetArchTest.Rules;

namespace Architecture.Tests;

/// <summary>
/// The rule checker. Each rule answers the list of violations (empty = kept), so that tests can show both
/// that the real code keeps a rule and that the checker reports a deliberately broken fixture.
/// </summary>
public static class BoundaryRules
{
    /// <summary>Frameworks a Contracts assembly must not need: messages stay plain data that any module can read.</summary>
    public static readonly string[] InfrastructurePrefixes =
        ["Marten", "Wolverine", "JasperFx", "Weasel", "Npgsql", "Microsoft.AspNetCore", "Microsoft.Extensions", "BuildingBlocks"];

    /// <summary>Assembly references of <paramref name="subject"/> whose name is in <paramref name="forbidden"/>.</summary>
    public static IReadOnlyList<string> ForbiddenAssemblyReferences(Assembly subject, IEnumerable<string> forbidden)
    {
        var names = forbidden.ToHashSet(StringComparer.Ordinal);
        return subject.GetReferencedAssemblies()
            .Where(r => r.Name is not null && names.Contains(r.Name))
            .Select(r => $"{subject.GetName().Name} references assembly {r.Name}")
            .ToList();
    }

    /// <summary>Assembly references whose name starts with one of <paramref name="prefixes"/>.</summary>
    public static IReadOnlyList<string> AssemblyReferencesStartingWith(Assembly subject, IEnumerable<string> prefixes)
    {
        var list = prefixes.ToList();
        return subject.GetReferencedAssemblies()
            .Where(r => r.Name is not null && list.Any(p => r.Name == p || r.Name.StartsWith(p + ".", StringComparison.Ordinal)))
            .Select(r => $"{subject.GetName().Name} references assembly {r.Name}")
            .ToList();
    }

    /// <summary>
    /// Types of <paramref name="subject"/> (optionally only those in <paramref name="inNamespace"/>) that use any of
    /// <paramref name="forbiddenTypes"/> in a signature, field, attribute or method body.
    /// Matched by full type name, so a seam can be allowed while its neighbours in the same namespace are not.
    /// </summary>
    public static IReadOnlyList<string> ForbiddenTypeDependencies(Assembly subject, IEnumerable<Type> forbiddenTypes, string? inNamespace = null)
    {
        // Cecil, which the dependency search reads, writes nested types as Outer/Inner.
        var forbidden = forbiddenTypes.Select(t => t.FullName!.Replace('+', '/')).Distinct().ToArray();
        if (forbidden.Length == 0) return [];

        var types = Types.InAssembly(subject);
        var condition = inNamespace is null ? types.ShouldNot() : types.That().ResideInNamespace(inNamespace).ShouldNot();
        var result = condition.HaveDependencyOnAny(forbidden).GetResult();
        return result.IsSuccessful
            ? []
            : (result.FailingTypeNames ?? []).Select(t => $"{t} depends on a forbidden type").ToList();
    }

    /// <summary>
    /// All types an assembly defines, internal ones included, minus the compiler's own (closures, collection-expression
    /// helpers and types nested in them), which every assembly has a copy of under the same name.
    /// </summary>
    public static IEnumerable<Type> DefinedTypes(Assembly assembly) =>
        assembly.GetTypes().Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute), false) && !t.FullName!.Contains('<'));

    /// <summary>Project references of a csproj (file names without extension).</summary>
    public static IReadOnlyList<string> ProjectReferences(XDocument project) =>
        project.Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(((string?)e.Attribute("Include") ?? "").Replace('\\', '/')))
            .ToList();

    /// <summary>Project references that are neither BuildingBlocks nor a Contracts project.</summary>
    public static IReadOnlyList<string> NonSeamProjectReferences(string projectName, XDocument project) =>
        ProjectReferences(project)
            .Where(r => r != ModuleCatalog.BuildingBlocks && !r.EndsWith(ModuleCatalog.ContractsSuffix, StringComparison.Ordinal))
            .Select(r => $"{projectName} references project {r}")
            .ToList();

    /// <summary>
    /// Members of a Contracts type that are more than message data. Allowed: public records and classes whose
    /// members are constructors and auto-properties (plus what the compiler writes for records), enums, and
    /// static classes of string constants.
    /// </summary>
    public static IReadOnlyList<string> NonMessageMembers(IEnumerable<Type> contractTypes)
    {
        var violations = new List<string>();
        foreach (var type in contractTypes)
        {
            if (type.IsEnum) continue;
            if (type.IsInterface || type.IsValueType || !type.IsClass)
            {
                violations.Add($"{type.FullName} is not a record or class");
                continue;
            }

            if (type.IsAbstract && type.IsSealed)
            {
                violations.AddRange(NonConstantMembers(type));
                continue;
            }

            const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var method in type.GetMethods(all))
                if (!method.IsDefined(typeof(CompilerGeneratedAttribute), false))
                    violations.Add($"{type.FullName}.{method.Name} is behaviour, not message data");
            foreach (var field in type.GetFields(all))
                if (!field.IsDefined(typeof(CompilerGeneratedAttribute), false) && !field.Name.Contains("k__BackingField", StringComparison.Ordinal))
                    violations.Add($"{type.FullName}.{field.Name} is a field, not a property");
            foreach (var e in type.GetEvents(all))
                violations.Add($"{type.FullName}.{e.Name} is an event member");
        }

        return violations;
    }

    /// <summary>Message types (records and classes, not constants classes) whose name does not end in a version, e.g. V1.</summary>
    public static IReadOnlyList<string> UnversionedMessageNames(IEnumerable<Type> contractTypes) =>
        contractTypes
            .Where(t => t.IsClass && !(t.IsAbstract && t.IsSealed))
            .Where(t => !System.Text.RegularExpressions.Regex.IsMatch(t.Name, @"V[0-9]+$"))
            .Select(t => $"{t.FullName} has no version in its name")
            .ToList();

    private static IEnumerable<string> NonConstantMembers(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var field in type.GetFields(all))
            if (!field.IsLiteral || field.FieldType != typeof(string))
                yield return $"{type.FullName}.{field.Name} is not a string constant";
        foreach (var method in type.GetMethods(all))
            yield return $"{type.FullName}.{method.Name} is behaviour in a constants class";
        foreach (var property in type.GetProperties(all))
            yield return $"{type.FullName}.{property.Name} is a property in a constants class";
    }
}
