using System.Text.Json.Nodes;
using PdeOps.Datasets.Readers;

namespace PdeOps.Datasets.Normalization;

/// <summary>
/// Maps the range of all training values to [0, 1]: <c>(x - min) / (max - min)</c>, with one
/// minimum and maximum over every sample and point. When all values are equal the range is taken
/// as 1, so encoding only shifts. Values outside the training range map outside [0, 1].
/// </summary>
public sealed class MinMaxNormalizer : INormalizer
{
    /// <summary>The JSON "kind" of this normalizer.</summary>
    public const string KindName = "min-max";

    bool _fitted;

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public bool IsFitted => _fitted;

    /// <summary>Smallest training value.</summary>
    public double Min { get; private set; }

    /// <summary>Largest training value.</summary>
    public double Max { get; private set; }

    double Range => Max > Min ? Max - Min : 1.0;

    /// <inheritdoc />
    public void Fit(FieldArray data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Values.Length == 0) throw new ArgumentException($"cannot fit a normalizer to '{data.Name}': it holds no values", nameof(data));
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in data.Values) { min = Math.Min(min, v); max = Math.Max(max, v); }
        Min = min;
        Max = max;
        _fitted = true;
    }

    /// <inheritdoc />
    public void Encode(Span<float> values)
    {
        NormalizerJson.RequireFitted(_fitted, Kind);
        double range = Range;
        for (int k = 0; k < values.Length; k++) values[k] = (float)((values[k] - Min) / range);
    }

    /// <inheritdoc />
    public void Decode(Span<float> values)
    {
        NormalizerJson.RequireFitted(_fitted, Kind);
        double range = Range;
        for (int k = 0; k < values.Length; k++) values[k] = (float)(values[k] * range + Min);
    }

    /// <inheritdoc />
    public string ToJson()
    {
        NormalizerJson.RequireFitted(_fitted, Kind);
        var root = NormalizerJson.Header(Kind);
        root["min"] = Min;
        root["max"] = Max;
        return root.ToJsonString();
    }

    internal static MinMaxNormalizer FromJson(JsonObject root) => new()
    {
        Min = NormalizerJson.Member<double>(root, "min"),
        Max = NormalizerJson.Member<double>(root, "max"),
        _fitted = true,
    };
}
