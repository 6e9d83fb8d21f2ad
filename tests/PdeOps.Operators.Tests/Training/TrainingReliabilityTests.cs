using System.Text.Json.Nodes;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Training;
using static PdeOps.Operators.Tests.Training.OperatorTrainerTests;

namespace PdeOps.Operators.Tests.Training;

/// <summary>What a run folder guarantees when data, settings, the optimizer or the disk misbehave.</summary>
[Collection("torch random state")]
public sealed class TrainingReliabilityTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-train-rel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Killed(int epochs, int killAfter, string name)
    {
        string folder = Path.Combine(_dir, name);
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => OperatorTrainer.Train(Spec(epochs), Synthetic(32, 1), Synthetic(8, 2), folder,
            progress: p => { if (p.Finished?.Epoch == killAfter) cancel.Cancel(); }, cancellation: cancel.Token));
        return folder;
    }

    [Fact]
    public void ResumeRefusesOtherTrainingOrTestDataAndKeepsTheRun()
    {
        string folder = Killed(4, 2, "run");
        string metrics = File.ReadAllText(Path.Combine(folder, "metrics.csv"));
        string weights = OperatorCheckpoint.Sha256Of(Path.Combine(folder, "weights.bin"));
        var e = Assert.Throws<CheckpointException>(() => OperatorTrainer.Train(Spec(4), Synthetic(32, 7), Synthetic(8, 2), folder, resume: true));
        Assert.Contains("resume needs the run's train data", e.Message);
        e = Assert.Throws<CheckpointException>(() => OperatorTrainer.Train(Spec(4), Synthetic(32, 1), Synthetic(8, 9), folder, resume: true));
        Assert.Contains("resume needs the run's test data", e.Message);
        // Fewer samples of the same file are other data too.
        e = Assert.Throws<CheckpointException>(() => OperatorTrainer.Train(Spec(4), Synthetic(32, 1).Slice(0, 24), Synthetic(8, 2), folder, resume: true));
        Assert.Contains("train data", e.Message);
        Assert.Equal(metrics, File.ReadAllText(Path.Combine(folder, "metrics.csv")));
        Assert.Equal(weights, OperatorCheckpoint.Sha256Of(Path.Combine(folder, "weights.bin")));
        Assert.Equal(2, RunState.Load(folder).Epoch);
        // The run's own data resume it.
        Assert.Equal(4, OperatorTrainer.Train(Spec(4), Synthetic(32, 1), Synthetic(8, 2), folder, resume: true).History.Count);
    }

    [Fact]
    public void DivergenceStopsAtItsStepKeepsTheLastGoodStateAndResumesWithALowerRate()
    {
        string folder = Killed(4, 2, "run");
        var good = RunState.Load(folder);
        string bestWeights = OperatorCheckpoint.Sha256Of(Path.Combine(folder, "weights.bin"));
        var spec = Spec(4);
        var diverging = spec with { Options = spec.Options with { LearningRate = 1e5 } };
        var e = Assert.Throws<TrainingDivergedException>(() => OperatorTrainer.Train(diverging, Synthetic(32, 1), Synthetic(8, 2), folder, resume: true));
        Assert.Equal(3, e.Epoch);
        Assert.Equal(2, e.LastGoodEpoch);
        Assert.Matches("(loss became (NaN|∞|-∞|Infinity)|parameter .* became NaN|test)", e.Message);
        // Nothing of the diverged epoch reached the folder.
        var after = RunState.Load(folder);
        Assert.Equal(good.Epoch, after.Epoch);
        Assert.Equal(good.History, after.History);
        Assert.Equal(bestWeights, OperatorCheckpoint.Sha256Of(Path.Combine(folder, "weights.bin")));
        Assert.DoesNotContain("Infinity", File.ReadAllText(Path.Combine(folder, "metrics.csv")));
        Assert.DoesNotContain("NaN", File.ReadAllText(Path.Combine(folder, "metrics.csv")));
        // A lower rate resumes from epoch 2 and is recorded.
        var lower = spec with { Options = spec.Options with { LearningRate = 1e-3 } };
        var resumed = OperatorTrainer.Train(lower, Synthetic(32, 1), Synthetic(8, 2), folder, resume: true);
        Assert.Equal(4, resumed.History.Count);
        Assert.All(resumed.History, m => Assert.True(double.IsFinite(m.TrainLoss)));
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "run.json")))!;
        Assert.Equal(3, run["learning_rate_changes"]![0]!["from_epoch"]!.GetValue<int>());
    }

    [Fact]
    public void ARunThatDivergesOrFailsBeforeItsFirstEpochLeavesNoFolder()
    {
        var spec = Spec(2);
        string folder = Path.Combine(_dir, "diverged");
        var e = Assert.Throws<TrainingDivergedException>(() => OperatorTrainer.Train(spec with { Options = spec.Options with { LearningRate = 1e6 } },
            Synthetic(32, 1), Synthetic(8, 2), folder));
        Assert.Equal(0, e.LastGoodEpoch);
        Assert.False(Directory.Exists(folder));

        // Initial weights of another architecture fail after the folder exists: it is removed too.
        string first = Path.Combine(_dir, "first");
        OperatorTrainer.Train(Spec(1), Synthetic(32, 1), Synthetic(8, 2), first);
        string wider = Path.Combine(_dir, "wider");
        Assert.Throws<CheckpointException>(() => OperatorTrainer.Train(spec with
        {
            ModelOptions = new Models.FnoOptions { Width = 6, Modes = [4, 4], Layers = 2, ProjectionWidth = 16, Padding = 0 },
            InitialWeights = first,
        }, Synthetic(32, 1), Synthetic(8, 2), wider));
        Assert.False(Directory.Exists(wider));

        // A folder that existed before keeps everything but the run's files.
        string existing = Directory.CreateDirectory(Path.Combine(_dir, "existing")).FullName;
        File.WriteAllText(Path.Combine(existing, "notes.txt"), "mine");
        Assert.Throws<TrainingDivergedException>(() => OperatorTrainer.Train(spec with { Options = spec.Options with { LearningRate = 1e6 } },
            Synthetic(32, 1), Synthetic(8, 2), existing));
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(existing).Select(Path.GetFileName));

        // A start killed (kill -9) before its first epoch left only run.json: it does not block a retry.
        string killed = Directory.CreateDirectory(Path.Combine(_dir, "killed-early")).FullName;
        File.Copy(Path.Combine(first, "run.json"), Path.Combine(killed, "run.json"));
        Assert.Single(OperatorTrainer.Train(Spec(1), Synthetic(32, 1), Synthetic(8, 2), killed).History);
    }

    [Fact]
    public void AStateAheadOfItsMetricsStillResumesToTheUninterruptedResult()
    {
        var whole = OperatorTrainer.Train(Spec(4), Synthetic(32, 1), Synthetic(8, 2), Path.Combine(_dir, "whole"));
        string folder = Killed(4, 2, "run");
        // As after a full disk between the state and the metrics: metrics.csv lost its last row.
        var lines = File.ReadAllLines(Path.Combine(folder, "metrics.csv"));
        File.WriteAllLines(Path.Combine(folder, "metrics.csv"), lines[..^1]);
        File.WriteAllText(Path.Combine(folder, "last", "stray.bin.partial"), "half-written");
        var resumed = OperatorTrainer.Train(Spec(4), Synthetic(32, 1), Synthetic(8, 2), folder, resume: true);
        Assert.Equal(whole.History.Select(m => m.TestRelativeL2), resumed.History.Select(m => m.TestRelativeL2));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Length);
        Assert.Equal(["optimizer-00004.bin", "state.json", "weights-00004.bin"],
            Directory.EnumerateFiles(Path.Combine(folder, "last")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CorruptedOrNonFiniteCheckpointsAreRefusedByName()
    {
        string folder = Path.Combine(_dir, "run");
        OperatorTrainer.Train(Spec(1), Synthetic(32, 1), Synthetic(8, 2), folder);
        string weights = Path.Combine(folder, "weights.bin");
        var original = File.ReadAllBytes(weights);

        var flipped = (byte[])original.Clone();
        flipped[flipped.Length / 2] ^= 0x40;
        File.WriteAllBytes(weights, flipped);
        var e = Assert.Throws<CheckpointException>(() => NeuralOperator.Load(folder));
        Assert.Contains("checksum", e.Message);

        File.WriteAllBytes(weights, [.. original, 1, 2, 3, 4]);
        Assert.Contains("checksum", Assert.Throws<CheckpointException>(() => NeuralOperator.Load(folder)).Message);
        File.WriteAllBytes(weights, original);
        using (NeuralOperator.Load(folder)) { }

        // Without a checksum to catch it, a NaN parameter is refused by name.
        string description = Path.Combine(folder, "model.json");
        var json = JsonNode.Parse(File.ReadAllText(description))!.AsObject();
        json.Remove("weights_sha256");
        File.WriteAllText(description, json.ToJsonString());
        using (var model = OperatorCheckpoint.Read(folder).LoadModel(folder))
        {
            using (TorchSharp.torch.no_grad()) model.parameters().First().fill_(double.NaN);
            model.save(weights);
        }
        Assert.Contains("NaN or infinite", Assert.Throws<CheckpointException>(() => NeuralOperator.Load(folder)).Message);
        File.WriteAllBytes(weights, original);

        // A normalizer with a zero standard deviation and no epsilon would turn predictions into NaN.
        var broken = JsonNode.Parse(json.ToJsonString())!.AsObject();
        var outputNormalizer = broken["outputs"]!["normalizers"]![0]!.AsObject();
        foreach (var key in new[] { "std", "eps" }) if (outputNormalizer.ContainsKey(key)) outputNormalizer[key] = 0.0;
        File.WriteAllText(description, broken.ToJsonString());
        Assert.Contains("degenerate", Assert.Throws<CheckpointException>(() => NeuralOperator.Load(folder)).Message);

        // A missing key is named.
        json.Remove("training_grid");
        File.WriteAllText(description, json.ToJsonString());
        Assert.Contains("missing key 'training_grid'", Assert.Throws<CheckpointException>(() => NeuralOperator.Load(folder)).Message);
    }
}
