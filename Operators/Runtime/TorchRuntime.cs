using TorchSharp;
using static TorchSharp.torch;

namespace PdeOps.Operators.Runtime;

/// <summary>
/// Facts about the loaded libtorch and its thread pool. Touching any member loads the native
/// libraries, so a failure here means TorchSharp's natives are missing or do not load.
/// </summary>
public static class TorchRuntime
{
    /// <summary>
    /// Loads libtorch and TorchSharp's natives now. On Linux hosts whose libstdc++ lacks
    /// GLIBCXX_3.4.32 (older than GCC 13's, e.g. Debian 12) TorchSharp's shim loads from a copy that
    /// works without it, kept in $XDG_CACHE_HOME (else ~/.cache) /pdeops/torchsharp/VERSION/. PdeOps
    /// arranges this by itself once any of its types has been used, so call this only when your code
    /// uses TorchSharp directly before touching PdeOps, or to fail early.
    /// </summary>
    /// <exception cref="DllNotFoundException">The copy could not be written or loaded; the message names the library, the version and the folder.</exception>
    public static void Initialize()
    {
        TorchNatives.EnsureLoaded();
        InitializeDeviceType(DeviceType.CPU);
        OneDnnGuard.ApplyIfLoaded();   // done already at TorchSharp's first import, unless another resolver took it
    }

    /// <summary>The libtorch version TorchSharp is bound to, e.g. "2.10.0".</summary>
    public static string LibTorchVersion =>
        Version.TryParse(__version__, out var v) && v.Build >= 0 ? v.ToString(3) : __version__;

    /// <summary>The TorchSharp managed assembly version.</summary>
    public static string TorchSharpVersion =>
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>
    /// Whether libtorch's oneDNN (MKLDNN) kernels are on. PdeOps turns them off on x64 Linux, where
    /// oneDNN's float32 convolutions gave wrong outputs and gradients for small shapes, so that
    /// convolutions run on ATen's own kernels; PDEOPS_ONEDNN=1 in the environment leaves them on.
    /// </summary>
    public static bool OneDnnEnabled
    {
        get
        {
            Initialize();
            return OneDnnGuard.IsEnabled();
        }
    }

    /// <summary>Intra-op threads libtorch uses.</summary>
    public static int Threads => get_num_threads();

    /// <summary>Sets the number of intra-op threads libtorch uses.</summary>
    public static void SetThreads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least one thread is needed");
        set_num_threads(threads);
    }
}
