using PdeOps.Operators.Hypino;
using PdeOps.Operators.Pinn;
using PdeOps.Physics.Pde;
using HypinoModel = PdeOps.Operators.Hypino.Hypino;

namespace PdeOps.Operators.Tests.Pinn;

// Adam moves a PINN's weights by about its learning rate a step whatever the size of the loss, so a
// PINN trained on data of size 1e6 or 1e-6 as given does not reach the answer. Trained on the data
// divided by a power of ten, the solve of the problem times a factor is the solve of the
// problem times that factor.
public class PinnDataScaleTests
{
    static readonly Problem2D Poisson = Problem2D.FromText("uxx + uyy", "-2*pi^2*sin(pi*x)*sin(pi*y)", "square", ["0"], []);
    static readonly PinnOptions Small = new() { Width = 16, HiddenLayers = 2, FourierFeatures = 4, Seed = 3 };
    static readonly PinnSolveOptions Short = new() { Network = Small, AdamSteps = 60, LbfgsSteps = 10, CollocationPoints = 256, BoundaryPoints = 64, RecordEvery = 10 };
    static readonly double[] X = [-0.7, -0.2, 0.1, 0.45, 0.9], Y = [0.8, -0.5, 0.3, -0.9, 0.05];

    [Fact]
    public void DataFarFromSizeOneAreBroughtIntoOneToTen()
    {
        // The source's largest value 2 pi^2 = 19.7 sizes the data at 1.97: trained as given, as
        // are data of size 0.32 up to 32.
        Assert.Equal(1, PinnDataScale.Of(Poisson));
        Assert.Equal(1, PinnDataScale.Of(Poisson.Scaled(0.17)));
        Assert.Equal(1, PinnDataScale.Of(Poisson.Scaled(15)));
        Assert.Equal(10, PinnDataScale.Of(Poisson.Scaled(17)), 1e-12);
        Assert.Equal(1e6, PinnDataScale.Of(Poisson.Scaled(1e6)), 1e-6);
        Assert.Equal(1e-6, PinnDataScale.Of(Poisson.Scaled(5e-6)), 1e-18);
        Assert.Equal(1, PinnDataScale.Of(Problem2D.FromText("uxx + uyy", "0", "square", ["0"], [])));
    }

    [Fact]
    public void ANetworkTrainedOnTheProblemTimesAFactorAnswersItAsGivenAtEveryReport()
    {
        using var unit = new PinnNetwork(Small);
        using var large = new PinnNetwork(Small);
        var (unitCurve, largeCurve) = (new List<double[]>(), new List<double[]>());
        PinnSolver.TrainNetwork(unit, Poisson, Short, new Synchronous(_ => unitCurve.Add(unit.Predict(X, Y))));
        PinnSolver.TrainNetwork(large, Poisson.Scaled(1e-6), Short, new Synchronous(_ => largeCurve.Add(large.Predict(X, Y))));
        Assert.True(unitCurve.Count >= 6);
        double size = unitCurve[^1].Max(Math.Abs);
        foreach (var (u, v) in unitCurve.Zip(largeCurve))
            for (int k = 0; k < u.Length; k++) Assert.True(Math.Abs(v[k] / 1e-6 - u[k]) <= 1e-3 * size, $"at point {k}: {v[k]} against 1e-6 x {u[k]}");
    }

    // Reports each record on the training thread, as it comes (Progress<T> posts to the thread pool).
    sealed class Synchronous(Action<PinnLossRecord> report) : IProgress<PinnLossRecord>
    {
        public void Report(PinnLossRecord value) => report(value);
    }

    [Theory]
    [InlineData(1e6)]
    [InlineData(1e-6)]
    public void APinnSolveOfTheProblemTimesAFactorIsTheSolveOfTheProblemTimesTheFactor(double factor)
    {
        var unit = PinnSolver.Solve(Poisson, Short);
        var scaled = PinnSolver.Solve(Poisson.Scaled(factor), Short);
        Assert.Equal(factor, scaled.DataScale, factor * 1e-9);
        var (u, v) = (unit.Network.Predict(X, Y), scaled.Network.Predict(X, Y));
        double size = u.Max(Math.Abs);
        Assert.True(size > 0.1, "the unit solve learned an answer");
        for (int k = 0; k < u.Length; k++) Assert.True(Math.Abs(v[k] / factor - u[k]) <= 1e-3 * size, $"at point {k}: {v[k]} for the problem times {factor}, {u[k]} for the problem");
        // Losses are recorded on the problem as given.
        Assert.Equal(1, scaled.History[^1].Loss / (factor * factor * unit.History[^1].Loss), 2);
    }

    [Fact]
    public void FineTuningTheProblemTimesAFactorIsFineTuningTheProblemTimesTheFactorAndAFailureLeavesTheAnswerAsItWas()
    {
        using var network = new PinnNetwork(Small);
        using var unit = new PinnEnsemble(Small);
        using var large = new PinnEnsemble(Small);
        unit.Add(network.Flat());
        large.Add(network.Flat(), 1e6);
        var tune = Short with { AdamSteps = 40, LbfgsSteps = 5 };
        // Progress reports that evaluate the ensemble see it answer the problem as given.
        var (unitCurve, largeCurve) = (new List<double[]>(), new List<double[]>());
        HypinoModel.FineTune(Poisson, unit, tune, new Synchronous(_ => unitCurve.Add(unit.Predict(X, Y))));
        HypinoModel.FineTune(Poisson.Scaled(1e6), large, tune, new Synchronous(_ => largeCurve.Add(large.Predict(X, Y))));
        unitCurve.Add(unit.Predict(X, Y));
        largeCurve.Add(large.Predict(X, Y));
        Assert.Equal(unitCurve.Count, largeCurve.Count);
        double size = unitCurve[^1].Max(Math.Abs);
        foreach (var (u, v) in unitCurve.Zip(largeCurve))
            for (int k = 0; k < u.Length; k++) Assert.True(Math.Abs(v[k] / 1e6 - u[k]) <= 1e-3 * size, $"at point {k}: {v[k]} against 1e6 x {u[k]}");
        var last = largeCurve[^1];

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => HypinoModel.FineTune(Poisson.Scaled(1e6), large, tune, cancel: cancelled.Token));
        var after = large.Predict(X, Y);
        for (int k = 0; k < last.Length; k++) Assert.Equal(last[k], after[k], 1e-5 * Math.Abs(last[k]));
    }
}
