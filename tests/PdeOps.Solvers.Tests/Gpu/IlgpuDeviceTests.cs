using ILGPU.Runtime;
using PdeOps.Solvers.Gpu;

namespace PdeOps.Solvers.Tests.Gpu;

/// <summary>Device discovery; the kernels themselves are tested through <c>IlgpuPoissonMultigrid2D</c> (this folder).</summary>
public class IlgpuDeviceTests
{
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

    [Fact]
    public void ChoosingCudaFallsBackToTheNativeCpuWithAReasonWhenNoneIsPresent()
    {
        Assert.Equal(new DeviceChoice(null, null), IlgpuDevices.Choose(null));
        Assert.Equal(new DeviceChoice(IlgpuDeviceKind.Cpu, null), IlgpuDevices.Choose(IlgpuDeviceKind.Cpu));
        using var context = IlgpuDevices.CreateContext();
        var cuda = IlgpuDevices.Choose(IlgpuDeviceKind.Cuda);
        if (IlgpuDevices.HasCuda(context))
        {
            Assert.Equal(new DeviceChoice(IlgpuDeviceKind.Cuda, null), cuda);
            return;
        }
        Assert.Null(cuda.Kind);
        Assert.True(cuda.IsFallback);
        Assert.Contains("no CUDA device", cuda.FallbackReason);
    }
}
