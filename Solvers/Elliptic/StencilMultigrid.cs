using System.Diagnostics;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Krylov;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Elliptic;

/// <summary>An operator that can also form residuals r = b - A x and report ||r||^2.</summary>
internal interface IResidualOperator : ILinearOperator
{
    /// <summary>r = b - A x; returns the squared 2-norm of r.</summary>
    double Residual(double[] x, double[] b, double[] r);
}

/// <summary>Interpolation P between two levels and its transpose, as used by a multigrid cycle.</summary>
internal interface IGridTransfer
{
    /// <summary>coarse = P^T fine.</summary>
    void Restrict(double[] fine, double[] coarse, int threads);
    /// <summary>fine += P coarse.</summary>
    void ProlongAdd(double[] coarse, double[] fine, int threads);
}

/// <summary>
/// What the 2D and 3D Galerkin stencil multigrid hierarchies share once their levels are built: the
/// work arrays and the level steps <see cref="MultigridCycle"/> drives (each level owns its
/// operator, smoother and transfer; the coarsest its direct or relaxed solve), use as a solver
/// (<see cref="Solve"/>, stopping by <see cref="StopCriterion"/>) and as a preconditioner
/// (<see cref="Apply"/>: one cycle from a zero guess, symmetric when pre- and post-smoothing counts match).
/// </summary>
public abstract class StencilMultigrid : IPreconditioner, IMultigridHierarchy
{
    /// <summary>Sweeps each way on a coarsest level too large to factor.</summary>
    const int CoarseSweeps = 50;

    /// <summary>One level as the derived hierarchy builds it: operator, smoother and transfer to the next coarser level (null on the coarsest).</summary>
    private protected readonly record struct LevelParts(IResidualOperator Operator, IStencilSmoother Smoother, IGridTransfer? ToCoarse);

    sealed class Level(LevelParts parts)
    {
        public IResidualOperator A { get; } = parts.Operator;
        public IStencilSmoother Smoother { get; } = parts.Smoother;
        public IGridTransfer? ToCoarse { get; } = parts.ToCoarse;
        public double[] X { get; } = new double[parts.Operator.Size];
        public double[] B { get; } = new double[parts.Operator.Size];
        public double[] R { get; } = new double[parts.Operator.Size];
    }

    readonly Level[] _levels;
    readonly Action<double[], double[]>? _coarseDirect;

    /// <summary>Takes the built levels (finest first) and, when affordable, a direct solver x = A^-1 b for the coarsest.</summary>
    private protected StencilMultigrid(MultigridOptions options, IReadOnlyList<LevelParts> levels, Action<double[], double[]>? coarseDirect, double setupSeconds)
    {
        Options = options;
        _levels = levels.Select(p => new Level(p)).ToArray();
        _coarseDirect = coarseDirect;
        SetupSeconds = setupSeconds;
    }

    /// <summary>Options in use, post-smoothing resolved (default 2: a symmetric cycle).</summary>
    public MultigridOptions Options { get; }
    /// <summary>Number of levels.</summary>
    public int LevelCount => _levels.Length;
    /// <summary>Unknowns on the coarsest level.</summary>
    public int CoarsestSize => _levels[^1].A.Size;
    /// <summary>Seconds spent building the hierarchy.</summary>
    public double SetupSeconds { get; }

    /// <summary>The options with the stencil solvers' defaults filled in (post-smoothing 2), validated.</summary>
    private protected static MultigridOptions Checked(MultigridOptions? options) => (options ?? new MultigridOptions()).Resolved(defaultPostSmoothing: 2);

    /// <summary>Solves A x = b with cycles from the guess in x until <see cref="MultigridOptions.Stop"/> decides.</summary>
    public SolveResult Solve(double[] b, double[] x)
    {
        var watch = Stopwatch.StartNew();
        var top = _levels[0];
        double r0 = Math.Sqrt(top.A.Residual(x, b, top.R));
        double bNorm = 0;
        foreach (double v in b) bNorm += v * v;
        return MultigridCycle.Iterate(() =>
        {
            Array.Copy(b, top.B, b.Length);
            Array.Copy(x, top.X, x.Length);
            MultigridCycle.Run(this, 0, Options.Cycle);
            Array.Copy(top.X, x, x.Length);
            return Math.Sqrt(top.A.Residual(x, b, top.R));
        }, Options.Stop, Math.Sqrt(bNorm), [], r0, iterationsDone: 0, fixedSchedule: false, SetupSeconds, watch);
    }

    /// <summary>Preconditioner: z = one cycle applied to r from a zero guess.</summary>
    public void Apply(double[] r, double[] z)
    {
        var top = _levels[0];
        Array.Copy(r, top.B, r.Length);
        Array.Clear(top.X);
        MultigridCycle.Run(this, 0, Options.Cycle);
        Array.Copy(top.X, z, z.Length);
    }

    void IMultigridHierarchy.PreSmoothAndRestrict(int l)
    {
        var level = _levels[l];
        var coarse = _levels[l + 1];
        level.Smoother.Smooth(level.X, level.B, Options.PreSmoothing, reverse: false);
        level.A.Residual(level.X, level.B, level.R);
        level.ToCoarse!.Restrict(level.R, coarse.B, Options.Threads);
        Array.Clear(coarse.X);
    }

    void IMultigridHierarchy.ProlongAndPostSmooth(int l)
    {
        var level = _levels[l];
        level.ToCoarse!.ProlongAdd(_levels[l + 1].X, level.X, Options.Threads);
        level.Smoother.Smooth(level.X, level.B, Options.Post, reverse: true);
    }

    void IMultigridHierarchy.SolveCoarsest()
    {
        var level = _levels[^1];
        if (_coarseDirect is not null) { _coarseDirect(level.B, level.X); return; }
        // Too large to factor (an axis could not be coarsened far): relax hard, symmetrically.
        level.Smoother.Smooth(level.X, level.B, CoarseSweeps, reverse: false);
        level.Smoother.Smooth(level.X, level.B, CoarseSweeps, reverse: true);
    }
}
