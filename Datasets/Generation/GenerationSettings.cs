using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PdeOps.Datasets.Generation;

/// <summary>
/// The effective settings of a generation run as canonical JSON: the family, sample count,
/// resolutions, seed, dtype, shard and every parameter in effect (defaults merged with overrides),
/// so that an explicitly given default equals an omitted one. A resumed run compares them field by
/// field with those recorded in the working folder and names the first that differs.
/// </summary>
internal static class GenerationSettings
{
    /// <summary>The settings of <paramref name="request"/> as planned by <paramref name="plan"/>.</summary>
    public static string Fingerprint(GenerationRequest request, GeneratorPlan plan)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in plan.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) parameters[name] = value;
        var json = new JsonObject
        {
            ["family"] = request.Family.ToLowerInvariant(),
            ["samples"] = request.Samples,
            ["resolution"] = request.Resolution,
            ["fine_resolution"] = plan.FineResolution,
            ["seed"] = request.Seed,
            ["dtype"] = request.Precision == StoragePrecision.Float32 ? "float32" : "float64",
            ["parameters"] = parameters,
            ["shard"] = request.Shard.ToString(),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>
    /// Null when <paramref name="recorded"/> and <paramref name="current"/> are the same settings;
    /// otherwise the first difference in words, e.g. "seed was 1, now 2".
    /// </summary>
    public static string? Difference(string? recorded, string current)
    {
        if (recorded == current) return null;
        JsonObject? before;
        try { before = recorded is null ? null : JsonNode.Parse(recorded) as JsonObject; }
        catch (JsonException) { before = null; }
        if (before is null) return "the working folder records no readable settings (written by another version?); delete it to start over";
        var now = (JsonObject)JsonNode.Parse(current)!;
        foreach (var (name, value) in now)
        {
            if (name == "parameters") continue;
            if (!JsonNode.DeepEquals(before[name], value)) return $"{name.Replace('_', '-')} was {Text(before[name])}, now {Text(value)}";
        }
        var p0 = before["parameters"] as JsonObject ?? [];
        var p1 = now["parameters"] as JsonObject ?? [];
        foreach (var name in p0.Select(p => p.Key).Union(p1.Select(p => p.Key)).Order(StringComparer.Ordinal))
            if (!JsonNode.DeepEquals(p0[name], p1[name])) return $"parameter {name} was {Text(p0[name])}, now {Text(p1[name])}";
        return null;
    }

    static string Text(JsonNode? node) => node switch
    {
        null => "(not set)",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<double>(out var d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
