using System.Text.Json.Nodes;
using PdeOps.Datasets.Readers;

namespace PdeOps.Datasets.Normalization;

/// <summary>
/// Normalizes every grid point to zero mean and unit variance over the training samples:
/// <c>(x - mean[p]) / (std[p] + eps)</c>, the recipe of neuraloperator's
/// <c>UnitGaussianNormalizer</c> (Li et al., FNO, ICLR 2021). Statistics are per point of one
/// sample (mean and population standard deviation over the sample axis) and accumulated in
/// double precision; <c>eps</c> keeps points that never vary (e.g. boundary values) finite.
/// </summary>
public sealed class GaussianPointwiseNormalizer : INormalizer
{
    /// <summary>The JSON "kind" of this normalizer.</summary>
    public const string KindName = "gaussian-pointwise";

    /// <summary>Default <see cref="Eps"/>, as in neuraloperator.</summary>
    public const double DefaultEps = 1e-5;

    double[]? _mean, _std;
    int[] _sampleShape = [];

    /// <summary>Creates an unfitted normalizer.</summary>
    /// <param name="eps">Added to the standard deviation before dividing; non-negative.</param>
    public GaussianPointwiseNormalizer(double eps = DefaultEps)
    {
        if (!(eps >= 0) || !double.IsFinite(eps)) throw new ArgumentOutOfRangeException(nameof(eps), "eps must be finite and non-negative");
        Eps = eps;
    }

    /// <inheritdoc />
    public string Kind => KindName;

    /// <inheritdoc />
    public bool IsFitted => _mean is not null;

    /// <summary>Added to the standard deviation before dividing.</summary>
    public double Eps { get; }

    /// <summary>Shape of one sample the statistics belong to.</summary>
    public IReadOnlyList<int> SampleShape => _sampleShape;

    /// <summary>Values per sample.</summary>
    public int SampleSize => _mean?.Length ?? 0;

    /// <summary>Mean per point of a sample.</summary>
    public IReadOnlyList<double> Mean => _mean ?? [];

    /// <summary>Population standard deviation per point of a sample.</summary>
    public IReadOnlyList<double> Std => _std ?? [];

    /// <inheritdoc />
    public void Fit(FieldArray data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Samples == 0) throw new ArgumentException($"cannot fit a normalizer to '{data.Name}': it holds no samples", nameof(data));
        int size = data.SampleSize, n = data.Samples;
        var mean = new double[size];
        var m2 = new double[size];
        for (int s = 0; s < n; s++)
        {
            var sample = data.Sample(s);
            for (int p = 0; p < size; p++) mean[p] += sample[p];
        }
        for (int p = 0; p < size; p++) mean[p] /= n;
        for (int s = 0; s < n; s++)
        {
            var sample = data.Sample(s);
            for (int p = 0; p < size; p++) { double d = sample[p] - mean[p]; m2[p] += d * d; }
        }
        for (int p = 0; p < size; p++) m2[p] = Math.Sqrt(m2[p] / n);
        _mean = mean;
        _std = m2;
        _sampleShape = data.SampleShape;
    }

    /// <inheritdoc />
    public void Encode(Span<float> values)
    {
        var (mean, std) = Check(values);
        for (int k = 0, p = 0; k < values.Length; k++, p = p + 1 == mean.Length ? 0 : p + 1)
            values[k] = (float)((values[k] - mean[p]) / (std[p] + Eps));
    }

    /// <inheritdoc />
    public void Decode(Span<float> values)
    {
        var (mean, std) = Check(values);
        for (int k = 0, p = 0; k < values.Length; k++, p = p + 1 == mean.Length ? 0 : p + 1)
            values[k] = (float)(values[k] * (std[p] + Eps) + mean[p]);
    }

    /// <inheritdoc />
    public string ToJson()
    {
        NormalizerJson.RequireFitted(IsFitted, Kind);
        var root = NormalizerJson.Header(Kind);
        root["eps"] = Eps;
        root["sample_shape"] = NormalizerJson.Numbers(_sampleShape.Select(d => (double)d));
        root["mean"] = NormalizerJson.Numbers(_mean!);
        root["std"] = NormalizerJson.Numbers(_std!);
        return root.ToJsonString();
    }

    internal static GaussianPointwiseNormalizer FromJson(JsonObject root)
    {
        var normalizer = new GaussianPointwiseNormalizer(NormalizerJson.Member<double>(root, "eps"))
        {
            _sampleShape = NormalizerJson.Member<int[]>(root, "sample_shape"),
            _mean = NormalizerJson.Member<double[]>(root, "mean"),
            _std = NormalizerJson.Member<double[]>(root, "std"),
        };
        long size = normalizer._sampleShape.Aggregate(1L, (p, d) => p * d);
        if (normalizer._mean!.Length != size || normalizer._std!.Length != size)
            throw new System.Text.Json.JsonException($"normalizer JSON holds {normalizer._mean.Length} means and {normalizer._std!.Length} deviations for a sample of {size} values");
        return normalizer;
    }

    (double[] Mean, double[] Std) Check(Span<float> values)
    {
        NormalizerJson.RequireFitted(IsFitted, Kind);
        if (values.Length % _mean!.Length != 0)
            throw new ArgumentException($"{values.Length} values are not a whole number of samples of {_mean.Length} values (shape {string.Join("x", _sampleShape)})", nameof(values));
        return (_mean, _std!);
    }
}
