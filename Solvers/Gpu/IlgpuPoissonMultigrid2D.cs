using System.Diagnostics;
using ILGPU.Runtime;
using PdeOps.Physics.Grids;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Gpu;

/// <summary>
/// Geometric multigrid for -(u_xx + u_yy) = f with u = 0 on the boundary of a rectangle, with the
/// whole cycle on an ILGPU accelerator: the device version of <see cref="PoissonMultigrid2D"/>
/// (same hierarchy, red-black Gauss-Seidel or damped Jacobi smoothing, full weighting, bilinear
/// prolongation, cubic FMG interpolation, V, W and F cycles, same stopping tests and
/// <see cref="SolveResult"/>). Each level keeps U, F and R in device buffers in the padded layout
/// of <see cref="GridLevel"/>; residual norms are reduced on the device, and only the norm (one
/// double) crosses to the host per cycle. The coarsest level is solved exactly: by one device
/// sweep when it has one unknown (n = 2^k - 1), otherwise on the host by banded Cholesky (see
/// <see cref="GpuCoarseSolve"/>). Algorithms follow Trottenberg, Oosterlee and Schüller,
/// Multigrid (2001), ch. 2. <see cref="MultigridOptions.Threads"/> is not used.
/// Dispose to free the device memory.
/// </summary>
public sealed class IlgpuPoissonMultigrid2D : IDisposable
{
    readonly IDeviceMultigrid _engine;
    bool _disposed;

    /// <summary>Compiles the kernels and allocates the hierarchy on <paramref name="accelerator"/>.</summary>
    /// <param name="accelerator">The device; the caller keeps ownership of it.</param>
    /// <param name="grid">The fine grid.</param>
    /// <param name="options">Cycle, smoother and stopping options; defaults to V(2,1), rtol 1e-10.</param>
    /// <param name="precision">Element type on the device.</param>
    public IlgpuPoissonMultigrid2D(Accelerator accelerator, UniformGrid2D grid, MultigridOptions? options = null,
        GpuPrecision precision = GpuPrecision.Double)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        ArgumentNullException.ThrowIfNull(grid);
        var watch = Stopwatch.StartNew();
        Accelerator = accelerator;
        Grid = grid;
        Options = PoissonMultigrid2D.ResolveOptions(options);
        Precision = precision;
        _engine = precision switch
        {
            GpuPrecision.Double => new IlgpuMultigridEngine<double, DoubleArithmetic>(accelerator, grid, Options, 1e-12),
            GpuPrecision.Single => new IlgpuMultigridEngine<float, SingleArithmetic>(accelerator, grid, Options, 1e-6),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "unknown precision"),
        };
        accelerator.Synchronize();
        SetupSeconds = watch.Elapsed.TotalSeconds;
    }

    /// <summary>The accelerator the solver runs on.</summary>
    public Accelerator Accelerator { get; }
    /// <summary>The fine grid.</summary>
    public UniformGrid2D Grid { get; }
    /// <summary>The options every solve uses.</summary>
    public MultigridOptions Options { get; }
    /// <summary>The element type on the device.</summary>
    public GpuPrecision Precision { get; }
    /// <summary>Number of levels, finest included.</summary>
    public int LevelCount => _engine.LevelCount;
    /// <summary>How the coarsest level is solved.</summary>
    public GpuCoarseSolve CoarseSolve => _engine.CoarseSolve;
    /// <summary>Seconds spent compiling kernels and allocating and preparing the hierarchy.</summary>
    public double SetupSeconds { get; }

    /// <summary>
    /// Solves with repeated cycles from the initial guess in <paramref name="u"/> until the
    /// relative or absolute tolerance is met or <see cref="MultigridOptions.MaxCycles"/> cycles
    /// ran; <paramref name="u"/> receives the solution. Both arrays are [y, x] interior values.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The solver was disposed.</exception>
    public SolveResult Solve(double[,] f, double[,] u)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return PoissonSolve.Cycles(_engine, Options, f, u, SetupSeconds);
    }

    /// <summary>
    /// Full multigrid from a zero guess (one cycle per level after the cubic interpolation),
    /// then up to <paramref name="extraCycles"/> cycles at the finest level, stopping early if the
    /// tolerance is met; the FMG pass counts as one iteration, as in <see cref="PoissonMultigrid2D.SolveFmg"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The solver was disposed.</exception>
    public SolveResult SolveFmg(double[,] f, double[,] u, int extraCycles = 1)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(extraCycles);
        return PoissonSolve.Fmg(_engine, Options, f, u, extraCycles, SetupSeconds);
    }

    /// <summary>Frees the device buffers; calling it again does nothing.</summary>
    public void Dispose()
    {
        _disposed = true;
        _engine.Dispose();
    }
}
