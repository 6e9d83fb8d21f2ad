using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Hypino;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Hypino;

[Collection("torch random state")]
public class HypinoRunTests
{
    static readonly HypinoOptions Tiny = HypinoOptions.Small with { Resolution = 16, Depths = [1], Embedding = 8, Heads = 2, HeadWidth = 16, Frequencies = 2 };
    static readonly HypinoTrainingOptions Short = new()
    {
        Steps = 6,
        BatchSize = 2,
        WarmupSteps = 2,
        InteriorPoints = 16,
        BoundaryPoints = 8,
        CheckpointEvery = 3,
        ValidationProblems = 2,
        PhysicsFraction = 0.5,
    };

    static string Folder() => Path.Combine(Path.GetTempPath(), "pdeops-hypino-" + Guid.NewGuid().ToString("N"));

    // A model trained for three steps in a fresh folder, removed on disposal: enough to generate PINNs of the right shape.
    sealed class TinyModel : IDisposable
    {
        public string Folder { get; } = HypinoRunTests.Folder();

        public TinyModel()
        {
            using var source = new ManufacturedProblemSource(0, 0);
            HypinoTrainer.Train(Folder, Tiny, Short with { Steps = 3, PhysicsFraction = 0 }, source, resume: false);
        }

        public void Dispose()
        {
            if (Directory.Exists(Folder)) Directory.Delete(Folder, true);
        }
    }

    static float[] Weights(string folder)
    {
        using var hypino = HypinoCheckpoint.Load(folder).Network;
        return cat(hypino.parameters().Select(p => p.detach().reshape(-1)).ToArray()).data<float>().ToArray();
    }

