using System.Globalization;
using static TorchSharp.torch;

namespace PdeOps.Operators.Runtime;

/// <summary>A device was asked for that this build or machine cannot provide.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);

/// <summary>
/// The devices models and batches can live on: <c>cpu</c>, <c>cuda</c> (the first GPU) or
/// <c>cuda:N</c>. Which ones exist depends on the TorchSharp package PdeOps was built with, chosen
/// by the build property <c>TorchBackend</c>: <c>cpu</c> (TorchSharp-cpu, the default) or
/// <c>cuda</c> (<c>dotnet build -p:TorchBackend=cuda</c>, TorchSharp-cuda-linux), and on the GPUs
/// and driver of the machine.
/// </summary>
public static class TorchDevices
{
    /// <summary>The libtorch build this PdeOps was compiled against: "cpu" or "cuda".</summary>
    public static string Backend =>
#if PDEOPS_TORCH_CUDA
        "cuda";
#else
        "cpu";
#endif

    /// <summary>True when <paramref name="name"/> is spelled as a device: cpu, cuda or cuda:N.</summary>
    public static bool IsValidName(string name) => TryParse(name, out _, out _);

    /// <summary>The device named <paramref name="name"/>, checked to exist here.</summary>
    /// <exception cref="ArgumentException">The name is not cpu, cuda or cuda:N.</exception>
    /// <exception cref="DeviceUnavailableException">This build or machine has no such device; the message says what would provide it.</exception>
    public static Device Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!TryParse(name, out bool gpu, out int index))
            throw new ArgumentException($"device '{name}': expected cpu, cuda or cuda:N", nameof(name));
        if (!gpu) return CPU;
#if PDEOPS_TORCH_CUDA
        TorchNatives.EnsureLoaded();
        if (!cuda_is_available())
            throw new DeviceUnavailableException($"device {name}: no CUDA device is visible (no GPU, no driver, or CUDA_VISIBLE_DEVICES hides them); use --device cpu");
        int count = cuda.device_count();
        if (index >= count) throw new DeviceUnavailableException($"device {name}: this machine shows {count} CUDA device{(count == 1 ? "" : "s")} (cuda:0 to cuda:{count - 1})");
        return new Device(TorchSharp.DeviceType.CUDA, index);
#else
        throw new DeviceUnavailableException($"device {name}: this PdeOps is built on TorchSharp's CPU package; build it with -p:TorchBackend=cuda (TorchSharp-cuda-linux) on a machine with CUDA, or use --device cpu");
#endif
    }

    static bool TryParse(string name, out bool gpu, out int index)
    {
        gpu = false;
        index = 0;
        string text = name.Trim().ToLowerInvariant();
        if (text == "cpu") return true;
        if (text == "cuda") return gpu = true;
        if (!text.StartsWith("cuda:", StringComparison.Ordinal)) return false;
        gpu = true;
        return int.TryParse(text["cuda:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }
}
