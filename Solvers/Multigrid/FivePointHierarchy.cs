using PdeOps.Physics.Grids;

namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// The levels of <see cref="PoissonMultigrid2D"/>: the five-point operator rediscretised on grids of
/// (n - 1) / 2 points, each level smoothed by red-black Gauss-Seidel (its pre-smoothing, residual
/// and restriction fused into one row pipeline and its prolongation, post-smoothing and, on the
/// finest level, the residual norm into another, see <see cref="RedBlackPasses"/>) or damped
/// Jacobi; the coarsest level is factored by <see cref="BandedCholesky"/> when affordable, else relaxed.
/// </summary>
internal sealed class FivePointHierarchy : IPoissonHierarchy
{
    /// <summary>Largest factorisation cost (N * Nx^2) allowed for the direct coarse solve.</summary>
    internal const double MaxDirectCost = 2e8;

    readonly GridLevel[] _levels;
    readonly BandedCholesky? _coarseDirect;
    readonly FmgInterpolation[] _fmgInterpolations;
    readonly double[] _rowNorms;
    readonly RedBlackPasses[] _passes;
    readonly SmootherKind _smoother;
    readonly int _pre, _post, _threads;
    // True when the last finest post-smoothing pass left the residual norm in _rowNorms.
    bool _normReady;

    public FivePointHierarchy(UniformGrid2D grid, MultigridOptions options)
    {
        _smoother = options.Smoother;
        _pre = options.PreSmoothing;
        _post = options.Post;
        _threads = options.Threads;
        var levels = new List<GridLevel> { new(grid.Nx, grid.Ny, grid.Hx, grid.Hy) };
        while (levels[^1].CanCoarsen) levels.Add(levels[^1].Coarsen());
        _levels = levels.ToArray();
        _fmgInterpolations = Enumerable.Range(0, _levels.Length - 1)
            .Select(l => new FmgInterpolation(_levels[l + 1], _levels[l])).ToArray();
        if (BandedCholesky.FactorCost(Coarsest) <= MaxDirectCost) _coarseDirect = new BandedCholesky(Coarsest);
        _rowNorms = new double[grid.Ny + 2];
        _passes = _smoother != SmootherKind.GaussSeidel ? [] : Enumerable.Range(0, _levels.Length - 1)
            .Select(l => new RedBlackPasses(_levels[l], _levels[l + 1], _pre, _post, _rowNorms)).ToArray();
    }

    public IReadOnlyList<GridLevel> Levels => _levels;
    public int LevelCount => _levels.Length;
    GridLevel Finest => _levels[0];
    GridLevel Coarsest => _levels[^1];

    public void CheckShape(double[,] field)
    {
        if (field.GetLength(0) != Finest.Ny || field.GetLength(1) != Finest.Nx)
            throw new ArgumentException($"expected a {Finest.Ny} x {Finest.Nx} field, got {field.GetLength(0)} x {field.GetLength(1)}");
    }

    public void Load(double[,] f, double[,]? u)
    {
        _normReady = false;
        Finest.Load(f, Finest.F);
        if (u is not null) Finest.Load(u, Finest.U);
    }

    public double RightHandSideNorm() => Math.Sqrt(SumSquares(Finest.F, Finest));

    public double ResidualNorm()
    {
        if (!_normReady) return Math.Sqrt(FivePointKernels.Residual(Finest, _threads));
        _normReady = false;
        double sum = 0;
        for (int j = 1; j <= Finest.Ny; j++) sum += _rowNorms[j];
        return Math.Sqrt(sum);
    }

    public void Store(double[,] u) => Finest.ExtractInto(Finest.U, u);

    public void PreSmoothAndRestrict(int l)
    {
        var coarse = _levels[l + 1];
        if (_smoother == SmootherKind.GaussSeidel) _passes[l].PreSmoothAndRestrict(_threads);
        else
        {
            var level = _levels[l];
            FivePointKernels.Smooth(level, _smoother, _pre, _threads);
            FivePointKernels.Residual(level, _threads);
            FivePointKernels.RestrictResidual(level, coarse, _threads);
        }
        Array.Clear(coarse.U);
    }

    public void ProlongAndPostSmooth(int l)
    {
        if (_smoother == SmootherKind.GaussSeidel)
        {
            // The finest level's pass also leaves the residual norm per row, for the stopping rule.
            _passes[l].ProlongAndPostSmooth(_threads, norm: l == 0);
            _normReady = l == 0;
            return;
        }
        FivePointKernels.ProlongAndCorrect(_levels[l + 1], _levels[l], _threads);
        FivePointKernels.Smooth(_levels[l], _smoother, _post, _threads);
    }

    public void SolveCoarsest()
    {
        _normReady = false;
        var level = Coarsest;
        if (_coarseDirect is not null) { _coarseDirect.Solve(level); return; }
        // Too large to factor: relax until the residual has dropped by 1e-12 (or 10^4 sweeps).
        Array.Clear(level.U);
        double r0 = Math.Sqrt(SumSquares(level.F, level));
        for (int s = 0; s < 10_000; s++)
        {
            FivePointKernels.Smooth(level, SmootherKind.GaussSeidel, 10, _threads);
            if (Math.Sqrt(FivePointKernels.Residual(level, _threads)) <= 1e-12 * r0) break;
        }
    }

    public void RestrictRightHandSide(int l) =>
        FivePointKernels.FullWeighting(_levels[l].F, _levels[l].Stride, _levels[l + 1].F, _levels[l + 1], _threads);

    public void InterpolateSolution(int l) => _fmgInterpolations[l].Apply(_threads);

    static double SumSquares(double[] padded, GridLevel level)
    {
        double s = 0;
        for (int j = 0; j < level.Ny; j++)
            foreach (double v in padded.AsSpan(level.Index(0, j), level.Nx)) s += v * v;
        return s;
    }
}
