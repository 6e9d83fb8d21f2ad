using PdeOps.Physics.Geometry;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Manufactured;

/// <summary>Rejection bounds for manufactured samples (HyPINO's defaults).</summary>
public sealed record ManufacturedLimits
{
    /// <summary>Largest |u| allowed at the check points.</summary>
    public double MaxAbsSolution { get; init; } = 10;
    /// <summary>Smallest standard deviation of u over the interior check points.</summary>
    public double MinSolutionStd { get; init; } = 0.1;
    /// <summary>Largest |f| and |first or second derivative of u| allowed.</summary>
    public double MaxAbsSourceAndDerivatives { get; init; } = 1e4;
    /// <summary>Interior check points (plus a quarter as many on the boundary).</summary>
    public int CheckPoints { get; init; } = 2048;
}

/// <summary>A manufactured problem and how many draws it took.</summary>
/// <param name="Index">The sample index.</param>
/// <param name="Draws">Draws until one passed the rejection tests (1 = the first).</param>
/// <param name="Problem">The problem; <see cref="Problem2D.Exact"/> is set for supervised samples.</param>
public sealed record ManufacturedSample(long Index, int Draws, Problem2D Problem);

/// <summary>
/// Unlimited exact training problems by the method of manufactured solutions, following HyPINO
/// (Bischof et al. 2025): draw an operator L, a solution u (<see cref="RandomSolutionRecipe"/>),
/// a domain and a boundary layout (<see cref="RandomProblemRecipe"/>), set f = L u symbolically
/// and the boundary data from u (Dirichlet u, Neumann n·∇u), and reject draws where u is too
/// large or too flat or f or a derivative too large or not finite. Sample i is a pure function
/// of (seed, i).
/// </summary>
public sealed class ManufacturedProblems(long seed, ManufacturedLimits limits)
{
    /// <summary>The supervised sample <paramref name="index"/>: a problem with its exact solution.</summary>
    public ManufacturedSample Supervised(long index) => Supervised(index, zeroOnSides: false);

    // (1 − x²)(1 − y²): zero on the square's sides, positive inside.
    static readonly Expr SidesBubble = (Expr.Number(1) - Expr.Var("x") * Expr.Var("x")) * (Expr.Number(1) - Expr.Var("y") * Expr.Var("y"));

    /// <summary>
    /// The supervised sample <paramref name="index"/>; with <paramref name="zeroOnSides"/> its
    /// solution is the drawn one times (1 − x²)(1 − y²), so it vanishes on the square's sides: a
    /// problem driven by its source, as many posed problems are (drawn solutions almost never
    /// vanish on a whole side). Holes keep their data from u.
    /// </summary>
    public ManufacturedSample Supervised(long index, bool zeroOnSides)
    {
        var random = new SampleRandom(seed, index);
        for (var draw = 1; ; draw++)
        {
            var op = RandomProblemRecipe.Operator(random);
            var drawn = RandomSolutionRecipe.Draw(random);
            var u = zeroOnSides ? SidesBubble * drawn : drawn;
            var domain = RandomProblemRecipe.Domain(random, op.IsTimeDependent);
            var layout = RandomProblemRecipe.Layout(random, op, domain);
            var f = op.Apply(u);
            if (!Acceptable(u, f, domain, random)) continue;
            var flux = Expr.Var("nx") * u.Derivative("x") + Expr.Var("ny") * u.Derivative("y");
            var conditions = layout.Select(s => new SegmentCondition(s.Segment, s.Kind, s.Kind == BoundaryKind.Dirichlet ? u : flux)).ToArray();
            return new ManufacturedSample(index, draw, new Problem2D(op, f, domain, conditions, u));
        }
    }

    /// <summary>
    /// Sample <paramref name="index"/> of a mix: physics-only with probability
    /// <paramref name="physicsFraction"/>, otherwise supervised, with a solution that vanishes on
    /// the square's sides with probability <paramref name="zeroSidesFraction"/>. The choice is a
    /// pure function of (seed, index), drawn apart from the problem's own stream.
    /// </summary>
    public ManufacturedSample Mixed(long index, double physicsFraction, double zeroSidesFraction = 0)
    {
        var kind = new SampleRandom(seed, index, stream: 3);
        if (kind.NextDouble() < physicsFraction) return PhysicsOnly(index);
        return Supervised(index, zeroSidesFraction > 0 && kind.NextDouble() < zeroSidesFraction);
    }

    /// <summary>
    /// The physics-only sample <paramref name="index"/> (no known solution, for residual training):
    /// a constant source 10·N(0, 1); boundary data 0 when L has a u term, otherwise a constant per
    /// segment uniform in (−1, 1) for Dirichlet and 0 for Neumann segments; holes take one kind
    /// each, Dirichlet or Neumann with equal chance.
    /// </summary>
    public ManufacturedSample PhysicsOnly(long index) => PhysicsOnly(index, new SampleRandom(seed, index, stream: 1), _ => true);

