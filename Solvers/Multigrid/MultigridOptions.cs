using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Multigrid;

/// <summary>The recursion pattern of one multigrid cycle.</summary>
public enum CycleType
{
    /// <summary>One coarse-grid correction per level.</summary>
    V,
    /// <summary>Two coarse-grid corrections per level.</summary>
    W,
    /// <summary>An F-cycle: a W-shaped descent that returns through V-cycles.</summary>
    F,
}

/// <summary>The relaxation applied before and after each coarse-grid correction, for every multigrid solver.</summary>
public enum SmootherKind
{
    /// <summary>
    /// Multicolour Gauss-Seidel: red-black on the five-point Poisson levels (the fastest smoother
    /// there), four colours on nine-point 2D stencils, eight colours on 3D stencils.
    /// </summary>
    GaussSeidel,
    /// <summary>Damped Jacobi (weight 4/5 for the five-point Laplacian, the stencil solvers' weights otherwise).</summary>
    WeightedJacobi,
    /// <summary>Chebyshev polynomial smoothing (2D stencil multigrid only).</summary>
    Chebyshev,
}

/// <summary>
/// Options of every multigrid solver: <see cref="PoissonMultigrid2D"/>, the ILGPU Poisson solver,
/// and the Galerkin stencil multigrid of <c>Elliptic.StencilMultigrid2D</c> and
/// <c>Elliptic3D.StencilMultigrid3D</c>. The defaults follow the textbook choices (Trottenberg,
/// Oosterlee and Schüller, Multigrid, 2001, ch. 2): V-cycles with multicolour Gauss-Seidel, two
/// pre-smoothing sweeps, relative tolerance 1e-10 to ||b|| (see <see cref="StopCriterion"/>). Post-smoothing
/// defaults per solver: one sweep on the five-point Poisson levels (V(2,1), the fastest to the
/// tolerance), two on the stencil levels (a symmetric V(2,2), as conjugate gradients need of a preconditioner).
/// </summary>
public sealed record MultigridOptions
{
    /// <summary>Cycle shape.</summary>
    public CycleType Cycle { get; init; } = CycleType.V;
    /// <summary>Smoother.</summary>
    public SmootherKind Smoother { get; init; } = SmootherKind.GaussSeidel;
    /// <summary>Smoothing sweeps before the coarse-grid correction.</summary>
    public int PreSmoothing { get; init; } = 2;
    /// <summary>Smoothing sweeps after the coarse-grid correction; null takes the solver's default (1 for the five-point Poisson solvers, 2 for stencil multigrid).</summary>
    public int? PostSmoothing { get; init; }
    /// <summary>Stop when the residual 2-norm falls below this times ||b|| (see <see cref="StopCriterion"/>).</summary>
    public double RelativeTolerance { get; init; } = 1e-10;
    /// <summary>Stop when the residual 2-norm falls below this.</summary>
    public double AbsoluteTolerance { get; init; }
    /// <summary>Most cycles before giving up with <c>DivergedIterationLimit</c>.</summary>
    public int MaxCycles { get; init; } = 100;
    /// <summary>Threads used by the sweeps; defaults to all cores.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The stopping rule of a solve by cycles.</summary>
    public StopCriterion Stop => new() { RelativeTolerance = RelativeTolerance, AbsoluteTolerance = AbsoluteTolerance, MaxIterations = MaxCycles };

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public MultigridOptions Validated()
    {
        int post = PostSmoothing ?? 1;
        if (PreSmoothing < 0 || post < 0 || PreSmoothing + post == 0)
            throw new ArgumentException("multigrid needs at least one smoothing sweep per level");
        if (!(RelativeTolerance >= 0) || !(AbsoluteTolerance >= 0))
            throw new ArgumentException("tolerances must be non-negative numbers");
        if (MaxCycles < 1) throw new ArgumentException("MaxCycles must be at least 1");
        if (Threads < 1) throw new ArgumentException("Threads must be at least 1");
        if (!Enum.IsDefined(Cycle) || !Enum.IsDefined(Smoother)) throw new ArgumentException("unknown cycle or smoother");
        return this;
    }

    /// <summary>These options with the solver's default post-smoothing filled in, validated.</summary>
    internal MultigridOptions Resolved(int defaultPostSmoothing) => (this with { PostSmoothing = PostSmoothing ?? defaultPostSmoothing }).Validated();

    /// <summary>Post-smoothing sweeps once resolved.</summary>
    internal int Post => PostSmoothing ?? throw new InvalidOperationException("options not resolved");
}
