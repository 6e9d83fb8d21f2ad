using System.Text.Json.Nodes;
using PdeOps.Datasets.Normalization;
using PdeOps.Datasets.Readers;

namespace PdeOps.Operators.Training;

/// <summary>
/// Stacks the input (or output) arrays of a dataset into channels and normalizes them, one
/// normalizer per array fitted on the training split. An array of shape (N, c..., spatial...) gives
/// the product of its c axes as channels (a time series becomes channels); the last
/// <c>spatialDims</c> axes are the grid. Every normalizer is affine, so decoding inside the model's
/// graph is y = scale * v + offset with tensors from <see cref="DecodeAffine"/>.
/// </summary>
public sealed class ChannelNormalization
{
    readonly INormalizer?[] _normalizers;

    ChannelNormalization(string[] names, INormalizer?[] normalizers)
    {
        Names = names;
        _normalizers = normalizers;
    }

    /// <summary>Names of the arrays, in channel order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// Whether every array is normalized alike at all grid points (none, global or min-max), so
    /// that moving the points of a normalized field commutes with the normalization.
    /// </summary>
    public bool IsUniformOverPoints => _normalizers.All(n => n is not GaussianPointwiseNormalizer);

    /// <summary>Fits one normalizer per array.</summary>
    public static ChannelNormalization Fit(IReadOnlyList<FieldArray> arrays, NormalizationKind kind)
    {
        var normalizers = arrays.Select(a =>
        {
            INormalizer? n = kind switch
            {
                NormalizationKind.GaussianGlobal => new GaussianGlobalNormalizer(),
                NormalizationKind.GaussianPointwise => new GaussianPointwiseNormalizer(),
                NormalizationKind.MinMax => new MinMaxNormalizer(),
                _ => null,
            };
            n?.Fit(a);
            return n;
        }).ToArray();
        return new ChannelNormalization(arrays.Select(a => a.Name).ToArray(), normalizers);
    }

    /// <summary>Channels per sample of <paramref name="array"/> with <paramref name="spatialDims"/> grid axes.</summary>
    public static int ChannelsOf(FieldArray array, int spatialDims)
    {
        if (array.Shape.Length < 1 + spatialDims)
            throw new ArgumentException($"array '{array.Name}' has shape ({string.Join(", ", array.Shape)}); a {spatialDims}D field needs (N, ..., {string.Join(", ", Enumerable.Repeat("n", spatialDims))})");
        return array.Shape[1..^spatialDims].Aggregate(1, (a, b) => a * b);
    }

    /// <summary>
    /// The arrays as one flat (N, C, spatial...) buffer, normalized; <paramref name="encode"/> false
    /// stacks raw values. Returns the buffer and its shape.
    /// </summary>
    public (float[] Values, long[] Shape) Stack(IReadOnlyList<FieldArray> arrays, int spatialDims, bool encode)
    {
        if (arrays.Count != Names.Count) throw new ArgumentException($"expected arrays {string.Join(", ", Names)}; got {string.Join(", ", arrays.Select(a => a.Name))}");
        int n = arrays[0].Samples;
        var grid = arrays[0].Shape[^spatialDims..];
        foreach (var a in arrays)
        {
            if (a.Samples != n) throw new ArgumentException($"array '{a.Name}' has {a.Samples} samples, '{arrays[0].Name}' {n}");
            if (!a.Shape[^spatialDims..].SequenceEqual(grid)) throw new ArgumentException($"array '{a.Name}' is on a ({string.Join(", ", a.Shape[^spatialDims..])}) grid, '{arrays[0].Name}' on ({string.Join(", ", grid)})");
        }
        int sampleSize = arrays.Sum(a => a.SampleSize);
        var values = new float[(long)n * sampleSize];
        for (int s = 0; s < n; s++)
        {
            int offset = s * sampleSize;
            for (int k = 0; k < arrays.Count; k++)
            {
                var target = values.AsSpan(offset, arrays[k].SampleSize);
                arrays[k].Sample(s).CopyTo(target);
                if (encode) _normalizers[k]?.Encode(target);
                offset += arrays[k].SampleSize;
            }
        }
        int channels = arrays.Sum(a => ChannelsOf(a, spatialDims));
        return (values, [n, channels, .. grid.Select(g => (long)g)]);
    }

