using System.Diagnostics;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Pinn;

/// <summary>Settings of <see cref="PinnSolver"/>.</summary>
public sealed record PinnSolveOptions
{
    /// <summary>The network's shape.</summary>
    public PinnOptions Network { get; init; } = new();
    /// <summary>The loss.</summary>
    public PinnLoss Loss { get; init; } = new();
    /// <summary>Adam steps (learning rate decaying geometrically to a tenth).</summary>
    public int AdamSteps { get; init; } = 5000;
    /// <summary>L-BFGS steps after Adam.</summary>
    public int LbfgsSteps { get; init; } = 500;
    /// <summary>Initial Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>Interior collocation points.</summary>
    public int CollocationPoints { get; init; } = 4096;
    /// <summary>Boundary points.</summary>
    public int BoundaryPoints { get; init; } = 1024;
    /// <summary>Seed of the points.</summary>
    public long Seed { get; init; }
    /// <summary>Record the loss every this many steps.</summary>
    public int RecordEvery { get; init; } = 50;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A count or rate is out of range.</exception>
    public PinnSolveOptions Validated()
    {
        if (AdamSteps < 0 || LbfgsSteps < 0 || AdamSteps + LbfgsSteps == 0) throw new ArgumentException("give at least one Adam or L-BFGS step, and no negative counts");
        if (CollocationPoints < 1 || BoundaryPoints < 1) throw new ArgumentException("a PINN needs at least one interior and one boundary point");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"the learning rate must be positive (got {LearningRate})");
        if (RecordEvery < 1) throw new ArgumentException("record the loss at least every step count of 1");
        Network.Validated();
        return this;
    }
}

/// <summary>One point of a PINN's loss curve.</summary>
/// <param name="Step">Steps taken (Adam then L-BFGS).</param>
/// <param name="Optimizer">"adam" or "lbfgs".</param>
/// <param name="Loss">The weighted total.</param>
/// <param name="Residual">The residual term.</param>
/// <param name="Dirichlet">The Dirichlet term.</param>
/// <param name="Neumann">The Neumann term.</param>
/// <param name="Seconds">Wall time since the start.</param>
public sealed record PinnLossRecord(int Step, string Optimizer, double Loss, double Residual, double Dirichlet, double Neumann, double Seconds);

/// <summary>A trained PINN and how it got there.</summary>
/// <param name="Network">The network.</param>
/// <param name="History">The loss curve.</param>
/// <param name="Seconds">Training wall time.</param>
public sealed record PinnSolution(PinnNetwork Network, IReadOnlyList<PinnLossRecord> History, double Seconds)
{
    /// <summary>What the problem's data were divided by for training (<see cref="PinnDataScale.Of"/>); the network answers the problem as given.</summary>
    public double DataScale { get; init; } = 1;
}

/// <summary>
/// Trains one PINN for a <see cref="Problem2D"/>, the DeepXDE way: Adam from random
/// initialisation, then L-BFGS, on fixed collocation points.
/// </summary>
public static class PinnSolver
{
    /// <summary>
    /// Trains a PINN for <paramref name="problem"/>; <paramref name="progress"/> receives each recorded
    /// loss. The network trains on the problem with its data divided by <see cref="PinnDataScale.Of"/>
    /// and its output layer is multiplied back, so that it answers the problem as given.
    /// </summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    /// <exception cref="InvalidOperationException">The loss became non-finite.</exception>
    public static PinnSolution Solve(Problem2D problem, PinnSolveOptions options, IProgress<PinnLossRecord>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        options = options.Validated();
        double scale = PinnDataScale.Of(problem);
        var network = new PinnNetwork(options.Network);
        var (history, seconds) = TrainInUnitScale(network, problem, scale, options, progress, cancel);
        return new PinnSolution(network, history, seconds) { DataScale = scale };
    }

    /// <summary>
    /// <see cref="Solve"/> from the weights of <paramref name="network"/> in place of a fresh
    /// network's, read as a fresh network's are (in units of the problem divided by
    /// <see cref="PinnSolution.DataScale"/>): the network answers the problem as given throughout,
    /// so that a progress report may evaluate it, and after.
    /// </summary>
    /// <exception cref="InvalidOperationException">The loss became non-finite.</exception>
    public static (IReadOnlyList<PinnLossRecord> History, double Seconds) TrainNetwork(PinnNetwork network, Problem2D problem, PinnSolveOptions options,
        IProgress<PinnLossRecord>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(problem);
        return TrainInUnitScale(network, problem, PinnDataScale.Of(problem), options, progress, cancel);
    }

