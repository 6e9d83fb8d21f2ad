using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PdeOps.Datasets.Generation;

/// <summary>Element type of the stored arrays.</summary>
public enum StoragePrecision
{
    /// <summary>32-bit floats (the default: what training reads).</summary>
    Float32,
    /// <summary>64-bit floats.</summary>
    Float64,
}

/// <summary>Shard k of n (0-based, as Slurm array indices from 0 and Kubernetes completion indices): a contiguous block of the samples.</summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    /// <summary>The whole run as one shard.</summary>
    public static ShardSpec Whole => new(0, 1);

    /// <summary>Parses "k/n" with 0 &lt;= k &lt; n.</summary>
    /// <exception cref="FormatException">The text is not of that form.</exception>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new FormatException($"shard '{text}' is not of the form k/n (e.g. 0/4)");
        if (n < 1 || k >= n) throw new FormatException($"shard '{text}' is out of range: k/n needs 0 <= k < n (shards are numbered from 0)");
        return new ShardSpec(k, n);
    }

    /// <summary>The samples [First, First + Length) of this shard out of <paramref name="total"/>.</summary>
    public (long First, long Length) Range(long total)
    {
        long first = total * Index / Count, end = total * (Index + 1) / Count;
        return (first, end - first);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>
/// What to generate: a family, how many samples, on which grid, from which seed, with which
/// parameters. Sample i of the result is a pure function of (family, parameters, resolutions, seed, i).
/// </summary>
public sealed record GenerationRequest
{
    /// <summary>Generator family, e.g. "darcy".</summary>
    public required string Family { get; init; }
    /// <summary>Samples in the whole run (all shards).</summary>
    public required long Samples { get; init; }
    /// <summary>Stored points per axis.</summary>
    public required int Resolution { get; init; }
    /// <summary>Points per axis of the grid solved on; null takes the family's default.</summary>
    public int? FineResolution { get; init; }
    /// <summary>Seed of the run.</summary>
    public long Seed { get; init; }
    /// <summary>Element type of the stored arrays.</summary>
    public StoragePrecision Precision { get; init; } = StoragePrecision.Float32;
    /// <summary>Overrides of the family's parameters by name.</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>();
    /// <summary>Which shard this process writes.</summary>
    public ShardSpec Shard { get; init; } = ShardSpec.Whole;

    /// <summary>
    /// Everything that determines the stored arrays of this shard, as canonical JSON: a resumed run
    /// must match it exactly.
    /// </summary>
    public string Fingerprint()
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) parameters[name] = value;
        var json = new JsonObject
        {
            ["family"] = Family,
            ["samples"] = Samples,
            ["resolution"] = Resolution,
            ["fine_resolution"] = FineResolution,
            ["seed"] = Seed,
            ["dtype"] = Precision == StoragePrecision.Float32 ? "float32" : "float64",
            ["parameters"] = parameters,
            ["shard"] = Shard.ToString(),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