    [Fact]
    public void ASecondRunOnTheFolderIsRefusedWhileTheFirstTrains()
    {
        string folder = Folder();
        try
        {
            string? refusal = null;
            using var source = new ManufacturedProblemSource(0, Short.PhysicsFraction);
            using var other = new ManufacturedProblemSource(0, Short.PhysicsFraction);
            HypinoTrainer.Train(folder, Tiny, Short, source, resume: false, stepDone: s =>
            {
                if (s == 4) refusal = Assert.Throws<CheckpointException>(() => HypinoTrainer.Train(folder, Tiny, Short, other, resume: true)).Message;
            });
            Assert.Contains("another run is training in this folder now", refusal);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void AKilledRunResumesToTheWeightsOfTheUninterruptedOne()
    {
        string whole = Folder(), split = Folder();
        try
        {
            using (var source = new ManufacturedProblemSource(0, Short.PhysicsFraction))
                HypinoTrainer.Train(whole, Tiny, Short, source, resume: false);
            using var cancel = new CancellationTokenSource();
            using (var source = new ManufacturedProblemSource(0, Short.PhysicsFraction))
                Assert.ThrowsAny<OperationCanceledException>(() => HypinoTrainer.Train(split, Tiny, Short, source, resume: false,
                    stepDone: s => { if (s == 4) cancel.Cancel(); }, cancel: cancel.Token));
            // A fresh start on the folder is refused; resume continues from step 3.
            using (var source = new ManufacturedProblemSource(0, Short.PhysicsFraction))
                Assert.Throws<CheckpointException>(() => HypinoTrainer.Train(split, Tiny, Short, source, resume: false));
            HypinoTrainingSummary summary;
            using (var source = new ManufacturedProblemSource(0, Short.PhysicsFraction))
                summary = HypinoTrainer.Train(split, Tiny, Short, source, resume: true);
            Assert.Equal(6, summary.Steps);
            Assert.Equal(2, summary.History.Count);
            // The best checkpoint of both runs is the same step; its weights are bit-identical.
            var a = File.ReadAllLines(Path.Combine(whole, "metrics.csv")).Select(l => string.Join(',', l.Split(',')[..9]));
            var b = File.ReadAllLines(Path.Combine(split, "metrics.csv")).Select(l => string.Join(',', l.Split(',')[..9]));
            Assert.Equal(a, b);
            Assert.Equal(Weights(whole), Weights(split));
        }
        finally
        {
            foreach (var f in new[] { whole, split }) if (Directory.Exists(f)) Directory.Delete(f, true);
        }
    }

    [Fact]
    public void ARunStartedFromAnotherModelBeginsAtItsWeightsAndValidatesOnTheSameProblems()
    {
        string first = Folder(), second = Folder(), refused = Folder();
        try
        {
            HypinoTrainingSummary trained, started;
            using (var source = new ManufacturedProblemSource(0, 0))
                trained = HypinoTrainer.Train(first, Tiny, Short with { Steps = 3, PhysicsFraction = 0 }, source, resume: false);
            // A negligible learning rate keeps the starting weights, so the first validation of a run
            // of another seed scores the first run's best model on the same held-out problems.
            var start = Short with { Steps = 2, WarmupSteps = 0, PhysicsFraction = 0, LearningRate = 1e-30, WeightDecay = 0, CheckpointEvery = 1, Seed = 7, InitFrom = first };
            using (var source = new ManufacturedProblemSource(7, 0))
                started = HypinoTrainer.Train(second, Tiny, start, source, resume: false);
            Assert.Equal(trained.BestValidationRelativeL2, started.History[0].ValidationRelativeL2, 1e-9);
            var (a, b) = (Weights(first), Weights(second));
            Assert.Equal(a.Length, b.Length);
            Assert.True(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) < 1e-12);
            // A finished run started from another resumes as finished; a network of other options is refused.
            using (var source = new ManufacturedProblemSource(7, 0))
                Assert.Equal(2, HypinoTrainer.Train(second, Tiny, start, source, resume: true).Steps);
            using (var source = new ManufacturedProblemSource(7, 0))
            {
                var e = Assert.Throws<CheckpointException>(() => HypinoTrainer.Train(refused, Tiny with { Embedding = 16 }, start, source, resume: false));
                Assert.Contains("embedding", e.Message);
            }
            Assert.False(Directory.Exists(refused));
        }
        finally
        {
            foreach (var f in new[] { first, second, refused }) if (Directory.Exists(f)) Directory.Delete(f, true);
        }
    }

    [Fact]
    public void ResumeRefusesOtherSettings()
    {
        string folder = Folder();
        try
        {
            using (var source = new ManufacturedProblemSource(0, 0))
                HypinoTrainer.Train(folder, Tiny, Short with { Steps = 3, PhysicsFraction = 0 }, source, resume: false);
            using var other = new ManufacturedProblemSource(0, 0);
            var e = Assert.Throws<CheckpointException>(() => HypinoTrainer.Train(folder, Tiny, Short with { Steps = 3, PhysicsFraction = 0, BatchSize = 3 }, other, resume: true));
            Assert.Contains("batch_size", e.Message);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void ASolvedEnsembleSavesLoadsAndEvaluatesAsTheSumOfItsMembers()
    {
        using var model = new TinyModel();
        string folder = model.Folder;
        using var hypino = PdeOps.Operators.Hypino.Hypino.Load(folder);
        var problem = Problem2D.FromText("uxx + uyy", "1", "square - disk(0.2, 0.1, 0.3)", ["0"], []);
        using var u = hypino.Solve(problem);
        using var single = hypino.Solve(problem);
        var nan = Assert.Throws<ArgumentException>(() => hypino.Solve(Problem2D.FromText("uxx + uyy", "log(x)", "square", ["0"], [])));
        Assert.Contains("the source is NaN", nan.Message);
        var rounds = hypino.Refine(problem, u, rounds: 2);
        Assert.Equal(2, rounds.Count);
        Assert.Equal(1 + rounds.Count(r => r.StepLength != 0), u.Count);
        double[] x = [-0.5, 0.1, 0.7], y = [0.3, -0.9, 0.0];
        string file = Path.Combine(folder, "u.pinn.json");
        u.Save(file);
        using var loaded = PinnEnsemble.Load(file);
        var (expected, actual) = (u.Predict(x, y), loaded.Predict(x, y));
        for (int i = 0; i < x.Length; i++) Assert.Equal(expected[i], actual[i], 1e-6);
        // The first member is the zero-shot answer; the others add the corrections.
        if (u.Count > 1) Assert.NotEqual(single.Predict(x, y)[0], expected[0]);
        else Assert.Equal(single.Predict(x, y)[0], expected[0], 1e-6);
        Assert.Throws<CheckpointException>(() => PinnEnsemble.Load(Path.Combine(folder, "hypino.json")));
    }

    [Fact]
    public void AnAnswersCheckIsRefinementsLossBeforeTheFirstRoundBesideTheLossOfZero()
    {
        using var model = new TinyModel();
        using var hypino = PdeOps.Operators.Hypino.Hypino.Load(model.Folder);

        // u = 0 leaves the source as the residual: its loss is the mean of f^2, whatever the boundary weights.
        var driven = Problem2D.FromText("uxx + uyy", "3", "square - disk(0.2, 0.1, 0.3)", ["0"], []);
        using var u = hypino.Solve(driven);
        var check = PdeOps.Operators.Hypino.Hypino.Check(driven, u, seed: 3);
        Assert.Equal(9, check.ZeroAnswerLoss, 1e-9);
        var round = Assert.Single(hypino.Refine(driven, u, rounds: 1, seed: 3));
        Assert.Equal(round.ResidualBefore, check.Loss, 1e-9 * check.Loss);
        Assert.Equal(check.Loss / 9, check.Ratio, 1e-12);
        Assert.Equal(check.Ratio > 0.5, check.BarelyBetterThanZero);

        // Boundary data alone: u = 0 misses them by g_D everywhere on the boundary, weighed as refinement weighs them.
        var bounded = Problem2D.FromText("uxx + uyy", "0", "square", ["2"], []);
        using var v = hypino.Solve(bounded);
        double zeroLoss = PdeOps.Operators.Hypino.Hypino.Check(bounded, v, seed: 5).ZeroAnswerLoss;
        var weights = Assert.Single(hypino.Refine(bounded, v, rounds: 1, seed: 5)).Loss;
        Assert.Equal(4 * weights.DirichletWeight, zeroLoss, 1e-9 * zeroLoss);

        // Zero data: u = 0 solves the problem, and no answer is called barely better than it.
        var trivial = Problem2D.FromText("uxx + uyy", "0", "square", ["0"], []);
        using var w = hypino.Solve(trivial);
        var none = PdeOps.Operators.Hypino.Hypino.Check(trivial, w);
        Assert.Equal(0, none.ZeroAnswerLoss);
        Assert.True(double.IsNaN(none.Ratio));
        Assert.False(none.BarelyBetterThanZero);
    }

    [Fact]
    public void LoadingAFolderThatHoldsNoHypinoModelFailsWithItsReason()
    {
        string folder = Folder();
        Directory.CreateDirectory(folder);
        try
        {
            var e = Assert.Throws<CheckpointException>(() => PdeOps.Operators.Hypino.Hypino.Load(folder));
            Assert.Contains("not a HyPINO model", e.Message);
            File.WriteAllText(Path.Combine(folder, OperatorCheckpoint.DescriptionFile), "{}");
            e = Assert.Throws<CheckpointException>(() => PdeOps.Operators.Hypino.Hypino.Load(folder));
            Assert.Contains("neural-operator checkpoint", e.Message);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }
}
