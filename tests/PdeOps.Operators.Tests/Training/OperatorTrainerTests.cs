using PdeOps.Datasets.Readers;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Models;
using PdeOps.Operators.Training;

namespace PdeOps.Operators.Tests.Training;

[Collection("torch random state")]
public sealed class OperatorTrainerTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // u = a smoothed copy of a: a linear operator FNO learns quickly. 16 x 16 periodic grid.
    internal static OperatorDataset Synthetic(int samples, int seed) => Periodic16(samples, seed, (c, x, y) =>
        (1 + c[0] * Math.Sin(x) + c[1] * Math.Cos(2 * y) + c[2] * Math.Sin(x + y),
         1 + c[0] * Math.Sin(x) / 2 + c[1] * Math.Cos(2 * y) / 5 + c[2] * Math.Sin(x + y) / 3));

    /// <summary>
    /// Samples on a 16 x 16 periodic grid of [0, 2 pi)^2: sample n's (a, u) at (x, y) is
    /// <paramref name="field"/>(c, x, y), with three coefficients c drawn uniformly from [-0.5, 0.5) per sample.
    /// </summary>
    internal static OperatorDataset Periodic16(int samples, int seed, Func<double[], double, double, (double A, double U)> field)
    {
        const int s = 16;
        var rng = new Random(seed);
        var a = new float[samples * s * s];
        var u = new float[samples * s * s];
        for (int n = 0; n < samples; n++)
        {
            double[] c = [rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5];
            for (int j = 0; j < s; j++)
                for (int i = 0; i < s; i++)
                {
                    var (av, uv) = field(c, 2 * Math.PI * i / s, 2 * Math.PI * j / s);
                    (a[n * s * s + j * s + i], u[n * s * s + j * s + i]) = ((float)av, (float)uv);
                }
        }
        return InMemory(a, u, [samples, s, s]);
    }

    /// <summary>An in-memory dataset of one input field "a" and one output field "u" of <paramref name="shape"/> (samples first).</summary>
    internal static OperatorDataset InMemory(float[] a, float[] u, int[] shape) => new("memory", DatasetFormat.PdeOps,
        [new FieldArray("a", a, shape)], [new FieldArray("u", u, shape)], new Dictionary<string, double[]>(), new Dictionary<string, string>());

    internal static TrainingSpec Spec(int epochs) => new()
    {
        ModelName = "fno",
        ModelOptions = new FnoOptions { Width = 8, Modes = [4, 4], Layers = 2, ProjectionWidth = 16, Padding = 0 },
        Convention = Losses.GridConvention.Periodic,
        Options = new TrainingOptions { Epochs = epochs, BatchSize = 8, LearningRate = 5e-3, Seed = 3 },
    };

    [Fact]
    public void TrainingReducesTheTestErrorAndWritesACheckpoint()
    {
        string folder = Path.Combine(_dir, "run");
        var result = OperatorTrainer.Train(Spec(8), Synthetic(48, 1), Synthetic(16, 2), folder);
        Assert.Equal(8, result.History.Count);
        Assert.True(result.BestTestRelativeL2 < 0.5 * result.History[0].TestRelativeL2,
            $"test error {result.History[0].TestRelativeL2:E2} -> {result.BestTestRelativeL2:E2}");
        foreach (var file in new[] { "model.json", "weights.bin", "metrics.csv", "metrics.json", "run.json" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        var checkpoint = OperatorCheckpoint.Read(folder);
        Assert.Equal("fno", checkpoint.ModelName);
        Assert.Equal(["a"], checkpoint.Inputs.Names);
        Assert.Equal([16, 16], checkpoint.TrainingGrid);
        using var model = checkpoint.LoadModel(folder);
        Assert.Equal(result.Parameters, model.ParameterCount());
    }

    [Fact]
    public void AResumedRunEndsWithTheSameMetricsAsAnUninterruptedOne()
    {
        var train = Synthetic(32, 1);
        var test = Synthetic(8, 2);
        var whole = OperatorTrainer.Train(Spec(5), train, test, Path.Combine(_dir, "whole"));
        string folder = Path.Combine(_dir, "killed");
        using (var cancel = new CancellationTokenSource())
        {
            Assert.ThrowsAny<OperationCanceledException>(() => OperatorTrainer.Train(Spec(5), train, test, folder,
                progress: p => { if (p.Finished?.Epoch == 2) cancel.Cancel(); }, cancellation: cancel.Token));
        }
        Assert.Equal(2, EpochMetrics.ReadAll(folder).Count);
        // A run started before an option existed (here: without trapezoidal_edges) resumes with the option at its default.
        string runFile = Path.Combine(folder, "run.json");
        var started = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(runFile))!;
        Assert.True(started["model_options"]!.AsObject().Remove("trapezoidal_edges"));
        File.WriteAllText(runFile, started.ToJsonString());
        var resumed = OperatorTrainer.Train(Spec(5), train, test, folder, resume: true);
        Assert.True(resumed.Resumed);
        Assert.Equal(whole.History.Select(m => (m.TrainLoss, m.TestRelativeL2)), resumed.History.Select(m => (m.TrainLoss, m.TestRelativeL2)));
        Assert.Throws<CheckpointException>(() => OperatorTrainer.Train(Spec(6), train, test, folder, resume: true));
        Assert.Throws<CheckpointException>(() => OperatorTrainer.Train(Spec(5), train, test, folder));
    }

    [Fact]
    public void InitialWeightsStartARunWhereTheCheckpointStopped()
    {
        var train = Synthetic(32, 1);
        var test = Synthetic(8, 2);
        string first = Path.Combine(_dir, "first");
        var trained = OperatorTrainer.Train(Spec(4), train, test, first);
        // One epoch at a negligible learning rate measures the starting weights.
        static TrainingSpec Frozen(TrainingSpec spec, string? from) =>
            spec with { InitialWeights = from, Options = spec.Options with { LearningRate = 1e-12 } };
        var continued = OperatorTrainer.Train(Frozen(Spec(1), first), train, test, Path.Combine(_dir, "continued"));
        var scratch = OperatorTrainer.Train(Frozen(Spec(1), null), train, test, Path.Combine(_dir, "scratch"));
        Assert.Equal(trained.BestTestRelativeL2, continued.History[0].TestRelativeL2, 1e-6);
        // The same epoch from a random start lands elsewhere: the match above is the loaded weights'.
        Assert.True(Math.Abs(scratch.History[0].TestRelativeL2 - trained.BestTestRelativeL2) > 1e-2,
            $"from scratch {scratch.History[0].TestRelativeL2:E2}, trained {trained.BestTestRelativeL2:E2}");
        Assert.Contains("initial_weights", File.ReadAllText(Path.Combine(_dir, "continued", "run.json")));

        // A checkpoint written before an option existed (here: without trapezoidal_edges) matches at the option's default.
        string description = Path.Combine(first, OperatorCheckpoint.DescriptionFile);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(description))!;
        Assert.True(json["options"]!.AsObject().Remove("trapezoidal_edges"));
        File.WriteAllText(description, json.ToJsonString());
        var older = OperatorTrainer.Train(Frozen(Spec(1), first), train, test, Path.Combine(_dir, "older"));
        Assert.Equal(trained.BestTestRelativeL2, older.History[0].TestRelativeL2, 1e-6);

        var wider = Spec(1) with { ModelOptions = new FnoOptions { Width = 6, Modes = [4, 4], Layers = 2, ProjectionWidth = 16, Padding = 0 }, InitialWeights = first };
        var e = Assert.Throws<CheckpointException>(() => OperatorTrainer.Train(wider, train, test, Path.Combine(_dir, "wider")));
        Assert.Contains("architecture differs", e.Message);
    }

    [Fact]
    public void InitialWeightsMayComeFromACoarserGridWithAnotherPadding()
    {
        var train = Synthetic(32, 1);
        var test = Synthetic(8, 2);
        static TrainingSpec Padded(int epochs, int padding, int[]? resolutions) => Spec(epochs) with
        {
            ModelOptions = new FnoOptions { Width = 8, Modes = [3, 3], Layers = 2, ProjectionWidth = 16, Padding = padding },
            Options = Spec(epochs).Options with { Resolutions = resolutions },
        };
        // Trained on the 8-point subsample with 1 point of padding, fine-tuned at 16 with 2: the same physical padding.
        string coarse = Path.Combine(_dir, "coarse");
        OperatorTrainer.Train(Padded(2, 1, [8]), train, test, coarse);
        string fine = Path.Combine(_dir, "fine");
        var frozen = Padded(1, 2, null) with { InitialWeights = coarse };
        OperatorTrainer.Train(frozen with { Options = frozen.Options with { LearningRate = 1e-12 } }, train, test, fine);

        var coarseCheckpoint = OperatorCheckpoint.Read(coarse);
        var fineCheckpoint = OperatorCheckpoint.Read(fine);
        Assert.Contains("\"padding_reference_size\":8", coarseCheckpoint.OptionsJson.Replace(" ", ""));
        Assert.Contains("\"padding_reference_size\":16", fineCheckpoint.OptionsJson.Replace(" ", ""));
        using var before = coarseCheckpoint.LoadModel(coarse);
        using var after = fineCheckpoint.LoadModel(fine);
        Assert.Equal(before.parameters().Count(), after.parameters().Count());
        foreach (var (b, a) in before.parameters().Zip(after.parameters()))
            Assert.True(b.allclose(a, rtol: 0, atol: 1e-6), "a parameter moved away from the coarse checkpoint's");

        // Another width is still refused.
        var wider = Padded(1, 2, null) with { ModelOptions = new FnoOptions { Width = 6, Modes = [3, 3], Layers = 2, ProjectionWidth = 16, Padding = 2 }, InitialWeights = coarse };
        Assert.Throws<CheckpointException>(() => OperatorTrainer.Train(wider, train, test, Path.Combine(_dir, "wider")));
    }
}
