using PdeOps.Operators.Inference;
using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Training;
using TorchSharp;
using static PdeOps.Operators.Tests.Training.OperatorTrainerTests;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Attention;

/// <summary>The attention and Transolver models: one operator on grids and points, trained and reloaded like the others.</summary>
[Collection("torch random state")]
public sealed class PointNeuralOperatorTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-attention-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Models => new() { PointNeuralOperator.AttentionName, PointNeuralOperator.TransolverName };

    static PointOperatorOptions Small(string model, GridConvention convention = GridConvention.Periodic) => model == PointNeuralOperator.AttentionName
        ? new AttentionOptions { Width = 16, Heads = 2, Layers = 2, Frequencies = 3, Convention = convention }
        : new TransolverOptions { Width = 16, Heads = 2, Layers = 2, Frequencies = 3, Slices = 8, Convention = convention };

    [Theory]
    [MemberData(nameof(Models))]
    public void TheGridForwardIsThePointForwardOnTheGridsPointsAndConvergesUnderRefinement(string model)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var net = OperatorModelRegistry.Default.Create(model, Small(model, GridConvention.Closed));
        net.to(float64);
        var point = (PointNeuralOperator)net;
        using var noGrad = no_grad();
        // A smooth input on a closed grid of n points per axis, and the output at the points common to all grids.
        Tensor Sampled(int n)
        {
            var x = linspace(0, 1, n, dtype: float64);
            var field = (Math.PI * x).sin().unsqueeze(1) * (2 * x).cos().unsqueeze(0);
            return net.call(field.unsqueeze(0).unsqueeze(0));
        }
        var coarse = Sampled(17);
        using (var grid = PointSet.Grid([17, 17], GridConvention.Closed, dtype: float64))
        {
            var x = linspace(0, 1, 17, dtype: float64);
            var features = ((Math.PI * x).sin().unsqueeze(1) * (2 * x).cos().unsqueeze(0)).reshape(1, 289, 1);
            var viaPoints = point.ForwardPoints(features, grid).transpose(1, 2).reshape(1, 1, 17, 17);
            Assert.Equal([1L, 1, 17, 17], coarse.shape);
            Assert.True(allclose(coarse, viaPoints, rtol: 1e-10, atol: 1e-12));
        }
        // At the 17 x 17 points shared by the 33, 65 and 129 grids, the output converges at second order.
        var errors = new List<double>();
        var reference = Sampled(257).slice(2, 0, 257, 16).slice(3, 0, 257, 16);
        foreach (int n in new[] { 33, 65, 129 })
        {
            int stride = (n - 1) / 16;
            errors.Add((Sampled(n).slice(2, 0, n, stride).slice(3, 0, n, stride) - reference).abs().max().item<double>());
        }
        for (int i = 1; i < errors.Count; i++)
            Assert.True(Math.Log2(errors[i - 1] / errors[i]) > 1.7, $"{model}: errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
    }

    [Theory]
    [InlineData(PointNeuralOperator.AttentionName, false)]
    [InlineData(PointNeuralOperator.TransolverName, false)]
    [InlineData(PointNeuralOperator.TransolverName, true)]
    public void TrainsThroughTheTrainerAndReloadsFromItsCheckpoint(string model, bool slicesPerHead)
    {
        string folder = Path.Combine(_dir, slicesPerHead ? model + "-slices-per-head" : model);
        var options = Small(model) is TransolverOptions transolver ? transolver with { SlicesPerHead = slicesPerHead } : Small(model);
        var spec = Spec(6) with { ModelName = model, ModelOptions = options };
        var result = OperatorTrainer.Train(spec, Synthetic(32, 1), Synthetic(8, 2), folder);
        Assert.True(result.BestTestRelativeL2 < 0.7 * result.History[0].TestRelativeL2,
            $"{model}: test error {result.History[0].TestRelativeL2:E2} -> {result.BestTestRelativeL2:E2}");
        using var op = NeuralOperator.Load(folder);
        Assert.Equal(model, op.ModelName);
        var a = Synthetic(1, 9).Inputs[0].Values;
        var u = new float[a.Length];
        op.Predict(a, u, 16, 16);
        Assert.All(u, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(false, 0.8)]
    [InlineData(true, 1.7)]
    public void ASpectralConvolutionBesideAttentionConvergesOnGridsAndRefusesPointSets(bool trapezoidalEdges, double order)
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var options = new AttentionOptions
        {
            Width = 16,
            Heads = 2,
            Layers = 2,
            Frequencies = 3,
            Modes = 4,
            Padding = 2,
            PaddingReferenceSize = 17,
            TrapezoidalEdges = trapezoidalEdges,
            Convention = GridConvention.Closed,
        };
        using var net = (PointNeuralOperator)OperatorModelRegistry.Default.Create(PointNeuralOperator.AttentionName, options);
        net.to(float64);
        Assert.False(net.AcceptsPointSets);
        using var noGrad = no_grad();
        Tensor Sampled(int n)
        {
            var x = linspace(0, 1, n, dtype: float64);
            return net.call(((Math.PI * x).sin().unsqueeze(1) * (2 * x).cos().unsqueeze(0)).unsqueeze(0).unsqueeze(0));
        }
        // The padding keeps its physical length on the grids 2^k 16 + 1, so the output converges at the
        // points shared by all grids: at first order with a plain transform, as the zero padding makes
        // the field jump at the domain's edge, and at second order with the jumps weighted by the trapezoidal rule.
        var reference = Sampled(257).slice(2, 0, 257, 16).slice(3, 0, 257, 16);
        var errors = new[] { 33, 65, 129 }.Select(n => (Sampled(n).slice(2, 0, n, (n - 1) / 16).slice(3, 0, n, (n - 1) / 16) - reference).abs().max().item<double>()).ToArray();
        for (int i = 1; i < errors.Length; i++)
            Assert.True(Math.Log2(errors[i - 1] / errors[i]) > order, $"errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        // Without the spectral convolutions the same weights give another operator: the branch is used.
        using var plain = (PointNeuralOperator)OperatorModelRegistry.Default.Create(PointNeuralOperator.AttentionName, options with { Modes = 0, TrapezoidalEdges = false });
        plain.to(float64);
        var shared = net.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in plain.named_parameters()) parameter.copy_(shared[name]);
        var input = rand(1, 1, 17, 17, dtype: float64);
        Assert.True((net.call(input) - plain.call(input)).abs().max().item<double>() > 1e-3);
        // Scattered points are refused, naming why.
        using var points = PointSet.Grid([17, 17], GridConvention.Closed, dtype: float64);
        var error = Assert.Throws<InvalidOperationException>(() => net.ForwardPoints(input.reshape(1, 289, 1), points));
        Assert.Contains("spectral convolutions", error.Message);
        // Too many modes for the grid, and negative settings, are refused by the options.
        Assert.Contains("Modes", Assert.Throws<ArgumentException>(() => (options with { Modes = 12 }).CheckModesFit([17, 17])).Message);
        Assert.Contains("Padding", Assert.Throws<ArgumentException>(() => (options with { Padding = -1 }).Validated()).Message);
        Assert.Contains("TrapezoidalEdges", Assert.Throws<ArgumentException>(() => (options with { Modes = 0, TrapezoidalEdges = true }).Validated()).Message);
    }

    [Fact]
    public void OptionsAreCheckedAndRoundTripThroughJson()
    {
        var options = new AttentionOptions { Kernel = "softmax", Width = 24, Heads = 3, Modes = 5, PaddingReferenceSize = 33 };
        var back = NeuralOperatorOptions.FromJson<AttentionOptions>(options.ToJson());
        Assert.Equal(options.ToJson(), back.ToJson());
        Assert.Contains("\"kernel\": \"softmax\"", options.ToJson());
        Assert.Contains("Heads", Assert.Throws<ArgumentException>(() => new AttentionOptions { Width = 10, Heads = 4 }.Validated()).Message);
        Assert.Contains("known kernels", Assert.Throws<ArgumentException>(() => new AttentionOptions { Kernel = "cosine" }.Validated()).Message);
        Assert.Contains("Slices", Assert.Throws<ArgumentException>(() => new TransolverOptions { Slices = 1 }.Validated()).Message);
        // Slicing per head round-trips; options written before it existed read as shared slicing.
        var perHead = new TransolverOptions { SlicesPerHead = true };
        Assert.True(NeuralOperatorOptions.FromJson<TransolverOptions>(perHead.ToJson()).SlicesPerHead);
        var written = System.Text.Json.Nodes.JsonNode.Parse(perHead.ToJson())!.AsObject();
        Assert.True(written.Remove("slices_per_head"));
        Assert.False(NeuralOperatorOptions.FromJson<TransolverOptions>(written.ToJsonString()).SlicesPerHead);
    }

    [Fact]
    public void TrainingOnHalfThePointsLearnsTheOperatorOnTheWholeGridAndResumesExactly()
    {
        var spec = Spec(8) with { ModelName = PointNeuralOperator.TransolverName, ModelOptions = Small(PointNeuralOperator.TransolverName) };
        var grid = OperatorTrainer.Train(spec, Synthetic(32, 1), Synthetic(8, 2), Path.Combine(_dir, "grid"));
        TrainingHooks Half() => new() { Objective = new PointSubsetObjective(0.5, GridConvention.Periodic, seed: 7) };
        var half = OperatorTrainer.Train(spec, Synthetic(32, 1), Synthetic(8, 2), Path.Combine(_dir, "half"), hooks: Half());
        // Evaluated on the whole grid every epoch: it learns, and comes near the grid-trained model.
        Assert.True(half.BestTestRelativeL2 < 0.7 * half.History[0].TestRelativeL2, $"{half.History[0].TestRelativeL2:E2} -> {half.BestTestRelativeL2:E2}");
        Assert.True(half.BestTestRelativeL2 < 2 * grid.BestTestRelativeL2, $"half the points {half.BestTestRelativeL2:E2}, grid {grid.BestTestRelativeL2:E2}");
        // The subsets depend on the step only: a killed and resumed run ends where this one did.
        string killed = Path.Combine(_dir, "killed");
        using (var cancel = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => OperatorTrainer.Train(spec, Synthetic(32, 1), Synthetic(8, 2), killed,
                progress: p => { if (p.Finished?.Epoch == 3) cancel.Cancel(); }, cancellation: cancel.Token, hooks: Half()));
        var resumed = OperatorTrainer.Train(spec, Synthetic(32, 1), Synthetic(8, 2), killed, resume: true, hooks: Half());
        Assert.Equal(half.History.Select(m => m.TestRelativeL2), resumed.History.Select(m => m.TestRelativeL2));
        Assert.Contains("point operator", Assert.Throws<ArgumentException>(() => OperatorTrainer.Train(Spec(1), Synthetic(8, 1), Synthetic(8, 2),
            Path.Combine(_dir, "fno"), hooks: Half())).Message);
    }

    [Fact]
    public void PredictionsAtScatteredPointsMatchTheGridPredictionAtTheGridsPoints()
    {
        string folder = Path.Combine(_dir, "points");
        var spec = Spec(2) with { ModelName = PointNeuralOperator.AttentionName, ModelOptions = Small(PointNeuralOperator.AttentionName) };
        OperatorTrainer.Train(spec, Synthetic(16, 1), Synthetic(8, 2), folder);
        using var op = NeuralOperator.Load(folder);
        Assert.True(op.AcceptsPoints);
        var a = Synthetic(1, 9).Inputs[0].Values;                     // one 16 x 16 periodic sample, [y, x]
        var onGrid = new float[a.Length];
        op.Predict(a, onGrid, 16, 16);
        // The same points listed as a point cloud (coordinates in storage order), with the grid's weights.
        var coordinates = new float[2 * 256];
        for (int p = 0; p < 256; p++) { coordinates[2 * p] = p / 16 / 16f; coordinates[2 * p + 1] = p % 16 / 16f; }
        var weights = Enumerable.Repeat(1f / 256, 256).ToArray();
        var atPoints = new float[256];
        op.PredictAtPoints(a, coordinates, weights, atPoints);
        Assert.All(Enumerable.Range(0, 256), p => Assert.Equal(onGrid[p], atPoints[p], 4));
        // Shuffled, the points give the same values at the same places.
        var order = Enumerable.Range(0, 256).OrderBy(p => (p * 7919) % 256).ToArray();
        var shuffledInputs = order.Select(p => a[p]).ToArray();
        var shuffledCoordinates = order.SelectMany(p => new[] { coordinates[2 * p], coordinates[2 * p + 1] }).ToArray();
        var shuffled = new float[256];
        op.PredictAtPoints(shuffledInputs, shuffledCoordinates, weights, shuffled);
        Assert.All(Enumerable.Range(0, 256), i => Assert.Equal(atPoints[order[i]], shuffled[i], 4));
        // Without weights they are estimated; wrong lengths are refused.
        op.PredictAtPoints(a, coordinates, ReadOnlySpan<float>.Empty, atPoints);
        Assert.All(atPoints, v => Assert.True(float.IsFinite(v)));
        Assert.Throws<ArgumentException>(() => op.PredictAtPoints(a, coordinates.AsSpan(0, 100), weights, atPoints));
        // Averaging over the symmetries of the square is for grids: asked of points, it is refused, not skipped.
        op.SymmetryAveraging = true;
        Assert.Contains("scattered points", Assert.Throws<InvalidOperationException>(() => op.PredictAtPoints(a, coordinates, weights, atPoints)).Message);
        op.SymmetryAveraging = false;
        using var fno = NeuralOperator.Load(TrainFno());
        Assert.Throws<InvalidOperationException>(() => fno.PredictAtPoints(a, coordinates, weights, atPoints));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void APointOperatorWithSpectralConvolutionsTrainsReloadsAndTakesGridsOnly(string model)
    {
        string folder = Path.Combine(_dir, "spectral");
        var options = Small(model) with { Modes = 4 };
        var spec = Spec(6) with { ModelName = model, ModelOptions = options };
        var result = OperatorTrainer.Train(spec, Synthetic(32, 1), Synthetic(8, 2), folder);
        Assert.True(result.BestTestRelativeL2 < 0.7 * result.History[0].TestRelativeL2, $"test error {result.History[0].TestRelativeL2:E2} -> {result.BestTestRelativeL2:E2}");
        using var op = NeuralOperator.Load(folder);
        Assert.Equal(4, ((PointOperatorOptions)op.Model.Options).Modes);
        Assert.Equal(model, op.ModelName);
        Assert.False(op.AcceptsPoints);
        var a = Synthetic(1, 9).Inputs[0].Values;
        var u = new float[a.Length];
        op.Predict(a, u, 16, 16);
        Assert.All(u, v => Assert.True(float.IsFinite(v)));
        var error = Assert.Throws<InvalidOperationException>(() => op.PredictAtPoints(a, new float[2 * 256], Enumerable.Repeat(1f / 256, 256).ToArray(), u));
        Assert.Contains("spectral convolutions", error.Message);
    }

    string TrainFno()
    {
        string folder = Path.Combine(_dir, "fno");
        OperatorTrainer.Train(Spec(1), Synthetic(8, 1), Synthetic(8, 2), folder);
        return folder;
    }

    [Fact]
    public void EvaluationAtRandomPointsAgreesWithTheGridEvaluation()
    {
        string folder = Path.Combine(_dir, "eval-points");
        var spec = Spec(4) with { ModelName = PointNeuralOperator.AttentionName, ModelOptions = Small(PointNeuralOperator.AttentionName) };
        OperatorTrainer.Train(spec, Synthetic(32, 1), Synthetic(8, 2), folder);
        using var op = NeuralOperator.Load(folder);
        var test = Synthetic(8, 2);
        var grid = OperatorEvaluation.Evaluate(op, test);
        var points = PointEvaluation.Evaluate(op, test, 400, seed: 3);
        Assert.Equal(8, points.Samples);
        // Same operator, other points: the errors agree up to the interpolation of the truth and the sampling.
        Assert.True(Math.Abs(points.RelativeL2 - grid.RelativeL2) < 0.5 * grid.RelativeL2 + 0.02, $"points {points.RelativeL2:E3}, grid {grid.RelativeL2:E3}");
        Assert.Equal(points, PointEvaluation.Evaluate(op, test, 400, seed: 3));
        // Bilinear interpolation reproduces a bilinear function exactly on a closed grid.
        var field = new float[5 * 7];
        for (int i = 0; i < 5; i++) for (int j = 0; j < 7; j++) field[i * 7 + j] = (float)(1 + 2 * (i / 4.0) - 3 * (j / 6.0) + (i / 4.0) * (j / 6.0));
        Assert.Equal(1 + 2 * 0.3 - 3 * 0.85 + 0.3 * 0.85, PointEvaluation.Bilinear(field, 5, 7, GridConvention.Closed, 0.3, 0.85), 5);
    }
}
