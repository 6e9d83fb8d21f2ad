using System.Diagnostics;
using PdeOps.Physics.Grids;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// Geometric multigrid for -(u_xx + u_yy) = f with u = 0 on the boundary of a rectangle,
/// discretised by the five-point stencil on a <see cref="UniformGrid2D"/>. Coarse levels
/// rediscretise the operator on grids of (n - 1) / 2 points (optimal for n = 2^k - 1); the
/// coarsest level is solved directly. Supports V, W and F cycles and full multigrid (FMG).
/// Algorithms follow Trottenberg, Oosterlee and Schüller, Multigrid (2001), ch. 2.
/// </summary>
public sealed class PoissonMultigrid2D
{
    /// <summary>Largest factorisation cost (N * Nx^2) allowed for the direct coarse solve.</summary>
    const double MaxDirectCost = 2e8;

    readonly GridLevel[] _levels;
    readonly BandedCholesky? _coarseDirect;
    readonly FmgInterpolation[] _fmgInterpolations;
    readonly double[] _rowNorms;
    readonly RedBlackPasses[] _passes;

    /// <summary>
    /// Bytes a solve on an <paramref name="n"/> x <paramref name="n"/> interior grid allocates: three
    /// padded arrays per level (4/3 of the fine level in all), the FMG interpolation rows, and the
    /// caller's forcing and solution.
    /// </summary>
    public static double EstimateBytes(int n)
    {
        double points = ((double)n + 2) * ((double)n + 2);
        return Common.MemoryEstimate.Double * points * (3 * Common.MemoryEstimate.HierarchyFactor(2) + 2 + 1);
    }

    /// <summary>Builds the hierarchy for <paramref name="grid"/>.</summary>
    public PoissonMultigrid2D(UniformGrid2D grid, MultigridOptions? options = null)
    {
        var watch = Stopwatch.StartNew();
        Grid = grid;
        Options = (options ?? new MultigridOptions()).Validated();
        var levels = new List<GridLevel> { new(grid.Nx, grid.Ny, grid.Hx, grid.Hy) };
        while (levels[^1].CanCoarsen) levels.Add(levels[^1].Coarsen());
        _levels = levels.ToArray();
        _fmgInterpolations = Enumerable.Range(0, _levels.Length - 1)
            .Select(l => new FmgInterpolation(_levels[l + 1], _levels[l])).ToArray();
        if (BandedCholesky.FactorCost(Coarsest) <= MaxDirectCost) _coarseDirect = new BandedCholesky(Coarsest);
        _rowNorms = new double[grid.Ny + 2];
        _passes = Enumerable.Range(0, _levels.Length - 1)
            .Select(l => new RedBlackPasses(_levels[l], _levels[l + 1], Options.PreSmoothing, Options.PostSmoothing, _rowNorms)).ToArray();
        SetupSeconds = watch.Elapsed.TotalSeconds;
    }

    /// <summary>The fine grid.</summary>
    public UniformGrid2D Grid { get; }
    /// <summary>The options every solve uses.</summary>
    public MultigridOptions Options { get; }
    /// <summary>The levels, finest first.</summary>
    public IReadOnlyList<GridLevel> Levels => _levels;
    /// <summary>Seconds spent building the hierarchy and factoring the coarsest level.</summary>
    public double SetupSeconds { get; }

    GridLevel Finest => _levels[0];
    GridLevel Coarsest => _levels[^1];

    /// <summary>
    /// Solves with repeated cycles from the initial guess in <paramref name="u"/> until the
    /// relative or absolute tolerance is met; <paramref name="u"/> receives the solution.
    /// </summary>
    public SolveResult Solve(double[,] f, double[,] u)
    {
        Finest.Load(f, Finest.F);
        Finest.Load(u, Finest.U);
        var result = CycleIteration.Run(CycleFinest, Options, new List<double>(), Math.Sqrt(FivePointKernels.Residual(Finest, Options.Threads)),
            Options.MaxCycles, cyclesDone: 0, SetupSeconds, Stopwatch.StartNew());
        CopyOut(u);
        return result;
    }

