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

/// <summary>
/// The device a solve runs on once what is present has been checked: an ILGPU accelerator, or
/// <see langword="null"/> for the native CPU code. <see cref="FallbackReason"/> says why a
/// requested CUDA device was replaced by the native CPU code, and is null when the request stands.
/// </summary>
/// <param name="Kind">The ILGPU accelerator to create, or null for the native CPU solver.</param>
/// <param name="FallbackReason">Why the request could not be met, e.g. "no CUDA device found (no NVIDIA GPU or driver)"; null when it was.</param>
public sealed record DeviceChoice(IlgpuDeviceKind? Kind, string? FallbackReason)
{
    /// <summary>Whether the requested device was replaced by the native CPU code.</summary>
    public bool IsFallback => FallbackReason is not null;
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

    /// <summary>
    /// The device to use for <paramref name="requested"/> (null: the native CPU code): CUDA when a
    /// CUDA device is present, otherwise the native CPU code with the reason; ILGPU's CPU
    /// accelerator and the native CPU code are always available.
    /// </summary>
    public static DeviceChoice Choose(IlgpuDeviceKind? requested)
    {
        if (requested != IlgpuDeviceKind.Cuda) return new DeviceChoice(requested, null);
        using var probe = CreateContext();
        return HasCuda(probe)
            ? new DeviceChoice(IlgpuDeviceKind.Cuda, null)
            : new DeviceChoice(null, "no CUDA device found (no NVIDIA GPU or driver)");
    }

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
