using PdeOps.Datasets.Readers;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Models;
using PdeOps.Operators.Training;

namespace PdeOps.Operators.Tests.Training;

public sealed class NeuralOperatorTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-embed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static OperatorDataset Data(int samples, int s, int seed)
    {
        var rng = new Random(seed);
        var a = new float[samples * s * s];
        var u = new float[a.Length];
        for (int i = 0; i < a.Length; i++) { a[i] = (float)rng.NextDouble(); u[i] = 2 * a[i] + 1; }
        return new OperatorDataset("memory", DatasetFormat.PdeOps, [new FieldArray("a", a, [samples, s, s])], [new FieldArray("u", u, [samples, s, s])],
            new Dictionary<string, double[]>(), new Dictionary<string, string>());
    }

    string Trained()
    {
        string folder = Path.Combine(_dir, "run");
        OperatorTrainer.Train(new TrainingSpec
        {
            ModelName = "mgno",
            ModelOptions = MgnoOptions.WithLevels(2) with { Width = 4, Layers = 1 },
            Options = new TrainingOptions { Epochs = 2, BatchSize = 4 },
        }, Data(8, 16, 1), Data(4, 16, 2), folder);
        return folder;
    }

    [Fact]
    public void LoadedOperatorPredictsWhatEvaluationMeasuresAndIsThreadSafe()
    {
        using var op = NeuralOperator.Load(Trained());
        Assert.Equal("mgno", op.ModelName);
        Assert.Equal(["a"], op.InputNames);
        var inputs = Enumerable.Range(0, 6).Select(n =>
        {
            var f = new float[16, 16];
            for (int j = 0; j < 16; j++) for (int i = 0; i < 16; i++) f[j, i] = (float)Math.Sin(n + 0.3 * i + 0.2 * j);
            return f;
        }).ToList();
        var sequential = inputs.Select(op.Predict).ToList();
        var batch = op.PredictBatch(inputs);
        var parallel = new float[inputs.Count][,];
        Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n => parallel[n] = op.Predict(inputs[n]));
        for (int n = 0; n < inputs.Count; n++)
        {
            Assert.Equal(sequential[n], parallel[n]);
            for (int j = 0; j < 16; j++)
                for (int i = 0; i < 16; i++) Assert.True(Math.Abs(batch[n][j, i] - sequential[n][j, i]) < 1e-5f);
        }
        Assert.Throws<ArgumentException>(() => op.Predict(new float[10], new float[10], 16, 16));
    }

    [Fact]
    public void BadGridsAndInputsAreNamedBeforeTheModelRuns()
    {
        using var op = NeuralOperator.Load(Trained());
        var output = new float[256];
        Assert.Contains("grid sizes must be positive", Assert.Throws<ArgumentException>(() => op.Predict(new float[256], output, -16, -16)).Message);
        Assert.Contains("grid sizes must be positive", Assert.Throws<ArgumentException>(() => op.Predict(new float[0, 0])).Message);
        // 100000^2 points overflowed an int and were reported as 1410065408.
        Assert.Contains("need 10000000000", Assert.Throws<ArgumentException>(() => op.Predict(new float[4], new float[4], 100000, 100000)).Message);
        Assert.Throws<ArgumentNullException>(() => op.Predict(new float[256], output, null!));
        var input = new float[256];
        input[37] = float.NaN;
        Assert.Contains("input value 37 is NaN", Assert.Throws<ArgumentException>(() => op.Predict(input, output, 16, 16)).Message);
    }

    [Fact]
    public void EvaluationBatchesShrinkWhereTheRequestedOneWouldNotFitInMemory()
    {
        using var op = NeuralOperator.Load(Trained());
        Assert.Equal(20, op.BatchThatFits(20, [16, 16]));
        // A 40000 x 40000 grid takes more than any machine's memory per sample: one at a time.
        Assert.Equal(1, op.BatchThatFits(20, [40_000, 40_000]));
        int fitting = op.BatchThatFits(1000, [2049, 2049]);
        Assert.InRange(fitting, 1, 999);
        Assert.Throws<ArgumentOutOfRangeException>(() => op.BatchThatFits(0, [16, 16]));
    }

    // g applied to a square field, through the training's map of grid fields.
    static float[,] Map(float[,] field, int g)
    {
        int n = field.GetLength(0);
        using var t = TorchSharp.torch.tensor(field);
        using var mapped = DihedralAugmentation.Apply(t, g).contiguous();
        var values = mapped.data<float>().ToArray();
        var result = new float[n, n];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(float));
        return result;
    }

    // max over g and points of |P(g a) - g P(a)|, relative to max |P(a)|.
    static double EquivarianceGap(NeuralOperator op, float[,] a)
    {
        var p = op.Predict(a);
        double scale = p.Cast<float>().Max(v => Math.Abs(v)), gap = 0;
        for (int g = 1; g < DihedralAugmentation.Order; g++)
        {
            var direct = op.Predict(Map(a, g));
            var moved = Map(p, g);
            for (int j = 0; j < a.GetLength(0); j++)
                for (int i = 0; i < a.GetLength(1); i++) gap = Math.Max(gap, Math.Abs(direct[j, i] - moved[j, i]) / scale);
        }
        return gap;
    }

    [Fact]
    public void EveryDihedralElementHasTheInverseThatUndoesIt()
    {
        using var field = TorchSharp.torch.arange(25, dtype: TorchSharp.torch.ScalarType.Float32).reshape(5, 5);
        for (int g = 0; g < DihedralAugmentation.Order; g++)
        {
            int inverse = DihedralAugmentation.Inverse(g);
            Assert.Equal(g, DihedralAugmentation.Inverse(inverse));
            using var there = DihedralAugmentation.Apply(field, g);
            using var back = DihedralAugmentation.Apply(there, inverse);
            Assert.True(back.eq(field).all().item<bool>(), $"element {g}, inverse {inverse}");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => DihedralAugmentation.Inverse(8));
    }

    [Fact]
    public void SymmetryAveragedPredictionsCommuteWithTheSymmetriesOfTheSquare()
    {
        using var op = NeuralOperator.Load(Trained());
        var a = new float[16, 16];
        for (int j = 0; j < 16; j++) for (int i = 0; i < 16; i++) a[j, i] = (float)(1 + 0.5 * Math.Sin(0.9 * i + 0.3 * j * j / 16.0 + 0.2));
        var plain = op.Predict(a);
        double plainGap = EquivarianceGap(op, a);

        op.SymmetryAveraging = true;
        double averagedGap = EquivarianceGap(op, a);
        var averaged = op.Predict(a);
        // S(a) = (1/8) sum_g g^-1 G(g a) commutes with every g exactly (up to float rounding);
        // the plain model's 3x3 kernels do not, so the averaging changes its prediction.
        Assert.True(averagedGap < 1e-5, $"averaged: {averagedGap:E2}");
        Assert.True(plainGap > 100 * averagedGap, $"plain {plainGap:E2}, averaged {averagedGap:E2}");
        Assert.Contains(Enumerable.Range(0, 256), k => Math.Abs(averaged[k / 16, k % 16] - plain[k / 16, k % 16]) > 1e-4);
        Assert.Throws<ArgumentException>(() => op.Predict(new float[16 * 8], new float[16 * 8], 16, 8));
    }

    [Fact]
    public void SymmetryAveragingRefusesAPointwiseNormalization()
    {
        string folder = Path.Combine(_dir, "pointwise");
        OperatorTrainer.Train(new TrainingSpec
        {
            ModelName = "mgno",
            ModelOptions = MgnoOptions.WithLevels(2) with { Width = 4, Layers = 1 },
            Options = new TrainingOptions { Epochs = 1, BatchSize = 4, Normalization = NormalizationKind.GaussianPointwise },
        }, Data(8, 16, 1), Data(4, 16, 2), folder);
        using var op = NeuralOperator.Load(folder);
        var e = Assert.Throws<InvalidOperationException>(() => op.SymmetryAveraging = true);
        Assert.Contains("per point", e.Message);
        Assert.False(op.SymmetryAveraging);
    }

    [Fact]
    public void DisposedOperatorRefusesWork()
    {
        var op = NeuralOperator.Load(Trained());
        op.Dispose();
        Assert.Throws<ObjectDisposedException>(() => op.Predict(new float[16, 16]));
    }
}
