using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Models;
using PdeOps.Operators.Training;
using static PdeOps.Operators.Tests.Training.OperatorTrainerTests;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Training;

/// <summary>The trainer's extension points: the objective a step minimises and the callbacks.</summary>
[Collection("torch random state")]
public sealed class TrainingHooksTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-hooks-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    sealed class CountingObjective(ITrainingObjective inner) : ITrainingObjective
    {
        public int Calls;
        public Tensor Loss(NeuralOperatorModel model, TrainingBatch batch) { Calls++; return inner.Loss(model, batch); }
    }

    // Zero loss, zero gradients: with no weight decay, Adam leaves every weight where it was.
    sealed class ZeroObjective : ITrainingObjective
    {
        public Tensor Loss(NeuralOperatorModel model, TrainingBatch batch) => batch.Predict(model).sum() * 0;
    }

    sealed class GridRecordingObjective(ITrainingObjective inner) : ITrainingObjective
    {
        public readonly List<long> Grids = new();
        public Tensor Loss(NeuralOperatorModel model, TrainingBatch batch)
        {
            Assert.Equal(batch.Inputs.shape[2..], batch.Targets.shape[2..]);
            Grids.Add(batch.Inputs.shape[^1]);
            return inner.Loss(model, batch);
        }
    }

    [Fact]
    public void AMultiResolutionRunCyclesItsBatchesThroughTheSubsampledGrids()
    {
        var spec = Spec(3) with { Options = Spec(3).Options with { Resolutions = [8, 16] } };
        var recording = new GridRecordingObjective(DataObjective.For(spec));
        var result = OperatorTrainer.Train(spec, Synthetic(32, 1), Synthetic(8, 2), Path.Combine(_dir, "multi"), hooks: new TrainingHooks { Objective = recording });
        Assert.Equal(Enumerable.Range(0, 12).Select(step => step % 2 == 0 ? 8L : 16L), recording.Grids);
        Assert.True(result.History[^1].TestRelativeL2 < result.History[0].TestRelativeL2, $"{result.History[0].TestRelativeL2:E2} -> {result.History[^1].TestRelativeL2:E2}");

        // A grid the data cannot be subsampled to is refused before the run folder is made.
        var unreachable = spec with { Options = spec.Options with { Resolutions = [5, 16] } };
        var error = Assert.Throws<ArgumentException>(() => OperatorTrainer.Train(unreachable, Synthetic(32, 1), Synthetic(8, 2), Path.Combine(_dir, "unreachable")));
        Assert.Contains("resolution 5", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "unreachable")));
    }

    [Fact]
    public void TheObjectiveDrivesEveryStepAndTheDefaultIsTheSpecsDataLoss()
    {
        var spec = Spec(3);
        var plain = OperatorTrainer.Train(spec, Synthetic(32, 1), Synthetic(8, 2), Path.Combine(_dir, "plain"));
        var counting = new CountingObjective(DataObjective.For(spec));
        var hooked = OperatorTrainer.Train(spec, Synthetic(32, 1), Synthetic(8, 2), Path.Combine(_dir, "hooked"), hooks: new TrainingHooks { Objective = counting });
        Assert.Equal(3 * 4, counting.Calls);   // 32 samples in batches of 8, 3 epochs
        Assert.Equal(plain.History.Select(m => m.TestRelativeL2), hooked.History.Select(m => m.TestRelativeL2));

        var frozen = spec with { Options = spec.Options with { WeightDecay = 0 } };
        var still = OperatorTrainer.Train(frozen, Synthetic(32, 1), Synthetic(8, 2), Path.Combine(_dir, "zero"), hooks: new TrainingHooks { Objective = new ZeroObjective() });
        Assert.All(still.History, m => Assert.Equal(still.History[0].TestRelativeL2, m.TestRelativeL2, 12));
        Assert.All(still.History, m => Assert.Equal(0, m.TrainLoss));
        Assert.True(plain.History[^1].TestRelativeL2 < still.History[^1].TestRelativeL2, $"{plain.History[^1].TestRelativeL2} vs {still.History[^1].TestRelativeL2}");
    }

    [Fact]
    public void CallbacksSeeEachPublishedEpochAndEachBestCheckpoint()
    {
        var ended = new List<int>();
        var best = new List<int>();
        string folder = Path.Combine(_dir, "run");
        var result = OperatorTrainer.Train(Spec(4), Synthetic(32, 1), Synthetic(8, 2), folder, hooks: new TrainingHooks
        {
            EpochEnded = m =>
            {
                // Published before the callback: the state on disk is at this epoch.
                Assert.Equal(m.Epoch, RunState.Load(folder).Epoch);
                ended.Add(m.Epoch);
            },
            BestCheckpointSaved = (epoch, run) => { Assert.Equal(folder, run); best.Add(epoch); },
        });
        Assert.Equal([1, 2, 3, 4], ended);
        var expected = result.History.Where((m, i) => result.History.Take(i).All(p => p.TestRelativeL2 > m.TestRelativeL2)).Select(m => m.Epoch);
        Assert.Equal(expected, best);
        Assert.Equal(result.BestEpoch, best[^1]);
    }

    [Fact]
    public void ASecondRunOnTheFolderIsRefusedWhileTheFirstTrainsAndResumesAfterIt()
    {
        string folder = Path.Combine(_dir, "held");
        var refusals = new List<string>();
        OperatorTrainer.Train(Spec(2), Synthetic(32, 1), Synthetic(8, 2), folder, hooks: new TrainingHooks
        {
            EpochEnded = m =>
            {
                if (m.Epoch != 1) return;
                var e = Assert.Throws<CheckpointException>(() => OperatorTrainer.Train(Spec(2), Synthetic(32, 1), Synthetic(8, 2), folder, resume: true));
                refusals.Add(e.Message);
            },
        });
        Assert.Contains("another run is training in this folder now", Assert.Single(refusals));
        // Released when the run ends: resuming the finished run opens it and finds both epochs.
        var again = OperatorTrainer.Train(Spec(2), Synthetic(32, 1), Synthetic(8, 2), folder, resume: true);
        Assert.Equal(2, again.History.Count);
    }
}
