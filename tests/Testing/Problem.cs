using System.Text.Json;
using Alba;

namespace Testing;

/// <summary>A problem+json answer as a client reads it.</summary>
public sealed record Problem(int Status, string? Title, string? Code, string[] Violations, string ContentType)
{
    public static async Task<Problem> ReadAsync(IScenarioResult result)
    {
        var text = await result.ReadAsTextAsync();
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        var violations = root.TryGetProperty("violations", out var v) ? v.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];
        return new Problem(
            root.GetProperty("status").GetInt32(),
            root.TryGetProperty("title", out var t) ? t.GetString() : null,
            root.TryGetProperty("code", out var c) ? c.GetString() : null,
            violations,
            result.Context.Response.ContentType ?? string.Empty);
    }
}