    /// <summary>
    /// Full multigrid from a zero guess: the coarsest solution is interpolated up level by level
    /// with one cycle on each, reaching the discretisation error in O(N). Then up to
    /// <paramref name="extraCycles"/> cycles follow at the finest level, stopping early if the
    /// tolerance is met.
    /// </summary>
    public SolveResult SolveFmg(double[,] f, double[,] u, int extraCycles = 1)
    {
        var watch = Stopwatch.StartNew();
        int threads = Options.Threads;
        Finest.Load(f, Finest.F);
        double r0 = Math.Sqrt(SumSquares(Finest.F, Finest));
        for (int l = 0; l + 1 < _levels.Length; l++)
            FivePointKernels.FullWeighting(_levels[l].F, _levels[l].Stride, _levels[l + 1].F, _levels[l + 1], threads);
        SolveCoarsest();
        for (int l = _levels.Length - 2; l > 0; l--)
        {
            _fmgInterpolations[l].Apply(threads);
            Cycle(l, Options.Cycle);
        }
        double norm;
        if (_levels.Length > 1)
        {
            _fmgInterpolations[0].Apply(threads);
            norm = CycleFinest();
        }
        else norm = Math.Sqrt(FivePointKernels.Residual(Finest, threads));
        var history = new List<double> { r0 };
        var result = CycleIteration.Run(CycleFinest, Options, history, norm, extraCycles, cyclesDone: 1, SetupSeconds, watch);
        CopyOut(u);
        return result;
    }

    void CopyOut(double[,] u) => Finest.ExtractInto(Finest.U, u);

    // One cycle on the finest level; returns the residual norm after it, computed inside the
    // cycle's last pass when the smoother allows.
    double CycleFinest()
    {
        if (_levels.Length == 1)
        {
            SolveCoarsest();
            return Math.Sqrt(FivePointKernels.Residual(Finest, Options.Threads));
        }
        Cycle(0, Options.Cycle, withNorm: true);
        if (Options.Smoother != SmootherType.RedBlackGaussSeidel) return Math.Sqrt(FivePointKernels.Residual(Finest, Options.Threads));
        double sum = 0;
        for (int j = 1; j <= Finest.Ny; j++) sum += _rowNorms[j];
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// One cycle of the given shape on level l, improving level l's U for its F. With red-black
    /// Gauss-Seidel the fine-level work is two passes through memory: smoothing, residual and
    /// restriction in one (<see cref="RowPipeline"/>), prolongation, smoothing and (when
    /// <paramref name="withNorm"/>) the residual norm in the other.
    /// </summary>
    void Cycle(int l, CycleType shape, bool withNorm = false)
    {
        if (l == _levels.Length - 1) { SolveCoarsest(); return; }
        var coarse = _levels[l + 1];
        PreSmoothAndRestrict(l);
        Array.Clear(coarse.U);
        switch (shape)
        {
            case CycleType.V: Cycle(l + 1, CycleType.V); break;
            case CycleType.W: Cycle(l + 1, CycleType.W); Cycle(l + 1, CycleType.W); break;
            case CycleType.F: Cycle(l + 1, CycleType.F); Cycle(l + 1, CycleType.V); break;
        }
        ProlongAndPostSmooth(l, withNorm);
    }

    void PreSmoothAndRestrict(int l)
    {
        int threads = Options.Threads;
        if (Options.Smoother == SmootherType.RedBlackGaussSeidel) { _passes[l].PreSmoothAndRestrict(threads); return; }
        var level = _levels[l];
        FivePointKernels.Smooth(level, Options.Smoother, Options.PreSmoothing, threads);
        FivePointKernels.Residual(level, threads);
        FivePointKernels.RestrictResidual(level, _levels[l + 1], threads);
    }

    void ProlongAndPostSmooth(int l, bool withNorm)
    {
        int threads = Options.Threads;
        if (Options.Smoother == SmootherType.RedBlackGaussSeidel) { _passes[l].ProlongAndPostSmooth(threads, withNorm); return; }
        FivePointKernels.ProlongAndCorrect(_levels[l + 1], _levels[l], threads);
        FivePointKernels.Smooth(_levels[l], Options.Smoother, Options.PostSmoothing, threads);
    }

    void SolveCoarsest()
    {
        var level = Coarsest;
        if (_coarseDirect is not null) { _coarseDirect.Solve(level); return; }
        // Too large to factor: relax until the residual has dropped by 1e-12 (or 10^4 sweeps).
        Array.Clear(level.U);
        double r0 = Math.Sqrt(SumSquares(level.F, level));
        for (int s = 0; s < 10_000; s++)
        {
            FivePointKernels.Smooth(level, SmootherType.RedBlackGaussSeidel, 10, Options.Threads);
            if (Math.Sqrt(FivePointKernels.Residual(level, Options.Threads)) <= 1e-12 * r0) break;
        }
    }

    static double SumSquares(double[] padded, GridLevel level)
    {
        double s = 0;
        for (int j = 0; j < level.Ny; j++)
            foreach (double v in padded.AsSpan(level.Index(0, j), level.Nx)) s += v * v;
        return s;
    }
}
