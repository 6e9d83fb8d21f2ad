using System.Text.Json;
using System.Text.Json.Nodes;

namespace PdeOps.Datasets.Normalization;

/// <summary>
/// Restores a normalizer saved with <see cref="INormalizer.ToJson"/>: reads the "kind"
/// discriminator and "version", then hands the object to the matching type. Unknown kinds and
/// newer versions are errors.
/// </summary>
public static class NormalizerJson
{
    /// <summary>Version of the JSON layout written.</summary>
    public const int Version = 1;

    static readonly Dictionary<string, Func<JsonObject, INormalizer>> Kinds = new(StringComparer.Ordinal)
    {
        [GaussianPointwiseNormalizer.KindName] = GaussianPointwiseNormalizer.FromJson,
        [GaussianGlobalNormalizer.KindName] = GaussianGlobalNormalizer.FromJson,
        [MinMaxNormalizer.KindName] = MinMaxNormalizer.FromJson,
    };

    /// <summary>The kinds that can be read.</summary>
    public static IReadOnlyCollection<string> KnownKinds => Kinds.Keys;

    /// <summary>Creates an unfitted normalizer of kind <paramref name="kind"/> with default settings.</summary>
    /// <exception cref="ArgumentException">The kind is unknown.</exception>
    public static INormalizer Create(string kind) => kind switch
    {
        GaussianPointwiseNormalizer.KindName => new GaussianPointwiseNormalizer(),
        GaussianGlobalNormalizer.KindName => new GaussianGlobalNormalizer(),
        MinMaxNormalizer.KindName => new MinMaxNormalizer(),
        _ => throw new ArgumentException($"unknown normalizer kind '{kind}'; known kinds: {string.Join(", ", Kinds.Keys)}", nameof(kind)),
    };

    /// <summary>Reads a normalizer from its JSON text.</summary>
    /// <exception cref="JsonException">The text is not a normalizer object, its kind is unknown, its version newer than <see cref="Version"/>, or a member is missing.</exception>
    public static INormalizer FromJson(string json)
    {
        JsonObject root = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("normalizer JSON is not an object");
        string kind = root["kind"]?.GetValue<string>() ?? throw new JsonException("normalizer JSON has no \"kind\"");
        int version = root["version"]?.GetValue<int>() ?? throw new JsonException("normalizer JSON has no \"version\"");
        if (version < 1 || version > Version)
            throw new JsonException($"normalizer JSON version {version} is not supported (this build reads version {Version})");
        if (!Kinds.TryGetValue(kind, out var read))
            throw new JsonException($"unknown normalizer kind '{kind}'; known kinds: {string.Join(", ", Kinds.Keys)}");
        return read(root);
    }

    internal static JsonObject Header(string kind) => new() { ["kind"] = kind, ["version"] = Version };

    internal static T Member<T>(JsonObject root, string name) =>
        (root[name] ?? throw new JsonException($"normalizer JSON of kind '{root["kind"]}' has no \"{name}\"")).Deserialize<T>()
        ?? throw new JsonException($"normalizer JSON member \"{name}\" is null");

    internal static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    internal static void RequireFitted(bool fitted, string kind)
    {
        if (!fitted) throw new InvalidOperationException($"the {kind} normalizer is not fitted; call Fit or load it from JSON first");
    }
}
