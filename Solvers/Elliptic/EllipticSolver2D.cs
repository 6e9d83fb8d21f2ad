using System.Diagnostics;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Krylov;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Elliptic;

/// <summary>The outer iteration around the multigrid cycle.</summary>
public enum KrylovKind
{
    /// <summary>Multigrid cycles alone.</summary>
    None,
    /// <summary>Conjugate gradients preconditioned by one V-cycle (symmetric positive definite problems).</summary>
    Cg,
    /// <summary>Restarted GMRES, right-preconditioned by one cycle (non-symmetric or indefinite problems).</summary>
    Gmres,
    /// <summary>BiCGStab, right-preconditioned by one cycle.</summary>
    BiCgStab,
}

/// <summary>
/// Options of <see cref="EllipticSolver2D"/> and <see cref="Elliptic3D.EllipticSolver3D"/>. The
/// solve stops by <see cref="StopCriterion"/>: ||b - A x|| &lt;= <see cref="RelativeTolerance"/> ||b||
/// (the command line's <c>--tol</c>), at most <see cref="MaxIterations"/> outer iterations (cycles
/// when <see cref="Krylov"/> is None); the tolerance and limit here override those of <see cref="Multigrid"/>.
/// </summary>
public sealed record EllipticSolverOptions
{
    /// <summary>The multigrid cycle (solver or preconditioner); post-smoothing defaults to 2, a symmetric V(2,2).</summary>
    public MultigridOptions Multigrid { get; init; } = new();
    /// <summary>The outer Krylov method.</summary>
    public KrylovKind Krylov { get; init; } = KrylovKind.Cg;
    /// <summary>Relative residual tolerance (relative to ||b||).</summary>
    public double RelativeTolerance { get; init; } = 1e-10;
    /// <summary>Iteration limit of the outer method (cycles when <see cref="Krylov"/> is None).</summary>
    public int MaxIterations { get; init; } = 200;
    /// <summary>
    /// Operator the multigrid preconditioner is built from, when it differs from the problem's
    /// (a shifted Laplacian for Helmholtz); null uses the problem's own operator. 2D only.
    /// </summary>
    public EllipticProblem2D? PreconditionerProblem { get; init; }

    /// <summary>The Krylov options these options imply.</summary>
    internal KrylovOptions OuterKrylov => new() { RelativeTolerance = RelativeTolerance, MaxIterations = MaxIterations };

    /// <summary>The multigrid options with this record's tolerance and limit.</summary>
    internal MultigridOptions MultigridWithStop => Multigrid with { RelativeTolerance = RelativeTolerance, MaxCycles = MaxIterations };

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public EllipticSolverOptions Validated()
    {
        ArgumentNullException.ThrowIfNull(Multigrid);
        MultigridWithStop.Validated();
        if (!Enum.IsDefined(Krylov)) throw new ArgumentException($"unknown Krylov method {Krylov}");
        if (Krylov == KrylovKind.None && PreconditionerProblem is not null)
            throw new ArgumentException("a separate preconditioner operator needs a Krylov method");
        return this;
    }
}

/// <summary>The solution on the full vertex grid with the solver's report.</summary>
public sealed record EllipticSolution2D(double[,] U, SolveResult Result, DiscreteEllipticSystem System);

/// <summary>Discretises an <see cref="EllipticProblem2D"/> and solves it with multigrid, alone or inside a Krylov method.</summary>
public static class EllipticSolver2D
{
    /// <summary>
    /// Bytes a solve on <paramref name="intervalsX"/> x <paramref name="intervalsY"/> intervals allocates
    /// (see <see cref="MemoryEstimate"/>): per unknown and level a nine-point stencil, three work
    /// vectors and the smoother's, over a hierarchy of 4/3 the fine level; the right-hand side, the
    /// solution and its vertex field; the Krylov vectors; and a banded factorisation of a coarsest
    /// level that stops halving early.
    /// </summary>
    public static double EstimateBytes(int intervalsX, int intervalsY, EllipticSolverOptions? options = null)
    {
        options ??= new EllipticSolverOptions();
        double n = ((double)intervalsX + 1) * ((double)intervalsY + 1);
        double perLevel = 9 + 3 + 3 + 2;
        double krylov = MemoryEstimate.KrylovVectors(options.Krylov.ToString(), new KrylovOptions().Restart);
        double fine = 9 + 3 + krylov + (options.PreconditionerProblem is null ? 0 : 10);
        var coarse = MemoryEstimate.CoarsestIntervals(intervalsX, intervalsY);
        double coarseUnknowns = (coarse[0] + 1.0) * (coarse[1] + 1.0);
        // A banded factorisation is attempted only up to a cost N b^2 of 5e8, so its band N (2b + 1) stays below about 1e9 / b values.
        double coarseBytes = coarseUnknowns <= DenseLu.MaxSize ? coarseUnknowns * coarseUnknowns
            : Math.Min(coarseUnknowns * (2.0 * (coarse[0] + 2) + 1), 1e9 / (coarse[0] + 2));
        return MemoryEstimate.Double * (n * (perLevel * MemoryEstimate.HierarchyFactor(2) + fine) + coarseBytes);
    }

    /// <summary>Solves the problem from a zero guess.</summary>
    public static EllipticSolution2D Solve(EllipticProblem2D problem, EllipticSolverOptions? options = null) =>
        Solve(problem, null, options);

    /// <summary>
    /// Solves the problem from <paramref name="initialGuess"/>, a full (My + 1) x (Mx + 1) vertex field
    /// (for example a neural operator's prediction: a warm start); its values at Dirichlet vertices are
    /// ignored. The tolerance stays relative to ||b||, so a better guess only saves iterations.
    /// </summary>
    public static EllipticSolution2D SolveFrom(EllipticProblem2D problem, double[,] initialGuess, EllipticSolverOptions? options = null) =>
        Solve(problem, initialGuess, options);

    static EllipticSolution2D Solve(EllipticProblem2D problem, double[,]? initialGuess, EllipticSolverOptions? options)
    {
        options = (options ?? new EllipticSolverOptions()).Validated();
        var setup = Stopwatch.StartNew();
        var system = Discretization2D.Assemble(problem);
        var mgOptions = options.MultigridWithStop;
        var mgOperator = options.PreconditionerProblem is { } pp ? Discretization2D.Assemble(pp).Operator : system.Operator;
        var mg = new StencilMultigrid2D(mgOperator, mgOptions);
        system.Operator.Threads = mg.Options.Threads;
        double setupSeconds = setup.Elapsed.TotalSeconds;
        var x = initialGuess is null ? new double[system.Operator.Size] : Discretization2D.ToUnknowns(system, initialGuess);
        var krylov = options.OuterKrylov;
        var result = options.Krylov switch
        {
            KrylovKind.None => mg.Solve(system.RightHandSide, x),
            KrylovKind.Cg => new ConjugateGradient(krylov).Solve(system.Operator, mg, system.RightHandSide, x),
            KrylovKind.Gmres => new Gmres(krylov).Solve(system.Operator, mg, system.RightHandSide, x),
            KrylovKind.BiCgStab => new BiCgStab(krylov).Solve(system.Operator, mg, system.RightHandSide, x),
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
        result = result with { SetupSeconds = setupSeconds };
        return new EllipticSolution2D(Discretization2D.ToVertexField(system, x), result, system);
    }
}
