using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Operators.Pinn;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using static TorchSharp.torch;

namespace PdeOps.Operators.Hypino;

/// <summary>One round of <see cref="Hypino.Refine"/>.</summary>
/// <param name="Round">The round, from 1.</param>
/// <param name="ResidualBefore">The loss refinement minimises (MSE residual, weighted boundary terms: <paramref name="Loss"/>) of the ensemble before the round.</param>
/// <param name="ResidualAfter">The same after adding the round's correction.</param>
/// <param name="Scale">The factor the residual problem was multiplied by before the hypernetwork read it.</param>
/// <param name="StepLength">The multiple of the generated correction that was added (least squares on the collocation points), before any refit of the output layers.</param>
/// <param name="Loss">The weights of that loss (<see cref="RefinementWeighting"/>), fixed for all rounds of one call.</param>
public sealed record RefinementRound(int Round, double ResidualBefore, double ResidualAfter, double Scale, double StepLength, PinnLoss Loss);

/// <summary>
/// A trained HyPINO hypernetwork as a solver: <c>Hypino.Load(folder).Solve(problem)</c> writes a
/// PINN for a linear second-order problem in one forward pass; <see cref="Refine"/> adds
/// corrections generated for the residual problem; <see cref="FineTune"/> trains the result on the
/// problem's own PINN loss. Thread-safe (calls are serialised) and disposable.
/// </summary>
public sealed class Hypino : IDisposable
{
    /// <summary>Points of the collocation set refinement measures residuals on.</summary>
    public const int RefinementInteriorPoints = 4096;
    /// <summary>Boundary points of that set.</summary>
    public const int RefinementBoundaryPoints = 1024;
    readonly HypinoNetwork network;
    readonly Lock gate = new();
    readonly double[] bounds;

    Hypino(HypinoNetwork network, double[] bounds, JsonObject training)
    {
        this.network = network;
        this.bounds = bounds;
        Training = training;
        network.eval();
    }

    /// <summary>Loads the model in <paramref name="folder"/> (a run folder of <c>pdeops hypino train</c>).</summary>
    /// <exception cref="Checkpoints.CheckpointException">The folder is missing, foreign, or its weights are corrupted.</exception>
    public static Hypino Load(string folder)
    {
        var (network, bounds, training) = HypinoCheckpoint.Load(folder);
        return new Hypino(network, bounds, training);
    }

    /// <summary>Wraps a network in memory (for instance one being trained); the caller keeps ownership of it.</summary>
    public static Hypino Wrap(HypinoNetwork network, double[] coefficientBounds) => new(network, coefficientBounds, new JsonObject()) { owns = false };

    bool owns = true;

    /// <summary>The hypernetwork's shape.</summary>
    public HypinoOptions Options => network.Options;

    /// <summary>How the model was trained (run settings and best validation).</summary>
    public JsonObject Training { get; }

    /// <summary>The largest |coefficient| of each term (u, ux, uy, uxx, uyy, uxy) the model saw in training.</summary>
    public IReadOnlyList<double> CoefficientBounds => bounds;

    /// <summary>
    /// Warnings for a problem the model can solve but was not trained near: coefficients beyond
    /// 1.5 times the trained range (or a term it never saw). Empty when the problem is in range.
    /// </summary>
    public IReadOnlyList<string> Warnings(Problem2D problem)
    {
        var warnings = new List<string>();
        var c = problem.Operator.Coefficients();
        for (int k = 0; k < c.Length; k++)
        {
            if (Math.Abs(c[k]) <= 1.5 * bounds[k]) continue;
            string term = LinearOperator2D.Symbols[k];
            warnings.Add(bounds[k] == 0
                ? $"the model was never trained with a {term} term (coefficient {c[k].ToString("G4", CultureInfo.InvariantCulture)}): expect a poor zero-shot answer"
                : $"the {term} coefficient {c[k].ToString("G4", CultureInfo.InvariantCulture)} lies far outside the trained range |c| <= {bounds[k].ToString("G4", CultureInfo.InvariantCulture)}: expect a poor zero-shot answer");
        }
        return warnings;
    }

