namespace PdeOps.Solvers.Gpu;

/// <summary>How <see cref="IlgpuPoissonMultigrid2D"/> solves its coarsest level.</summary>
public enum GpuCoarseSolve
{
    /// <summary>The coarsest level has one unknown (n = 2^k - 1): one Gauss-Seidel sweep on the device is exact.</summary>
    SingleUnknownSweep,
    /// <summary>
    /// The coarsest level is copied to the host and solved by <see cref="Multigrid.BandedCholesky"/>, as
    /// <see cref="Multigrid.PoissonMultigrid2D"/> does; used when the grid cannot be coarsened to one point.
    /// </summary>
    HostBandedCholesky,
    /// <summary>Too large to factor: red-black Gauss-Seidel on the device until the residual has dropped by 1e-12 (1e-6 in single precision).</summary>
    DeviceRelaxation,
}
