using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Elliptic;

/// <summary>Options of <see cref="StencilMultigrid2D"/>.</summary>
public sealed record StencilMultigridOptions
{
    /// <summary>Cycle shape.</summary>
    public CycleType Cycle { get; init; } = CycleType.V;
    /// <summary>Smoother.</summary>
    public StencilSmootherKind Smoother { get; init; } = StencilSmootherKind.MulticolorGaussSeidel;
    /// <summary>Sweeps before the coarse correction.</summary>
    public int PreSmoothing { get; init; } = 2;
    /// <summary>Sweeps after the coarse correction.</summary>
    public int PostSmoothing { get; init; } = 2;
    /// <summary>Relative residual tolerance when multigrid is the solver.</summary>
    public double RelativeTolerance { get; init; } = 1e-10;
    /// <summary>Cycle limit when multigrid is the solver.</summary>
    public int MaxCycles { get; init; } = 100;
    /// <summary>Threads for the sweeps.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
}