    static (IReadOnlyList<PinnLossRecord> History, double Seconds) TrainInUnitScale(PinnNetwork network, Problem2D problem, double scale, PinnSolveOptions options,
        IProgress<PinnLossRecord>? progress, CancellationToken cancel)
    {
        using var _ = network.InUnitScale(scale);
        return TrainScaled(network.UnitForward, network.parameters(), problem, scale, options with { Network = network.Options }, progress, cancel);
    }

    /// <summary>
    /// Trains the <paramref name="parameters"/> of any differentiable u(points) — a fresh network, or
    /// one a hypernetwork wrote (fine-tuning) — on the PINN loss of <paramref name="problem"/>: Adam,
    /// then L-BFGS, as <see cref="Solve"/> does; returns the loss curve and the wall time. It trains
    /// on the data as given: <see cref="Solve"/> and HyPINO's fine-tuning first scale data far from
    /// size 1 (<see cref="PinnDataScale"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The loss became non-finite.</exception>
    public static (IReadOnlyList<PinnLossRecord> History, double Seconds) Train(Func<Tensor, Tensor> network, IEnumerable<TorchSharp.Modules.Parameter> parameters,
        Problem2D problem, PinnSolveOptions options, IProgress<PinnLossRecord>? progress = null, CancellationToken cancel = default) =>
        TrainScaled(network, parameters, problem, 1, options, progress, cancel);

    /// <summary>
    /// <see cref="Train"/> on <paramref name="problem"/> with its data divided by
    /// <paramref name="dataScale"/>, for a network that answers it so (one whose output is the
    /// answer divided by <paramref name="dataScale"/>); the losses are recorded multiplied by
    /// <paramref name="dataScale"/>², which for the MSE loss makes them the loss of the answer
    /// multiplied back on the problem as given.
    /// </summary>
    internal static (IReadOnlyList<PinnLossRecord> History, double Seconds) TrainScaled(Func<Tensor, Tensor> network, IEnumerable<TorchSharp.Modules.Parameter> parameters,
        Problem2D problem, double dataScale, PinnSolveOptions options, IProgress<PinnLossRecord>? progress, CancellationToken cancel)
    {
        options = options.Validated();
        var trained = parameters.ToList();
        problem = problem.Scaled(1 / dataScale);
        double lossScale = dataScale * dataScale;
        using var points = new PinnCollocation(problem, options.CollocationPoints, options.BoundaryPoints, options.Seed);
        var history = new List<PinnLossRecord>();
        var clock = Stopwatch.StartNew();
        var total = options.AdamSteps + options.LbfgsSteps;

        void Record(int step, string optimizer, PinnLossTerms terms)
        {
            var loss = terms.Total.item<float>();
            if (!float.IsFinite(loss)) throw new InvalidOperationException($"the PINN loss became {loss} at step {step} ({optimizer}); lower the learning rate");
            var record = new PinnLossRecord(step, optimizer, loss * lossScale, terms.Residual.item<float>() * lossScale, terms.Dirichlet.item<float>() * lossScale,
                terms.Neumann.item<float>() * lossScale, clock.Elapsed.TotalSeconds);
            history.Add(record);
            progress?.Report(record);
        }

        var adam = optim.Adam(trained, options.LearningRate);
        for (var step = 1; step <= options.AdamSteps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            adam.zero_grad();
            var terms = options.Loss.Evaluate(network, problem.Operator, points);
            terms.Total.backward();
            adam.step();
            foreach (var group in adam.ParamGroups) group.LearningRate = options.LearningRate * Math.Pow(0.1, step / (double)options.AdamSteps);
            if (step % options.RecordEvery == 0 || step == total) Record(step, "adam", terms);
        }

        var lbfgs = new Lbfgs(trained);
        Tensor Closure()
        {
            foreach (var p in trained) p.grad?.zero_();
            var loss = options.Loss.Evaluate(network, problem.Operator, points).Total;
            loss.backward();
            return loss;
        }
        for (var step = 1; step <= options.LbfgsSteps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            var (_, moved) = lbfgs.Step(Closure);
            var done = !moved || step == options.LbfgsSteps;
            if (step % options.RecordEvery == 0 || done)
            {
                using var scope = NewDisposeScope();
                Record(options.AdamSteps + step, "lbfgs", options.Loss.Evaluate(network, problem.Operator, points));
            }
            if (!moved) break;
        }
        return (history, clock.Elapsed.TotalSeconds);
    }
}
