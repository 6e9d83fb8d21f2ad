using static TorchSharp.torch;

namespace PdeOps.Operators.Runtime;

/// <summary>
/// Facts about the loaded libtorch and its thread pool. Touching any member loads the native
/// libraries, so a failure here means TorchSharp's natives are missing or do not load.
/// </summary>
public static class TorchRuntime
{
    /// <summary>The libtorch version TorchSharp is bound to, e.g. "2.10.0".</summary>
    public static string LibTorchVersion =>
        Version.TryParse(__version__, out var v) && v.Build >= 0 ? v.ToString(3) : __version__;

    /// <summary>The TorchSharp managed assembly version.</summary>
    public static string TorchSharpVersion =>
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    /// <summary>Intra-op threads libtorch uses.</summary>
    public static int Threads => get_num_threads();

    /// <summary>Sets the number of intra-op threads libtorch uses.</summary>
    public static void SetThreads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "at least one thread is needed");
        set_num_threads(threads);
    }
}
