using System.Text.Json.Nodes;
using PdeOps.Datasets.Readers;

namespace PdeOps.Datasets.Normalization;

/// <summary>
/// Normalizes all values with one mean and one standard deviation over every sample and point:
/// <c>(x - mean) / (std + eps)</c>, the scalar variant of neuraloperator's <c>GaussianNormalizer</c>.
/// The standard deviation is the population one, accumulated in double precision.
/// </summary>
public sealed class GaussianGlobalNormalizer : INormalizer
{
    /// <summary>The JSON "kind" of this normalizer.</summary>
    public const string KindName = "gaussian-global";

    /// <summary>Default <see cref="Eps"/>.</summary>
    public const double DefaultEps = 1e-5;

    bool _fitted;

    /// <summary>Creates an unfitted normalizer.</summary>
    /// <param name="eps">Added to the standard deviation before dividing; non-negative.</param>
    public GaussianGlobalNormalizer(double eps = DefaultEps)
    {
        if (!(eps >= 0) || !double.IsFinite(eps)) throw new ArgumentOutOfRangeException(nameof(eps), "eps must be finite and non-negative");
        Eps = eps;
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public bool IsFitted => _fitted;

    /// <summary>Added to the standard deviation before dividing.</summary>
    public double Eps { get; }

    /// <summary>Mean of all values.</summary>
    public double Mean { get; private set; }

    /// <summary>Population standard deviation of all values.</summary>
    public double Std { get; private set; }

    /// <inheritdoc />
    public void Fit(FieldArray data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Values.Length == 0) throw new ArgumentException($"cannot fit a normalizer to '{data.Name}': it holds no values", nameof(data));
        double sum = 0;
        foreach (float v in data.Values) sum += v;
        double mean = sum / data.Values.Length, m2 = 0;
        foreach (float v in data.Values) { double d = v - mean; m2 += d * d; }
        Mean = mean;
        Std = Math.Sqrt(m2 / data.Values.Length);
        _fitted = true;
    }

    /// <inheritdoc />
    public void Encode(Span<float> values)
    {
        NormalizerJson.RequireFitted(_fitted, Kind);
        double scale = Std + Eps;
        for (int k = 0; k < values.Length; k++) values[k] = (float)((values[k] - Mean) / scale);
    }

    /// <inheritdoc />
    public void Decode(Span<float> values)
    {
        NormalizerJson.RequireFitted(_fitted, Kind);
        double scale = Std + Eps;
        for (int k = 0; k < values.Length; k++) values[k] = (float)(values[k] * scale + Mean);
    }

    /// <inheritdoc />
    public string ToJson()
    {
        NormalizerJson.RequireFitted(_fitted, Kind);
        var root = NormalizerJson.Header(Kind);
        root["eps"] = Eps;
        root["mean"] = Mean;
        root["std"] = Std;
        return root.ToJsonString();
    }

    internal static GaussianGlobalNormalizer FromJson(JsonObject root) =>
        new(NormalizerJson.Member<double>(root, "eps"))
        {
            Mean = NormalizerJson.Member<double>(root, "mean"),
            Std = NormalizerJson.Member<double>(root, "std"),
            _fitted = true,
        };
}
