using System.Diagnostics;
using PdeOps.Physics.Grids;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// Geometric multigrid for -(u_xx + u_yy) = f with u = 0 on the boundary of a rectangle,
/// discretised by the five-point stencil on a <see cref="UniformGrid2D"/>. Coarse levels
/// rediscretise the operator on grids of (n - 1) / 2 points (optimal for n = 2^k - 1); the
/// coarsest level is solved directly. Supports V, W and F cycles and full multigrid (FMG), and
/// stops by <see cref="StopCriterion"/> (relative to ||f||). Defaults: V(2,1) with red-black
/// Gauss-Seidel. Algorithms follow Trottenberg, Oosterlee and Schüller, Multigrid (2001), ch. 2.
/// </summary>
public sealed class PoissonMultigrid2D
{
    readonly FivePointHierarchy _hierarchy;

    /// <summary>
    /// Bytes a solve on an <paramref name="n"/> x <paramref name="n"/> interior grid allocates: three
    /// padded arrays per level (4/3 of the fine level in all), the FMG interpolation rows, and the
    /// caller's forcing and solution.
    /// </summary>
    public static double EstimateBytes(int n)
    {
        double points = ((double)n + 2) * ((double)n + 2);
        return MemoryEstimate.Double * points * (3 * MemoryEstimate.HierarchyFactor(2) + 2 + 1);
    }

    /// <summary>Builds the hierarchy for <paramref name="grid"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range, or the smoother is Chebyshev (not offered on five-point levels).</exception>
    public PoissonMultigrid2D(UniformGrid2D grid, MultigridOptions? options = null)
    {
        var watch = Stopwatch.StartNew();
        Grid = grid;
        Options = ResolveOptions(options);
        _hierarchy = new FivePointHierarchy(grid, Options);
        SetupSeconds = watch.Elapsed.TotalSeconds;
    }

    /// <summary>The options of the five-point Poisson solvers with their defaults filled in (post-smoothing 1).</summary>
    internal static MultigridOptions ResolveOptions(MultigridOptions? options)
    {
        var resolved = (options ?? new MultigridOptions()).Resolved(defaultPostSmoothing: 1);
        if (resolved.Smoother == SmootherKind.Chebyshev)
            throw new ArgumentException("the five-point Poisson multigrid smooths with GaussSeidel (red-black) or WeightedJacobi");
        return resolved;
    }

    /// <summary>The fine grid.</summary>
    public UniformGrid2D Grid { get; }
    /// <summary>The options every solve uses, post-smoothing resolved.</summary>
    public MultigridOptions Options { get; }
    /// <summary>Number of levels, finest included.</summary>
    public int LevelCount => _hierarchy.LevelCount;
    /// <summary>Seconds spent building the hierarchy and factoring the coarsest level.</summary>
    public double SetupSeconds { get; }

    /// <summary>The levels, finest first.</summary>
    internal IReadOnlyList<GridLevel> Levels => _hierarchy.Levels;

    /// <summary>
    /// Solves with repeated cycles from the initial guess in <paramref name="u"/> until the
    /// tolerance is met; <paramref name="u"/> receives the solution.
    /// </summary>
    public SolveResult Solve(double[,] f, double[,] u) => PoissonSolve.Cycles(_hierarchy, Options, f, u, SetupSeconds);

    /// <summary>
    /// Full multigrid from a zero guess: the coarsest solution is interpolated up level by level
    /// with one cycle on each, reaching the discretisation error in O(N). Then up to
    /// <paramref name="extraCycles"/> cycles follow at the finest level, stopping early if the
    /// tolerance is met. The FMG pass counts as one iteration.
    /// </summary>
    public SolveResult SolveFmg(double[,] f, double[,] u, int extraCycles = 1) => PoissonSolve.Fmg(_hierarchy, Options, f, u, extraCycles, SetupSeconds);
}
