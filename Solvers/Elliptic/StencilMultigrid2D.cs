using System.Diagnostics;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Krylov;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// Geometric multigrid with Galerkin coarse operators for any <see cref="StencilOperator2D"/>:
/// variable and jumping coefficients, Dirichlet, Neumann and periodic sides, reaction terms.
/// Levels coarsen by two while every axis has an even number of intervals (at least four); the
/// coarsest level is factored densely (or relaxed, when too large to factor). Use it as a solver
/// (<see cref="Solve"/>) or, one cycle from a zero guess, as a preconditioner for Krylov methods
/// (it is symmetric when pre- and post-smoothing match).
/// </summary>
public sealed class StencilMultigrid2D : IPreconditioner, IMultigridHierarchy
{
    sealed class Level(StencilOperator2D a, IStencilSmoother smoother)
    {
        public StencilOperator2D A { get; } = a;
        public IStencilSmoother Smoother { get; } = smoother;
        public double[] X { get; } = new double[a.Size];
        public double[] B { get; } = new double[a.Size];
        public double[] R { get; } = new double[a.Size];
        public GridTransfer? ToCoarse { get; set; }
    }

    readonly Level[] _levels;
    readonly DenseLu? _coarseLu;
    readonly BandedLu? _coarseBanded;

    /// <summary>Largest factorisation cost N b^2 accepted for a banded coarsest level.</summary>
    const double MaxBandedCost = 5e8;

    /// <summary>Builds the hierarchy for <paramref name="fine"/>.</summary>
    public StencilMultigrid2D(StencilOperator2D fine, StencilMultigridOptions? options = null)
    {
        var watch = Stopwatch.StartNew();
        Options = options ?? new StencilMultigridOptions();
        if (Options.PreSmoothing + Options.PostSmoothing < 1) throw new ArgumentException("multigrid needs at least one smoothing sweep");
        fine.Threads = Options.Threads;
        var levels = new List<Level> { new(fine, StencilSmoothers.Create(Options.Smoother, fine, Options.Threads)) };
        while (true)
        {
            var a = levels[^1].A;
            if (!a.X.CanCoarsen || !a.Y.CanCoarsen || a.Size <= 16) break;
            var coarse = new StencilOperator2D(a.X.Coarsen(), a.Y.Coarsen()) { Threads = Options.Threads };
            var transfer = new GridTransfer(a, coarse);
            GalerkinCoarsening.Compute(a, coarse, Options.Threads);
            levels[^1].ToCoarse = transfer;
            levels.Add(new Level(coarse, StencilSmoothers.Create(Options.Smoother, coarse, Options.Threads)));
        }
        _levels = levels.ToArray();
        var coarsest = _levels[^1].A;
        if (coarsest.Size <= DenseLu.MaxSize) _coarseLu = new DenseLu(coarsest);
        else if (!coarsest.X.Periodic && !coarsest.Y.Periodic && BandedLu.Cost(coarsest) <= MaxBandedCost) _coarseBanded = new BandedLu(coarsest);
        SetupSeconds = watch.Elapsed.TotalSeconds;
    }

    /// <summary>Options in use.</summary>
    public StencilMultigridOptions Options { get; }
    /// <summary>Number of levels.</summary>
    public int LevelCount => _levels.Length;
    /// <summary>Unknowns on the coarsest level.</summary>
    public int CoarsestSize => _levels[^1].A.Size;
    /// <summary>Seconds spent building the hierarchy.</summary>
    public double SetupSeconds { get; }
    /// <summary>The coarse operator of level l (0 is the fine operator).</summary>
    public StencilOperator2D Operator(int level) => _levels[level].A;

    /// <summary>Solves A x = b with cycles from the guess in x, until the relative tolerance or the cycle limit.</summary>
    public SolveResult Solve(double[] b, double[] x)
    {
        var top = _levels[0];
        double r0 = Math.Sqrt(top.A.Residual(x, b, top.R));
        return StencilCycleSolve.Run(() =>
        {
            Array.Copy(b, top.B, b.Length);
            Array.Copy(x, top.X, x.Length);
            MultigridCycle.Run(this, 0, Options.Cycle);
            Array.Copy(top.X, x, x.Length);
            return Math.Sqrt(top.A.Residual(x, b, top.R));
        }, r0, Math.Sqrt(b.Sum(v => v * v)), Options, SetupSeconds);
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

    int IMultigridHierarchy.LevelCount => _levels.Length;

    void IMultigridHierarchy.PreSmooth(int l) => _levels[l].Smoother.Smooth(_levels[l].X, _levels[l].B, Options.PreSmoothing, reverse: false);

    void IMultigridHierarchy.RestrictResidual(int l)
    {
        var level = _levels[l];
        var coarse = _levels[l + 1];
        level.A.Residual(level.X, level.B, level.R);
        level.ToCoarse!.Restrict(level.R, coarse.B, Options.Threads);
        Array.Clear(coarse.X);
    }

    void IMultigridHierarchy.ProlongAndPostSmooth(int l)
    {
        var level = _levels[l];
        level.ToCoarse!.ProlongAdd(_levels[l + 1].X, level.X, Options.Threads);
        level.Smoother.Smooth(level.X, level.B, Options.PostSmoothing, reverse: true);
    }

    void IMultigridHierarchy.SolveCoarsest() => SolveCoarsest(_levels[^1]);

    void SolveCoarsest(Level level)
    {
        if (_coarseLu is not null) { _coarseLu.Solve(level.B, level.X); return; }
        if (_coarseBanded is not null) { _coarseBanded.Solve(level.B, level.X); return; }
        // Too large to factor (the grid could not be coarsened far): relax hard instead.
        level.Smoother.Smooth(level.X, level.B, 50, reverse: false);
    }
}
