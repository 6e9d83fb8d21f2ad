using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PdeOps.Operators.Serialization;

/// <summary>
/// The JSON conventions of every file PdeOps.Operators writes (model.json, run.json, state.json,
/// metrics): snake_case keys, enum values spelled as the command line spells them (<c>adam</c>,
/// <c>l2</c>, <c>dirichlet</c>), unknown keys refused when typed options are read. Files of format
/// version 1 used camelCase keys and C# enum names; <see cref="Legacy"/> reads their options and
/// <see cref="UpgradeTrainingSettings"/> converts their training settings.
/// </summary>
public static class OperatorJson
{
    /// <summary>Current format version of model.json and run.json.</summary>
    public const int Version = 2;

    /// <summary>Options of the current format.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Options that read typed options written by format version 1 (camelCase keys, C# enum names).</summary>
    public static JsonSerializerOptions Legacy { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Indented output for files people read.</summary>
    public static JsonSerializerOptions Indented { get; } = new() { WriteIndented = true };

    // Version-1 enum values of the training settings and their current spelling.
    static readonly Dictionary<string, string> LegacyEnumValues = new(StringComparer.Ordinal)
    {
        ["Adam"] = "adam",
        ["AdamW"] = "adamw",
        ["Constant"] = "constant",
        ["Step"] = "step",
        ["Cosine"] = "cosine",
        ["OneCycle"] = "onecycle",
        ["RelativeL2"] = "l2",
        ["RelativeH1"] = "h1",
        ["Mse"] = "mse",
        ["GaussianGlobal"] = "global",
        ["GaussianPointwise"] = "pointwise",
        ["MinMax"] = "minmax",
        ["None"] = "none",
    };

    /// <summary>Version-1 training settings (camelCase keys, C# enum names) in the current spelling.</summary>
    public static JsonObject UpgradeTrainingSettings(JsonObject legacy)
    {
        var upgraded = new JsonObject();
        foreach (var (key, value) in legacy)
        {
            string name = JsonNamingPolicy.SnakeCaseLower.ConvertName(key);
            upgraded[name] = value is JsonValue v && v.TryGetValue<string>(out var text) && LegacyEnumValues.TryGetValue(text, out var spelled)
                ? spelled
                : value?.DeepClone();
        }
        return upgraded;
    }

    /// <summary>
    /// A copy of <paramref name="json"/> in which every string that is an absolute path is reduced
    /// to its file name: provenance written by version 1 recorded the training machine's paths,
    /// which mean nothing elsewhere.
    /// </summary>
    public static JsonObject WithoutMachinePaths(JsonObject json) => (JsonObject)Reduce(json.DeepClone())!;

    static JsonNode? Reduce(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList()) o[key] = Reduce(o[key]?.DeepClone());
                return o;
            case JsonArray a:
                for (int i = 0; i < a.Count; i++) a[i] = Reduce(a[i]?.DeepClone());
                return a;
            case JsonValue v when v.TryGetValue<string>(out var text) && text.Length > 1 && Path.IsPathFullyQualified(text):
                return JsonValue.Create(Path.GetFileName(text.TrimEnd('/', '\\')));
            default:
                return node;
        }
    }
}
