using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace PdeOps.Solvers.Gpu;

/// <summary>Which ILGPU accelerator a solver runs on.</summary>
public enum IlgpuDeviceKind
{
    /// <summary>ILGPU's CPU accelerator: runs the same kernels as the GPU, for tests and machines without one.</summary>
    Cpu,
    /// <summary>The first CUDA device.</summary>
    Cuda,
}

/// <summary>Thrown when a requested accelerator is not present, with a message saying what was found.</summary>
public sealed class AcceleratorUnavailableException(string message) : Exception(message);

/// <summary>
/// Creates ILGPU contexts and accelerators. The context probes every backend ILGPU supports;
/// CUDA appears only where an NVIDIA driver is installed (ILGPU emits PTX, so no toolkit is needed).
/// </summary>
public static class IlgpuDevices
{
    /// <summary>A context with every available backend and ILGPU.Algorithms enabled.</summary>
    public static Context CreateContext() =>
        Context.Create(builder => builder.Default().EnableAlgorithms().Math(MathMode.Default));

    /// <summary>Name and kind of every accelerator the context found.</summary>
    public static IReadOnlyList<(string Type, string Name)> Describe(Context context) =>
        context.Devices.Select(d => (d.AcceleratorType.ToString(), d.Name)).ToList();

    /// <summary>True when at least one CUDA device is present.</summary>
    public static bool HasCuda(Context context) => context.GetCudaDevices().Count > 0;

    /// <summary>Creates the accelerator of the given kind.</summary>
    /// <exception cref="AcceleratorUnavailableException">No such device exists here.</exception>
    public static Accelerator Create(Context context, IlgpuDeviceKind kind)
    {
        if (kind == IlgpuDeviceKind.Cpu) return context.GetCPUDevice(0).CreateAccelerator(context);
        var cuda = context.GetCudaDevices();
        if (cuda.Count == 0)
            throw new AcceleratorUnavailableException(
                "no CUDA device found (no NVIDIA GPU or driver on this machine); use --device cpu or --device ilgpu-cpu");
        return cuda[0].CreateAccelerator(context);
    }
}
