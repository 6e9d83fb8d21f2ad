using System.Diagnostics;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Krylov;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Diffusion;

/// <summary>Options of <see cref="DirichletDiffusionSolver2D"/>; the solve stops by <see cref="StopCriterion"/>.</summary>
public sealed record DirichletDiffusionOptions
{
    /// <summary>Relative residual tolerance ||b - A u|| / ||b||.</summary>
    public double RelativeTolerance { get; init; } = 1e-8;
    /// <summary>Most conjugate-gradient iterations.</summary>
    public int MaxIterations { get; init; } = 100;
    /// <summary>Gauss-Seidel sweeps before and after each coarse correction.</summary>
    public int Smoothing { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public DirichletDiffusionOptions Validated()
    {
        if (!(RelativeTolerance >= 0)) throw new ArgumentException("the tolerance must be a non-negative number");
        if (MaxIterations < 1) throw new ArgumentException("MaxIterations must be at least 1");
        if (Smoothing < 1) throw new ArgumentException("Smoothing must be at least 1");
        return this;
    }
}

/// <summary>The solution on all vertices (boundary zeros included) and the solver's report.</summary>
public sealed record DirichletDiffusionSolution(double[,] U, SolveResult Result);

/// <summary>
/// Solves -div(a grad u) = f on the unit square with u = 0 on the boundary, for many coefficient
/// fields one after another: the Darcy-flow problem of operator-learning benchmarks. Same
/// discretisation as <see cref="Elliptic.Discretization2D"/> (five-point finite volumes with
/// harmonic-mean face coefficients), so its answers match the general solver's. Conjugate
/// gradients are preconditioned by one symmetric V-cycle with Galerkin coarse operators and
/// lexicographic Gauss-Seidel (forward before, backward after the coarse correction). Any grid
/// size coarsens down to a few unknowns (see <see cref="PaddedGalerkin"/>), including the
/// 421-point FNO grid.
/// </summary>
/// <remarks>
/// The solver is single-threaded by design: generators run one solve per core, which scales
/// better than splitting one solve across cores. An instance is not thread-safe; use one per
/// thread. Results are deterministic.
/// </remarks>
public sealed class DirichletDiffusionSolver2D(DirichletDiffusionOptions? options = null)
{
    const int DirectSolveMaxUnknowns = 64;

    /// <summary>Options in use.</summary>
    public DirichletDiffusionOptions Options { get; } = (options ?? new DirichletDiffusionOptions()).Validated();

    // The hierarchy and work vectors of the last grid size, reused by the next solve of that size.
    Hierarchy? _hierarchy;

    /// <summary>
    /// Solves for a coefficient <paramref name="a"/> and forcing <paramref name="f"/> given at the
    /// (M + 1) x (M + 1) vertices, [y, x] (a square grid with spacing 1 / M).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree, the grid is too small, or a is not positive and finite.</exception>
    public DirichletDiffusionSolution Solve(double[,] a, double[,] f)
    {
        var setup = Stopwatch.StartNew();
        var h = Prepare(a, f);
        double setupSeconds = setup.Elapsed.TotalSeconds;

        var solve = Stopwatch.StartNew();
        var cg = new ConjugateGradient(new KrylovOptions { RelativeTolerance = Options.RelativeTolerance, MaxIterations = Options.MaxIterations });
        Array.Clear(h.Solution);
        var result = cg.Solve(h.Levels[0], h, h.Rhs, h.Solution, h.Work);
        int rows = a.GetLength(0);
        var fine = h.Levels[0];
        var u = new double[rows, rows];
        for (int j = 1; j <= fine.Ny; j++)
            for (int i = 1; i <= fine.Nx; i++) u[j, i] = h.Solution[j * fine.Stride + i];
        return new DirichletDiffusionSolution(u, result with { SetupSeconds = setupSeconds, SolveSeconds = solve.Elapsed.TotalSeconds });
    }

    /// <summary>
    /// Solves as <see cref="Solve"/> from the interior unknowns in <paramref name="unknowns"/> (row by
    /// row, the layout of <see cref="Elliptic.Discretization2D"/>; the answer replaces them), until
    /// <paramref name="accept"/> says so for an iterate and its residual b - A x, both in that layout,
    /// or the options' iteration limit: the residual tolerance is not applied. Asked before the first
    /// iteration too.
    /// </summary>
    internal SolveResult SolveUntil(double[,] a, double[,] f, double[] unknowns, Func<double[], double[], bool> accept)
    {
        var h = Prepare(a, f);
        var fine = h.Levels[0];
        if (unknowns.Length != fine.Nx * fine.Ny) throw new ArgumentException($"the grid has {fine.Nx * fine.Ny} unknowns; got {unknowns.Length}", nameof(unknowns));
        Array.Clear(h.Solution);
        Pad(unknowns, h.Solution, fine);
        bool Accept(double[] x, double[] r)
        {
            Unpad(x, h.UnknownsX, fine);
            Unpad(r, h.UnknownsR, fine);
            return accept(h.UnknownsX, h.UnknownsR);
        }
        var cg = new ConjugateGradient(new KrylovOptions { RelativeTolerance = 0, MaxIterations = Options.MaxIterations });
        var result = cg.Solve(fine, h, h.Rhs, h.Solution, h.Work, Accept);
        Unpad(h.Solution, unknowns, fine);
        return result;
    }

    static void Pad(double[] unknowns, double[] padded, PaddedStencilLevel level)
    {
        for (int j = 0; j < level.Ny; j++)
            unknowns.AsSpan(j * level.Nx, level.Nx).CopyTo(padded.AsSpan((j + 1) * level.Stride + 1, level.Nx));
    }

