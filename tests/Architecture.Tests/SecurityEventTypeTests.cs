using System.Runtime.CompilerServices;
using Audit.Contracts;
using BuildingBlocks;

namespace Architecture.Tests;

/// <summary>
/// What auditors see as an event's type is stated by each event from the published vocabulary
/// (<see cref="SecurityEventTypes"/>), never derived from a class name: a rename cannot change the audit trail.
/// </summary>
public class SecurityEventTypeTests
{
    private static readonly string[] Published = typeof(SecurityEventTypes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private static IEnumerable<(Type Event, string Type)> SecurityEvents() =>
        ModuleCatalog.All
            .SelectMany(m => BoundaryRules.DefinedTypes(m.Implementation))
            .Where(t => typeof(ISecurityEvent).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (t, ((ISecurityEvent)RuntimeHelpers.GetUninitializedObject(t)).Type));

    [Fact]
    public void every_security_event_names_a_published_type_and_no_two_share_one()
    {
        var events = SecurityEvents().ToList();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Contains(e.Type, Published));
        Assert.Empty(events.GroupBy(e => e.Type).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Event.Name))}"));
    }

    [Fact]
    public void every_published_type_is_used_and_is_lower_snake_case()
    {
        var used = SecurityEvents().Select(e => e.Type).ToHashSet();
        Assert.All(Published, t => Assert.Matches("^[a-z]+(_[a-z]+)*$", t));
        Assert.Empty(Published.Except(used));
    }
}