    /// <summary>
    /// A physics-only problem (as <see cref="PhysicsOnly(long)"/>) whose operator is elliptic
    /// without a mixed term, so that the square's sides carry Dirichlet data: the class a
    /// classical finite-difference solver on the square minus holes takes, which can then supply
    /// its solution. <paramref name="attempt"/> draws another problem for the same index, for a
    /// caller whose solve rejected the last one (a near-resonant operator, say). With
    /// <paramref name="drawnSource"/> the same problem has in place of its constant source a
    /// function drawn as manufactured solutions are (<see cref="RandomSolutionRecipe.Draw"/>),
    /// redrawn until |f| stays within the manufactured problems' bound.
    /// </summary>
    public ManufacturedSample Solvable(long index, int attempt = 0, bool drawnSource = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var sample = PhysicsOnly(index, new SampleRandom(seed, index, stream: 16 + attempt), op => op.Class == PdeClass.Elliptic && op.Uxy == 0);
        if (!drawnSource) return sample;
        var problem = sample.Problem;
        var random = new SampleRandom(seed, index, stream: 1024 + attempt);
        while (true)
        {
            var f = RandomSolutionRecipe.Draw(random);
            if (WithinBound(f, problem.Domain, random))
                return sample with { Problem = new Problem2D(problem.Operator, f, problem.Domain, problem.Conditions) };
        }
    }

    bool WithinBound(Expr f, Domain2D domain, SampleRandom random)
    {
        var (x, y) = domain.SampleInterior(limits.CheckPoints, random);
        var values = new double[x.Length];
        new VectorProgram([f], ["x", "y"]).Evaluate([x, y], [values]);
        return Within(values, limits.MaxAbsSourceAndDerivatives);
    }

    ManufacturedSample PhysicsOnly(long index, SampleRandom random, Func<LinearOperator2D, bool> accept)
    {
        var op = RandomProblemRecipe.Operator(random);
        var draws = 1;
        for (; !accept(op); draws++) op = RandomProblemRecipe.Operator(random);
        var domain = RandomProblemRecipe.Domain(random, op.IsTimeDependent);
        var source = ((Constant)RandomSolutionRecipe.Round(10 * random.NextNormal())).Value;
        var conditions = new List<SegmentCondition>();
        foreach (var segment in domain.SegmentNames)
        {
            var kinds = Problem2D.RequiredKinds(op, segment)
                ?? [segment.StartsWith("hole", StringComparison.Ordinal) && random.NextDouble() < 0.5 ? BoundaryKind.Neumann : BoundaryKind.Dirichlet];
            var level = op.U != 0 ? 0 : ((Constant)RandomSolutionRecipe.Round(RandomSolutionRecipe.Uniform(random, -1, 1))).Value;
            conditions.AddRange(kinds.Select(k => new SegmentCondition(segment, k, k == BoundaryKind.Dirichlet ? level : 0.0)));
        }
        return new ManufacturedSample(index, draws, new Problem2D(op, source, domain, conditions));
    }

    bool Acceptable(Expr u, Expr f, Domain2D domain, SampleRandom random)
    {
        var solutionProgram = new VectorProgram([u], ["x", "y"]);
        // Most draws fail on u alone: a few points reject them before the full check.
        var (px, py) = domain.SampleInterior(Math.Min(64, limits.CheckPoints), random);
        var probe = new double[px.Length];
        solutionProgram.Evaluate([px, py], [probe]);
        if (!Within(probe, limits.MaxAbsSolution)) return false;
        var (x, y) = domain.SampleInterior(limits.CheckPoints, random);
        var edge = domain.SampleBoundary(limits.CheckPoints / 4, random);
        var points = (X: x.Concat(edge.X).ToArray(), Y: y.Concat(edge.Y).ToArray());
        double[] Values() => new double[points.X.Length];
        var inputs = new[] { points.X, points.Y };
        // Cheapest and most often failing checks first.
        var solution = Values();
        solutionProgram.Evaluate(inputs, [solution]);
        if (!Within(solution, limits.MaxAbsSolution) || Std(solution.AsSpan(0, x.Length)) < limits.MinSolutionStd) return false;
        var ux = u.Derivative("x");
        var uy = u.Derivative("y");
        var checks = new[] { f, ux, uy, ux.Derivative("x"), uy.Derivative("y") };
        var values = checks.Select(_ => Values()).ToArray();
        new VectorProgram(checks, ["x", "y"]).Evaluate(inputs, values);
        return values.All(v => Within(v, limits.MaxAbsSourceAndDerivatives));
    }

    static bool Within(ReadOnlySpan<double> values, double bound)
    {
        foreach (var v in values)
            if (!(Math.Abs(v) <= bound)) return false; // also false for NaN
        return true;
    }

    static double Std(ReadOnlySpan<double> values)
    {
        double mean = 0, square = 0;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        foreach (var v in values) square += (v - mean) * (v - mean);
        return Math.Sqrt(square / values.Length);
    }
}
