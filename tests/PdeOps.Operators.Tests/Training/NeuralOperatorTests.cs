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

    [Fact]
    public void DisposedOperatorRefusesWork()
    {
        var op = NeuralOperator.Load(Trained());
        op.Dispose();
        Assert.Throws<ObjectDisposedException>(() => op.Predict(new float[16, 16]));
    }
}
