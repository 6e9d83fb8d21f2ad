using ILGPU;
using ILGPU.Runtime;
using PdeOps.Solvers.Gpu;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Tests;

public class IlgpuKernelTests
{
    static GridLevel RandomLevel(int nx, int ny, int seed)
    {
        var level = new GridLevel(nx, ny, 1.0 / (nx + 1), 1.0 / (ny + 1));
        var rng = new Random(seed);
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++)
            {
                level.U[level.Index(i, j)] = rng.NextDouble();
                level.F[level.Index(i, j)] = rng.NextDouble() * 100;
            }
        return level;
    }

    static double RelativeDifference(double[] a, double[] b)
    {
        double num = 0, den = 0;
        for (int k = 0; k < a.Length; k++) { num += (a[k] - b[k]) * (a[k] - b[k]); den += a[k] * a[k]; }
        return Math.Sqrt(num / den);
    }

    [Fact]
    public void ResidualKernelOnCpuAcceleratorMatchesNativeSweep()
    {
        var level = RandomLevel(37, 21, 1);
        FivePointKernels.Residual(level, 2);
        using var context = IlgpuDevices.CreateContext();
        using var accelerator = IlgpuDevices.Create(context, IlgpuDeviceKind.Cpu);
        var kernels = new IlgpuFivePointKernels(accelerator);
        using var u = accelerator.Allocate1D(level.U);
        using var f = accelerator.Allocate1D(level.F);
        using var r = accelerator.Allocate1D<double>(level.R.Length);
        r.MemSetToZero();
        kernels.Residual(level.Nx, level.Ny, u.View, f.View, r.View, IlgpuFivePointKernels.StencilParameters.Of(level));
        accelerator.Synchronize();
        var gpu = r.GetAsArray1D();
        Assert.True(RelativeDifference(level.R, gpu) < 1e-10);
        Assert.Contains(level.R, v => v != 0);
    }

    [Fact]
    public void RedBlackSweepOnCpuAcceleratorMatchesNativeSweep()
    {
        var level = RandomLevel(33, 18, 2);
        using var context = IlgpuDevices.CreateContext();
        using var accelerator = IlgpuDevices.Create(context, IlgpuDeviceKind.Cpu);
        var kernels = new IlgpuFivePointKernels(accelerator);
        using var u = accelerator.Allocate1D(level.U);
        using var f = accelerator.Allocate1D(level.F);
        var p = IlgpuFivePointKernels.StencilParameters.Of(level);
        for (int sweep = 0; sweep < 3; sweep++)
        {
            FivePointKernels.GaussSeidelColor(level, 0, 1);
            FivePointKernels.GaussSeidelColor(level, 1, 1);
            kernels.GaussSeidelColor(level.Nx, level.Ny, u.View, f.View, p, 0);
            kernels.GaussSeidelColor(level.Nx, level.Ny, u.View, f.View, p, 1);
        }
        accelerator.Synchronize();
        Assert.True(RelativeDifference(level.U, u.GetAsArray1D()) < 1e-10);
    }

    [Fact]
    public void MissingCudaIsReportedWithAnActionableMessage()
    {
        using var context = IlgpuDevices.CreateContext();
        if (IlgpuDevices.HasCuda(context))
        {
            using var gpu = IlgpuDevices.Create(context, IlgpuDeviceKind.Cuda);
            Assert.Equal(AcceleratorType.Cuda, gpu.AcceleratorType);
            return;
        }
        var e = Assert.Throws<AcceleratorUnavailableException>(() => IlgpuDevices.Create(context, IlgpuDeviceKind.Cuda));
        Assert.Contains("--device", e.Message);
    }
}