    /// <summary>
    /// The zero-shot answer, written by one forward pass: with <paramref name="averaging"/> other
    /// than <see cref="SymmetryAveraging.None"/>, the mean of the PINNs the network writes for every
    /// symmetric image g(P) of the problem (<see cref="ProblemSymmetry"/>), each evaluated at g(p)
    /// and multiplied by the data's sign. The answer then has the symmetries the solution has, and
    /// its error is at most the mean of the images' answers' errors.
    /// </summary>
    /// <exception cref="ArgumentException">The problem's data are not finite, or beyond single precision, on the grid the model reads (<see cref="Problem2D.FirstDataOutOfRange"/>).</exception>
    public PinnEnsemble Solve(Problem2D problem, SymmetryAveraging averaging = SymmetryAveraging.None)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.FirstDataOutOfRange(Options.Resolution, float.MaxValue) is { } bad) throw new ArgumentException(bad.ToString(), nameof(problem));
        var symmetries = ProblemSymmetry.Of(problem.Operator, averaging);
        var rendered = ProblemRendering.Render(problem, Options.Resolution);
        lock (gate)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var ensemble = new PinnEnsemble(Options.Pinn);
            var flats = Generate(symmetries.Select(g => g.Apply(rendered)).ToArray(), symmetries.Select(g => g.Apply(problem.Operator)).ToArray());
            for (var k = 0; k < symmetries.Count; k++) ensemble.Add(flats[k], 1.0 / symmetries.Count, symmetries[k]);
            return ensemble;
        }
    }

    /// <summary>
    /// Runs <paramref name="rounds"/> rounds of iterative refinement on <paramref name="ensemble"/>:
    /// each evaluates the residuals r_D = g_D − u, r_N = g_N − ∂u/∂n and r_f = f − L u, renders them
    /// (scaled to the size of the training problems) as a problem with the same operator, generates a
    /// correction for it and adds the multiple of it that minimises the PINN loss on a fixed
    /// collocation set (never more than before the round: a correction that does not lower it, as
    /// happens near convergence where single-precision rounding dominates, is left out). With
    /// <paramref name="refitOutputLayers"/>, each round then refits the output layers of every
    /// member together by least squares on the same set (u is linear in them, so this is exact):
    /// the ensemble becomes the best combination of every generated PINN's last-layer features
    /// rather than a plain sum. <paramref name="weighting"/> sets how that loss weighs its terms;
    /// the weights are set once, from the ensemble as it comes in. <paramref name="roundDone"/>
    /// hears of each round.
    /// </summary>
    public IReadOnlyList<RefinementRound> Refine(Problem2D problem, PinnEnsemble ensemble, int rounds, long seed = 0, Action<RefinementRound>? roundDone = null,
        bool refitOutputLayers = true, RefinementWeighting weighting = RefinementWeighting.SolutionUnits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rounds);
        var result = new List<RefinementRound>();
        lock (gate)
        {
            using var points = new PinnCollocation(problem, RefinementInteriorPoints, RefinementBoundaryPoints, seed);
            var loss = rounds > 0 ? RefinementLoss(problem, ensemble, points, weighting) : FixedWeights;
            // Each round's residuals after the correction are the next round's before it.
            var current = rounds > 0 ? Residuals.Of(ensemble.Forward, problem.Operator, points, loss) : null;
            for (int round = 1; round <= rounds; round++)
            {
                using var scope = NewDisposeScope();
                double scale = 1 / Math.Max(current!.Magnitude, HypinoNetwork.SmallestDataMagnitude);
                var rendered = ProblemRendering.RenderResidual(problem, Current(ensemble, problem.Operator), scale, Options.Resolution);
                Tensor flat;
                using (no_grad()) flat = Generate(rendered, problem.Operator);
                using var candidate = new PinnEnsemble(Options.Pinn);
                candidate.Add(flat);
                var applied = Residuals.Of(candidate.Forward, problem.Operator, points, loss, zeroData: true);
                double step = current.BestMultipleOf(applied);
                // The earlier members' output layers as they were, in case the round is undone after a refit.
                var before = Enumerable.Range(0, ensemble.Count).Select(ensemble.OutputLayer).ToList();
                ensemble.Add(flat, step);
                if (refitOutputLayers) ensemble.FitOutputLayers(problem.Operator, points, loss);
                var after = Residuals.Of(ensemble.Forward, problem.Operator, points, loss);
                if (!(after.Loss <= current.Loss))
                {
                    // No gain beyond single-precision rounding: the round adds nothing.
                    ensemble.RemoveLast();
                    for (int m = 0; m < before.Count; m++) ensemble.SetOutputLayer(m, before[m]);
                    (after, step) = (current, 0);
                }
                var record = new RefinementRound(round, current.Loss, after.Loss, scale, step, loss);
                current = after;
                result.Add(record);
                roundDone?.Invoke(record);
            }
        }
        return result;
    }

    /// <summary>
    /// The PINN loss of <paramref name="ensemble"/> beside that of u = 0, on the collocation set of
    /// <paramref name="seed"/> that <see cref="Refine"/> uses and in its units
    /// (<see cref="RefinementWeighting.SolutionUnits"/>, set from <paramref name="ensemble"/>): for a
    /// zero-shot answer, the loss equals the first round's <see cref="RefinementRound.ResidualBefore"/>.
    /// A measure of the answer that needs no truth.
    /// </summary>
    public static AnswerCheck Check(Problem2D problem, PinnEnsemble ensemble, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(ensemble);
        using var points = new PinnCollocation(problem, RefinementInteriorPoints, RefinementBoundaryPoints, seed);
        var loss = RefinementLoss(problem, ensemble, points, RefinementWeighting.SolutionUnits);
        return new AnswerCheck(Residuals.Of(ensemble.Forward, problem.Operator, points, loss).Loss, Residuals.OfZero(points, loss).Loss);
    }

    /// <summary>
    /// The MSE loss refinement minimises for <paramref name="ensemble"/> on <paramref name="points"/>:
    /// HyPINO's weights, put in units of u by the ensemble's features for
    /// <see cref="RefinementWeighting.SolutionUnits"/>.
    /// </summary>
    public static PinnLoss RefinementLoss(Problem2D problem, PinnEnsemble ensemble, PinnCollocation points, RefinementWeighting weighting)
    {
        return weighting == RefinementWeighting.SolutionUnits && ensemble.Count > 0
            ? OutputLayerFit.InSolutionUnits(ensemble, problem.Operator, points, FixedWeights)
            : FixedWeights;
    }

    // HyPINO's weights on the MSE PINN loss (residual 1, Dirichlet 10, Neumann 1).
    static readonly PinnLoss FixedWeights = new(PinnPenalty.Mse);

    /// <summary>
    /// The loss to fine-tune <paramref name="ensemble"/> on: <see cref="PinnSolver"/>'s own (HyPINO's
    /// weights) for <see cref="RefinementWeighting.PinnLoss"/>, or, for
    /// <see cref="RefinementWeighting.SolutionUnits"/>, those weights in units of u by the ensemble's
    /// features as it comes in, as <see cref="Refine"/> weighs its rounds (on its collocation set of
    /// <paramref name="seed"/>). Set it as <see cref="PinnSolveOptions.Loss"/> of <see cref="FineTune"/>,
    /// so that fine-tuning a refined ensemble goes on minimising what refinement minimised.
    /// </summary>
    public static PinnLoss FineTuneLoss(Problem2D problem, PinnEnsemble ensemble, RefinementWeighting weighting, long seed = 0)
    {
        // The fixed weights need no collocation set.
        if (weighting == RefinementWeighting.PinnLoss) return FixedWeights;
        using var points = new PinnCollocation(problem, RefinementInteriorPoints, RefinementBoundaryPoints, seed);
        return RefinementLoss(problem, ensemble, points, weighting);
    }

    /// <summary>
    /// Fine-tunes <paramref name="ensemble"/> on the problem's own PINN loss with Adam then L-BFGS
    /// (<see cref="PinnSolver.Train"/>), every member's weights together. As
    /// <see cref="PinnSolver.Solve"/> does, it trains on the problem with its data divided by
    /// <see cref="PinnDataScale.Of"/>, the members' output layers divided likewise; the ensemble
    /// answers the problem as given throughout (to a progress report that evaluates it) and after,
    /// also when training fails.
    /// </summary>
    public static (IReadOnlyList<PinnLossRecord> History, double Seconds) FineTune(Problem2D problem, PinnEnsemble ensemble, PinnSolveOptions options,
        IProgress<PinnLossRecord>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(ensemble);
        double scale = PinnDataScale.Of(problem);
        using var _ = ensemble.InUnitScale(scale);
        return PinnSolver.TrainScaled(ensemble.UnitForward, ensemble.Trainable(), problem, scale, options with { Network = ensemble.Options }, progress, cancel);
    }

    // The flat parameters of the PINN for one rendered problem; callers hold a dispose scope that
    // frees them, and the ensemble keeps its own copy.
    Tensor Generate(RenderedProblem rendered, LinearOperator2D op) => Generate([rendered], [op]).squeeze(0);

    // The same for several problems in one batch: (problems, parameters).
    Tensor Generate(RenderedProblem[] rendered, LinearOperator2D[] ops)
    {
        var channels = stack(rendered.Select(HypinoBatch.ChannelsOf).ToArray());
        var coefficients = tensor(ops.SelectMany(op => op.Coefficients().Select(c => (float)c)).ToArray()).reshape(ops.Length, -1);
        return network.call(channels, coefficients).detach();
    }

    static CurrentSolution Current(PinnEnsemble ensemble, LinearOperator2D op) => new(
        (x, y) => ensemble.Predict(x, y),
        (x, y, nx, ny) =>
        {
            var d = ensemble.Derivatives(x, y, op);
            return d.Ux.Select((ux, i) => ux * nx[i] + d.Uy[i] * ny[i]).ToArray();
        },
        (x, y) => ensemble.Derivatives(x, y, op).Applied);

    /// <inheritdoc />
    public void Dispose()
    {
        if (owns) network.Dispose();
    }
}
