using ILGPU;
using ILGPU.Runtime;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Gpu;

/// <summary>
/// One multigrid level in device memory: solution U, right-hand side F and residual R, each a
/// zeroed buffer of (Nx + 2) x (Ny + 2) values in the padded layout of <see cref="GridLevel"/>.
/// </summary>
internal sealed class DeviceGridLevel<T> : IDisposable
    where T : unmanaged
{
    public DeviceGridLevel(Accelerator accelerator, DeviceStencil<T> stencil)
    {
        Stencil = stencil;
        long size = (long)stencil.Stride * (stencil.Ny + 2);
        U = accelerator.Allocate1D<T>(size);
        F = accelerator.Allocate1D<T>(size);
        R = accelerator.Allocate1D<T>(size);
        U.MemSetToZero();
        F.MemSetToZero();
        R.MemSetToZero();
    }

    public DeviceStencil<T> Stencil { get; }
    public int Nx => Stencil.Nx;
    public int Ny => Stencil.Ny;
    public int Stride => Stencil.Stride;
    public MemoryBuffer1D<T, Stride1D.Dense> U { get; }
    public MemoryBuffer1D<T, Stride1D.Dense> F { get; }
    public MemoryBuffer1D<T, Stride1D.Dense> R { get; }

    public void Dispose()
    {
        U.Dispose();
        F.Dispose();
        R.Dispose();
    }
}