    /// <summary>
    /// Per-point scale and offset, shaped (C, spatial...) for a grid of <paramref name="grid"/>
    /// points, such that raw = scale * normalized + offset. A pointwise normalizer only fits the grid it was fitted on.
    /// </summary>
    public (float[] Scale, float[] Offset) DecodeAffine(IReadOnlyList<int> channelsPerArray, IReadOnlyList<int> grid)
    {
        int points = grid.Aggregate(1, (a, b) => a * b);
        var scale = new List<float>();
        var offset = new List<float>();
        for (int k = 0; k < _normalizers.Length; k++)
        {
            int size = channelsPerArray[k] * points;
            var zero = new float[size];
            var one = Enumerable.Repeat(1f, size).ToArray();
            if (_normalizers[k] is { } normalizer)
            {
                try { normalizer.Decode(zero); normalizer.Decode(one); }
                catch (ArgumentException e) { throw new ArgumentException($"the {normalizer.Kind} normalizer of '{Names[k]}' does not fit a ({string.Join(", ", grid)}) grid: {e.Message}", e); }
            }
            offset.AddRange(zero);
            scale.AddRange(one.Zip(zero, (a, b) => a - b));
        }
        return (scale.ToArray(), offset.ToArray());
    }

    /// <summary>
    /// Checks that every normalizer maps finite values to finite values on a grid of
    /// <paramref name="grid"/> points, and decodes with a non-zero scale (a standard deviation or
    /// range of zero would turn every prediction into NaN or infinity).
    /// </summary>
    /// <exception cref="ArgumentException">A normalizer is degenerate; the message names the array.</exception>
    public void CheckUsable(IReadOnlyList<int> channelsPerArray, IReadOnlyList<int> grid, string role)
    {
        if (channelsPerArray.Count != _normalizers.Length)
            throw new ArgumentException($"{_normalizers.Length} {role} arrays but {channelsPerArray.Count} channel counts");
        int points = grid.Aggregate(1, (a, b) => a * b);
        for (int k = 0; k < _normalizers.Length; k++)
        {
            if (_normalizers[k] is not { } normalizer) continue;
            int size = channelsPerArray[k] * points;
            var zero = new float[size];
            var one = Enumerable.Repeat(1f, size).ToArray();
            var probe = Enumerable.Repeat(1f, size).ToArray();
            normalizer.Decode(zero);
            normalizer.Decode(one);
            normalizer.Encode(probe);
            for (int i = 0; i < size; i++)
                if (!float.IsFinite(zero[i]) || !float.IsFinite(one[i]) || !float.IsFinite(probe[i]) || one[i] == zero[i])
                    throw new ArgumentException($"the {normalizer.Kind} normalizer of {role} '{Names[k]}' is degenerate (a zero or non-finite scale at value {i}): it would turn predictions into NaN");
        }
    }

    /// <summary>Normalizes one raw sample of array <paramref name="array"/> in place.</summary>
    public void Encode(int array, Span<float> values) => _normalizers[array]?.Encode(values);

    /// <summary>Turns one normalized sample of array <paramref name="array"/> back into raw units, in place.</summary>
    public void Decode(int array, Span<float> values) => _normalizers[array]?.Decode(values);

    /// <summary>The normalizers as JSON: {"arrays": [...], "normalizers": [... or null]}.</summary>
    public JsonObject ToJson()
    {
        var list = new JsonArray();
        foreach (var n in _normalizers) list.Add(n is null ? null : JsonNode.Parse(n.ToJson()));
        return new JsonObject { ["arrays"] = new JsonArray(Names.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()), ["normalizers"] = list };
    }

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    public static ChannelNormalization FromJson(JsonObject json)
    {
        var names = json["arrays"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        var normalizers = json["normalizers"]!.AsArray().Select(n => n is null ? null : NormalizerJson.FromJson(n.ToJsonString())).ToArray();
        if (names.Length != normalizers.Length) throw new ArgumentException("normalizer JSON: arrays and normalizers differ in number");
        return new ChannelNormalization(names, normalizers);
    }
}
