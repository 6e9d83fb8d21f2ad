using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ILGPU;
using ILGPU.Runtime;
using PdeOps.Physics.Grids;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Gpu;

/// <summary>The precision-independent face of <see cref="IlgpuMultigridEngine{T, TA}"/>.</summary>
internal interface IDeviceMultigrid : IPoissonHierarchy, IDisposable
{
    GpuCoarseSolve CoarseSolve { get; }
}

/// <summary>
/// The levels of <see cref="PoissonMultigrid2D"/> in device memory, as an <see cref="IPoissonHierarchy"/>
/// driven from the host by <see cref="MultigridCycle"/>: every grid operation runs on the device
/// with the same smoothers and transfers as the CPU levels, so results agree with the CPU path to rounding.
/// </summary>
internal sealed class IlgpuMultigridEngine<T, TA> : IDeviceMultigrid
    where T : unmanaged
    where TA : struct, IGridArithmetic<T>
{
    /// <summary>Largest factorisation cost (N * Nx^2) for the host Cholesky coarse solve, as on the CPU path.</summary>
    const double MaxDirectCost = FivePointHierarchy.MaxDirectCost;

    readonly Accelerator _accelerator;
    readonly MultigridOptions _options;
    readonly IlgpuMultigridKernels<T, TA> _kernels;
    readonly DeviceGridLevel<T>[] _levels;
    readonly MemoryBuffer1D<T, Stride1D.Dense>? _fmgRows;
    // One double per interior point of the finest level: squared values for norms, and the
    // caller's fields in transit (copied whole, then laid out by Pad and Unpad on the device).
    readonly MemoryBuffer1D<double, Stride1D.Dense> _interior;
    readonly MemoryBuffer1D<double, Stride1D.Dense> _sum;
    readonly double[] _sumHost = new double[1];
    readonly GridLevel? _hostCoarsest;
    readonly BandedCholesky? _cholesky;
    readonly T[]? _coarseStaging;
    readonly double _relaxTolerance;
    bool _disposed;

    public IlgpuMultigridEngine(Accelerator accelerator, UniformGrid2D grid, MultigridOptions options, double relaxTolerance)
    {
        _accelerator = accelerator;
        _options = options;
        _relaxTolerance = relaxTolerance;
        _kernels = new IlgpuMultigridKernels<T, TA>(accelerator);
        var hierarchy = Hierarchy(grid);
        var levels = new List<DeviceGridLevel<T>>();
        try
        {
            foreach (var (stencil, _, _) in hierarchy) levels.Add(new DeviceGridLevel<T>(accelerator, stencil));
            _levels = levels.ToArray();
            var finest = _levels[0];
            if (_levels.Length > 1) _fmgRows = accelerator.Allocate1D<T>((long)(_levels[1].Ny + 2) * finest.Stride);
            _interior = accelerator.Allocate1D<double>((long)finest.Nx * finest.Ny);
            _sum = accelerator.Allocate1D<double>(1);
            var coarsest = _levels[^1];
            if (coarsest.Nx * coarsest.Ny == 1) CoarseSolve = GpuCoarseSolve.SingleUnknownSweep;
            else
            {
                var host = new GridLevel(coarsest.Nx, coarsest.Ny, hierarchy[^1].Hx, hierarchy[^1].Hy);
                if (BandedCholesky.FactorCost(host) <= MaxDirectCost)
                {
                    CoarseSolve = GpuCoarseSolve.HostBandedCholesky;
                    _hostCoarsest = host;
                    _cholesky = new BandedCholesky(host);
                    _coarseStaging = new T[host.U.Length];
                }
                else CoarseSolve = GpuCoarseSolve.DeviceRelaxation;
            }
        }
        catch
        {
            foreach (var l in levels) l.Dispose();
            _fmgRows?.Dispose();
            _interior?.Dispose();
            _sum?.Dispose();
            throw;
        }
    }

    public int LevelCount => _levels.Length;
    public GpuCoarseSolve CoarseSolve { get; }

    DeviceGridLevel<T> Finest => _levels[0];
    DeviceGridLevel<T> Coarsest => _levels[^1];

    // The levels of PoissonMultigrid2D: halve while both sizes are odd and at least 3.
    static List<(DeviceStencil<T> Stencil, double Hx, double Hy)> Hierarchy(UniformGrid2D grid)
    {
        var list = new List<(DeviceStencil<T>, double, double)>();
        int nx = grid.Nx, ny = grid.Ny;
        double hx = grid.Hx, hy = grid.Hy;
        TA a = default;
        while (true)
        {
            double ax = 1.0 / (hx * hx), ay = 1.0 / (hy * hy), diag = 2 * ax + 2 * ay;
            list.Add((new DeviceStencil<T>(nx, ny, nx + 2, a.FromDouble(ax), a.FromDouble(ay), a.FromDouble(diag),
                a.FromDouble(1.0 / diag), a.FromDouble(FivePointKernels.JacobiWeight / diag)), hx, hy));
            if (!(nx >= 3 && ny >= 3 && nx % 2 == 1 && ny % 2 == 1)) break;
            nx = (nx - 1) / 2; ny = (ny - 1) / 2; hx *= 2; hy *= 2;
        }
        return list;
    }

    public void Load(double[,] f, double[,]? u)
    {
        Upload(f, Finest.F);
        if (u is not null) Upload(u, Finest.U);
    }

    public double RightHandSideNorm()
    {
        _kernels.SumOfSquares(Finest.Stencil, Finest.F.View, _interior.View, _sum.View);
        return Math.Sqrt(ReadSum());
    }

    public double ResidualNorm() => ResidualNorm(Finest);

    public void Store(double[,] u) => Download(Finest.U, u);

    public void PreSmoothAndRestrict(int l)
    {
        var level = _levels[l];
        var coarse = _levels[l + 1];
        Smooth(level, _options.Smoother, _options.PreSmoothing);
        _kernels.Residual(level.Stencil, level.U.View, level.F.View, level.R.View);
        _kernels.FullWeighting(level.Stencil, level.R.View, coarse.Stencil, coarse.F.View);
        coarse.U.MemSetToZero();
    }

    public void ProlongAndPostSmooth(int l)
    {
        var level = _levels[l];
        _kernels.ProlongAndCorrect(_levels[l + 1].Stencil, _levels[l + 1].U.View, level.Stencil, level.U.View);
        Smooth(level, _options.Smoother, _options.Post);
    }

    public void RestrictRightHandSide(int l) =>
        _kernels.FullWeighting(_levels[l].Stencil, _levels[l].F.View, _levels[l + 1].Stencil, _levels[l + 1].F.View);

    public void InterpolateSolution(int l) =>
        _kernels.FmgInterpolate(_levels[l + 1].Stencil, _levels[l + 1].U.View, _levels[l].Stencil, _levels[l].U.View, _fmgRows!.View);

    void Smooth(DeviceGridLevel<T> level, SmootherKind smoother, int sweeps)
    {
        for (int s = 0; s < sweeps; s++)
        {
            if (smoother == SmootherKind.GaussSeidel)
            {
                _kernels.GaussSeidelColor(level.Stencil, level.U.View, level.F.View, 0);
                _kernels.GaussSeidelColor(level.Stencil, level.U.View, level.F.View, 1);
            }
            else
            {
                _kernels.Residual(level.Stencil, level.U.View, level.F.View, level.R.View);
                _kernels.JacobiUpdate(level.Stencil, level.U.View, level.R.View);
            }
        }
    }

    public void SolveCoarsest()
    {
        var level = Coarsest;
        switch (CoarseSolve)
        {
            case GpuCoarseSolve.SingleUnknownSweep:
                // One unknown with zero neighbours: one Gauss-Seidel sweep is the exact solve.
                Smooth(level, SmootherKind.GaussSeidel, 1);
                return;
            case GpuCoarseSolve.HostBandedCholesky:
                {
                    var host = _hostCoarsest!;
                    var staging = _coarseStaging!;
                    TA a = default;
                    level.F.CopyToCPU(staging);
                    _accelerator.Synchronize();
                    for (int k = 0; k < staging.Length; k++) host.F[k] = a.ToDouble(staging[k]);
                    _cholesky!.Solve(host);
                    for (int k = 0; k < staging.Length; k++) staging[k] = a.FromDouble(host.U[k]);
                    level.U.CopyFromCPU(staging);
                    return;
                }
            default:
                {
                    // Too large to factor: relax until the residual has dropped by the tolerance (or 10^5 sweeps).
                    level.U.MemSetToZero();
                    _kernels.SumOfSquares(level.Stencil, level.F.View, _interior.View, _sum.View);
                    double r0 = Math.Sqrt(ReadSum());
                    for (int s = 0; s < 10_000; s++)
                    {
                        Smooth(level, SmootherKind.GaussSeidel, 10);
                        if (ResidualNorm(level) <= _relaxTolerance * r0) break;
                    }
                    return;
                }
        }
    }

    double ResidualNorm(DeviceGridLevel<T> level)
    {
        _kernels.ResidualSumOfSquares(level.Stencil, level.U.View, level.F.View, level.R.View, _interior.View, _sum.View);
        return Math.Sqrt(ReadSum());
    }

    double ReadSum()
    {
        _sum.CopyToCPU(_sumHost);
        _accelerator.Synchronize();
        return _sumHost[0];
    }

    public void CheckShape(double[,] field)
    {
        if (field.GetLength(0) != Finest.Ny || field.GetLength(1) != Finest.Nx)
            throw new ArgumentException($"expected a {Finest.Ny} x {Finest.Nx} field, got {field.GetLength(0)} x {field.GetLength(1)}");
    }

    void Upload(double[,] field, MemoryBuffer1D<T, Stride1D.Dense> buffer)
    {
        CheckShape(field);
        _interior.View.CopyFromCPU(ref First(field), field.LongLength);
        _kernels.Pad(Finest.Stencil, _interior.View, buffer.View);
    }

    void Download(MemoryBuffer1D<T, Stride1D.Dense> buffer, double[,] field)
    {
        _kernels.Unpad(Finest.Stencil, buffer.View, _interior.View);
        _interior.View.CopyToCPU(ref First(field), field.LongLength);
        _accelerator.Synchronize();
    }

    // The first element of a [y, x] array, whose elements are contiguous in row-major order.
    static ref double First(double[,] field) => ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(field));

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var level in _levels) level.Dispose();
        _fmgRows?.Dispose();
        _interior.Dispose();
        _sum.Dispose();
    }
}