    static void Unpad(double[] padded, double[] unknowns, PaddedStencilLevel level)
    {
        for (int j = 0; j < level.Ny; j++)
            padded.AsSpan((j + 1) * level.Stride + 1, level.Nx).CopyTo(unknowns.AsSpan(j * level.Nx, level.Nx));
    }

    // Checks the fields, then assembles the fine level and the Galerkin coarse levels of the reused hierarchy.
    Hierarchy Prepare(double[,] a, double[,] f)
    {
        int rows = a.GetLength(0), cols = a.GetLength(1);
        if (rows != cols) throw new ArgumentException($"the coefficient is {rows} x {cols}; a square vertex grid is expected");
        if (f.GetLength(0) != rows || f.GetLength(1) != cols) throw new ArgumentException($"the forcing is {f.GetLength(0)} x {f.GetLength(1)}; expected {rows} x {cols}");
        if (rows < 3) throw new ArgumentException("at least 3 x 3 vertices are needed");
        foreach (double v in a)
            if (!(v > 0) || !double.IsFinite(v)) throw new ArgumentException($"the coefficient must be positive and finite (found {v})");
        foreach (double v in f)
            if (!double.IsFinite(v)) throw new ArgumentException($"the forcing must be finite (found {v})");

        if (_hierarchy is null || _hierarchy.Levels[0].Nx != rows - 2) _hierarchy = new Hierarchy(rows - 2, Options.Smoothing);
        var h = _hierarchy;
        Assemble(a, f, h.Levels[0], h.Rhs);
        for (int l = 1; l < h.Levels.Count; l++) PaddedGalerkin.Coarsen(h.Levels[l - 1], h.Levels[l]);
        h.Factor();
        return h;
    }

    // Interior rows of the five-point scheme scaled by 1/h^2 (as in Discretization2D); couplings to
    // boundary vertices enter the diagonal only, since u = 0 there.
    static void Assemble(double[,] a, double[,] f, PaddedStencilLevel level, double[] rhs)
    {
        int m = a.GetLength(0) - 1, n = m - 1, s = level.Stride;
        double scale = (double)m * m;
        for (int j = 1; j <= n; j++)
            for (int i = 1; i <= n; i++)
            {
                int p = j * s + i;
                double c = a[j, i];
                double west = scale * Harmonic(c, a[j, i - 1]), east = scale * Harmonic(c, a[j, i + 1]);
                double south = scale * Harmonic(c, a[j - 1, i]), north = scale * Harmonic(c, a[j + 1, i]);
                level.Centre[p] = west + east + south + north;
                level.West[p] = i > 1 ? -west : 0;
                level.South[p] = j > 1 ? -south : 0;
                rhs[p] = f[j, i];
            }
        level.Finish();
    }

    static double Harmonic(double p, double q) => 2 * p * q / (p + q);

    /// <summary>
    /// The padded levels of one grid size as a multigrid hierarchy (forward Gauss-Seidel before and
    /// backward after each coarse correction, Galerkin transfers, the coarsest level factored), its
    /// use as the V-cycle preconditioner, and the CG vectors.
    /// </summary>
    sealed class Hierarchy : IMultigridHierarchy, IPreconditioner
    {
        readonly int _smoothing;
        readonly double[] _rowBuffer;
        DenseCholesky? _coarsest;

        public Hierarchy(int n, int smoothing)
        {
            _smoothing = smoothing;
            var levels = new List<PaddedStencilLevel> { new(n, n, fivePoint: true) };
            while (levels[^1].Nx * levels[^1].Ny > DirectSolveMaxUnknowns && levels[^1].Nx >= 3 && levels[^1].Ny >= 3)
                levels.Add(PaddedGalerkin.CoarseLevelOf(levels[^1]));
            Levels = levels;
            int size = levels[0].Size;
            _rowBuffer = new double[levels[0].Stride];
            Rhs = new double[size]; Solution = new double[size];
            Work = new ConjugateGradient.Workspace(size);
        }

        public IReadOnlyList<PaddedStencilLevel> Levels { get; }
        public double[] Rhs { get; }
        public double[] Solution { get; }
        public ConjugateGradient.Workspace Work { get; }
        // An iterate and its residual in the unpadded layout of SolveUntil's callback, made on first use.
        public double[] UnknownsX => _unknownsX ??= new double[Levels[0].Nx * Levels[0].Ny];
        public double[] UnknownsR => _unknownsR ??= new double[Levels[0].Nx * Levels[0].Ny];
        double[]? _unknownsX, _unknownsR;
        public int LevelCount => Levels.Count;

        public void Factor() => _coarsest = new DenseCholesky(Levels[^1]);

        /// <summary>One symmetric V-cycle from a zero guess.</summary>
        public void Apply(double[] r, double[] z)
        {
            // The finest level works on the caller's vectors directly: no copies in or out.
            var top = Levels[0];
            var (ownX, ownB) = (top.X, top.B);
            top.B = r;
            top.X = z;
            Array.Clear(z);
            MultigridCycle.Run(this, 0, CycleType.V);
            (top.X, top.B) = (ownX, ownB);
        }

        public void PreSmoothAndRestrict(int l)
        {
            var level = Levels[l];
            level.GaussSeidel(_smoothing, backward: false);
            level.Residual(level.X, level.B, level.R);
            PaddedGalerkin.Restrict(level, Levels[l + 1]);
            Array.Clear(Levels[l + 1].X);
        }

        public void ProlongAndPostSmooth(int l)
        {
            var level = Levels[l];
            PaddedGalerkin.ProlongAdd(Levels[l + 1], level, _rowBuffer);
            level.GaussSeidel(_smoothing, backward: true);
        }

        public void SolveCoarsest() => _coarsest!.Solve(Levels[^1]);
    }
}
