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

/// <summary>The relaxation applied before and after each coarse-grid correction.</summary>
public enum SmootherType
{
    /// <summary>Red-black Gauss-Seidel: the fastest smoother for the five-point Laplacian.</summary>
    RedBlackGaussSeidel,
    /// <summary>Weighted Jacobi with weight 4/5, optimal for the five-point Laplacian's high frequencies.</summary>
    WeightedJacobi,
}

/// <summary>
/// Options of a multigrid solve. The defaults (V(2,1) with red-black Gauss-Seidel, relative
/// tolerance 1e-10) follow the textbook choice for Poisson problems (Trottenberg, Oosterlee and
/// Schüller, Multigrid, 2001, ch. 2).
/// </summary>
public sealed record MultigridOptions
{
    /// <summary>Cycle shape.</summary>
    public CycleType Cycle { get; init; } = CycleType.V;
    /// <summary>Smoother.</summary>
    public SmootherType Smoother { get; init; } = SmootherType.RedBlackGaussSeidel;
    /// <summary>Smoothing sweeps before the coarse-grid correction.</summary>
    public int PreSmoothing { get; init; } = 2;
    /// <summary>Smoothing sweeps after the coarse-grid correction.</summary>
    public int PostSmoothing { get; init; } = 1;
    /// <summary>Stop when the residual 2-norm falls below this times the initial one.</summary>
    public double RelativeTolerance { get; init; } = 1e-10;
    /// <summary>Stop when the residual 2-norm falls below this.</summary>
    public double AbsoluteTolerance { get; init; } = 0;
    /// <summary>Most cycles before giving up with <c>DivergedIterationLimit</c>.</summary>
    public int MaxCycles { get; init; } = 100;
    /// <summary>Threads used by the sweeps; defaults to all cores.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public MultigridOptions Validated()
    {
        if (PreSmoothing < 0 || PostSmoothing < 0 || PreSmoothing + PostSmoothing == 0)
            throw new ArgumentException("multigrid needs at least one smoothing sweep per level");
        if (!(RelativeTolerance >= 0) || !(AbsoluteTolerance >= 0))
            throw new ArgumentException("tolerances must be non-negative numbers");
        if (MaxCycles < 1) throw new ArgumentException("MaxCycles must be at least 1");
        if (Threads < 1) throw new ArgumentException("Threads must be at least 1");
        return this;
    }
}
