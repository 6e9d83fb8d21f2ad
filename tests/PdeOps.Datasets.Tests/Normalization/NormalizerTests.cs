using System.Text.Json;
using PdeOps.Datasets.Normalization;
using PdeOps.Datasets.Readers;

namespace PdeOps.Datasets.Tests.Normalization;

public sealed class NormalizerTests
{
    const int Samples = 200, Height = 3, Width = 4;

    /// <summary>Samples whose every point has its own mean and spread: value = mu_p + sigma_p * z.</summary>
    static FieldArray Data(int seed)
    {
        var random = new Random(seed);
        int size = Height * Width;
        var values = new float[Samples * size];
        for (int s = 0; s < Samples; s++)
            for (int p = 0; p < size; p++)
            {
                double z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                values[s * size + p] = (float)(10.0 * p - 30 + (0.5 + p) * z);
            }
        return new FieldArray("field", values, [Samples, Height, Width]);
    }

    public static TheoryData<string> Kinds => new(NormalizerJson.KnownKinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DecodeUndoesEncode(string kind)
    {
        var data = Data(1);
        var normalizer = NormalizerJson.Create(kind);
        normalizer.Fit(data.Slice(0, 150));
        var values = (float[])data.Values.Clone();
        normalizer.Encode(values);
        Assert.NotEqual(data.Values, values);
        normalizer.Decode(values);
        // Two float32 roundings of values up to ~150 in size.
        for (int k = 0; k < values.Length; k++) Assert.Equal(data.Values[k], values[k], 1e-5 * Math.Max(1, Math.Abs(data.Values[k])));
    }

    [Fact]
    public void PointwiseEncodingOfTheTrainingSplitHasZeroMeanAndUnitStdAtEveryPoint()
    {
        var train = Data(2).Slice(0, 160);
        var normalizer = new GaussianPointwiseNormalizer();
        normalizer.Fit(train);
        var encoded = (float[])train.Values.Clone();
        normalizer.Encode(encoded);
        int size = train.SampleSize;
        for (int p = 0; p < size; p++)
        {
            var column = Enumerable.Range(0, train.Samples).Select(s => (double)encoded[s * size + p]).ToArray();
            double mean = column.Average();
            double std = Math.Sqrt(column.Select(v => (v - mean) * (v - mean)).Average());
            // Exact statistics up to float32 rounding; eps = 1e-5 shrinks std by eps / sigma_p <= 2e-5.
            Assert.Equal(0, mean, 1e-5);
            Assert.Equal(1, std, 1e-4);
        }
    }

    [Fact]
    public void GlobalEncodingOfTheTrainingSplitHasZeroMeanAndUnitStd()
    {
        var train = Data(3).Slice(0, 160);
        var normalizer = new GaussianGlobalNormalizer();
        normalizer.Fit(train);
        var encoded = (float[])train.Values.Clone();
        normalizer.Encode(encoded);
        double mean = encoded.Average(v => (double)v);
        double std = Math.Sqrt(encoded.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(0, mean, 1e-5);
        Assert.Equal(1, std, 1e-5);
    }

    [Fact]
    public void MinMaxEncodingOfTheTrainingSplitSpansZeroToOne()
    {
        var train = Data(4).Slice(0, 160);
        var normalizer = new MinMaxNormalizer();
        normalizer.Fit(train);
        var encoded = (float[])train.Values.Clone();
        normalizer.Encode(encoded);
        Assert.Equal(0, encoded.Min(), 1e-6);
        Assert.Equal(1, encoded.Max(), 1e-6);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void JsonRoundTripReproducesIdenticalOutputs(string kind)
    {
        var data = Data(5);
        var normalizer = NormalizerJson.Create(kind);
        normalizer.Fit(data.Slice(0, 100));
        string json = normalizer.ToJson();
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.Equal(kind, doc.RootElement.GetProperty("kind").GetString());
            Assert.Equal(1, doc.RootElement.GetProperty("version").GetInt32());
        }
        var restored = NormalizerJson.FromJson(json);
        Assert.IsType(normalizer.GetType(), restored);
        Assert.Equal(json, restored.ToJson());

        var a = data.Slice(100, 100).Values;
        var b = (float[])a.Clone();
        normalizer.Encode(a);
        restored.Encode(b);
        Assert.Equal(a, b);
        normalizer.Decode(a);
        restored.Decode(b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void PointwiseEncodingWorksOnOneSampleOrABatchAndRefusesPartialSamples()
    {
        var data = Data(6);
        var normalizer = new GaussianPointwiseNormalizer();
        normalizer.Fit(data);
        var batch = data.Slice(3, 2).Values;
        var one = data.Sample(4).ToArray();
        normalizer.Encode(batch);
        normalizer.Encode(one);
        Assert.Equal(one, batch[data.SampleSize..]);
        Assert.Throws<ArgumentException>(() => normalizer.Encode(new float[data.SampleSize + 1]));
    }

    [Fact]
    public void UnfittedNormalizersAndBadJsonAreRefused()
    {
        Assert.Throws<InvalidOperationException>(() => new GaussianPointwiseNormalizer().Encode(new float[4]));
        Assert.Throws<InvalidOperationException>(() => new MinMaxNormalizer().ToJson());
        Assert.Throws<JsonException>(() => NormalizerJson.FromJson("{\"kind\":\"robust\",\"version\":1}"));
        Assert.Throws<JsonException>(() => NormalizerJson.FromJson("{\"kind\":\"min-max\",\"version\":2,\"min\":0,\"max\":1}"));
        Assert.Throws<JsonException>(() => NormalizerJson.FromJson("{\"kind\":\"gaussian-global\",\"version\":1,\"eps\":0}"));
        Assert.Throws<ArgumentException>(() => NormalizerJson.Create("robust"));
    }
}
