using System.Runtime.InteropServices;

namespace PdeOps.Operators.Runtime;

/// <summary>
/// Turns libtorch's oneDNN (MKLDNN) kernels off on x64 Linux, so that convolutions run on ATen's
/// own im2col-and-GEMM kernels. On an x64 Linux host (a 2-core AMD EPYC with AVX-512) oneDNN's
/// float32 convolutions were wrong for most small shapes (1 to 16 channels, 3x3 to 15x15 kernels,
/// 5 to 39 points per axis) against the same convolution in float64: with its AVX2 and AVX-512
/// kernels the input gradients were off by tens of percent or non-finite in 255 of 300 random
/// cases, and limited to AVX the outputs were off in 89 of them. MgNO, the U-Net, the ResNet and
/// local FNO diverged. ATen's kernels agree with float64 in every case; an epoch of the converted
/// U-Net takes 2.1 times as long with them (bench/results/convolution-backend.json). MgNO's 32-channel
/// stride-1 convolutions run on <see cref="Layers.Convolution3x3"/> instead, whatever this switch says.
/// <para>The switch is libtorch's process-wide <c>at::globalContext().setUserEnabledMkldnn(false)</c>,
/// which TorchSharp does not expose, called through its exported symbol: right after libtorch loads
/// (<see cref="TorchNatives"/> hears of TorchSharp's first import) or, when the caller loaded
/// libtorch before using PdeOps, when this assembly is first used. PDEOPS_ONEDNN=1 in the
/// environment leaves oneDNN on.</para>
/// </summary>
internal static class OneDnnGuard
{
    /// <summary>The variable that, set to 1, leaves oneDNN on.</summary>
    internal const string KeepVariable = "PDEOPS_ONEDNN";

    const string LibraryFileName = "libtorch_cpu.so";
    const string GlobalContextSymbol = "_ZN2at13globalContextEv";
    const string SetMkldnnSymbol = "_ZN2at7Context20setUserEnabledMkldnnEb";
    const string GetMkldnnSymbol = "_ZNK2at7Context17userEnabledMkldnnEv";
    const string SetNnpackSymbol = "_ZN2at7Context20setUserEnabledNNPACKEb";

    static readonly object Gate = new();
    static volatile bool s_applied;

    /// <summary>True on hosts where PdeOps turns oneDNN off: x64 Linux, unless PDEOPS_ONEDNN=1.</summary>
    public static bool Wanted =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
        && Environment.GetEnvironmentVariable(KeepVariable) != "1";

    /// <summary>
    /// Turns oneDNN off once libtorch is in the process (where <see cref="Wanted"/>); before that it
    /// does nothing, and <see cref="TorchNatives"/> calls it again when libtorch loads.
    /// </summary>
    public static void ApplyIfLoaded()
    {
        if (s_applied || !Wanted) return;
        lock (Gate)
        {
            if (s_applied || LoadedLibtorch() is not { } libtorch) return;
            var context = Context(libtorch);
            Export<SetFlag>(libtorch, SetMkldnnSymbol)(context, false);
            // Without oneDNN libtorch tries NNPACK next, which warns on every thread of hosts it does
            // not support before it falls back to ATen's kernels.
            Export<SetFlag>(libtorch, SetNnpackSymbol)(context, false);
            s_applied = true;
        }
    }

    /// <summary>Whether libtorch's oneDNN kernels are on; libtorch must be loaded.</summary>
    public static bool IsEnabled() =>
        !OperatingSystem.IsLinux() || LoadedLibtorch() is not { } libtorch || Export<GetFlag>(libtorch, GetMkldnnSymbol)(Context(libtorch));

    /// <summary>
    /// The handle of the libtorch_cpu already mapped into this process, or null when libtorch is not
    /// loaded. The path comes from the process's memory map, so that the copy TorchSharp loaded is
    /// the one switched (loading by name could map a second copy).
    /// </summary>
    static IntPtr? LoadedLibtorch()
    {
        string? path;
        try
        {
            path = File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/') is var slash and >= 0 ? line[slash..] : null)
                .FirstOrDefault(p => p is not null && Path.GetFileName(p) == LibraryFileName);
        }
        catch (IOException)
        {
            return null;
        }
        return path is not null && NativeLibrary.TryLoad(path, out var handle) ? handle : null;
    }

    // at::Context's members take the context as their first (this) argument.
    delegate IntPtr GlobalContext();
    delegate void SetFlag(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
    [return: MarshalAs(UnmanagedType.U1)]
    delegate bool GetFlag(IntPtr context);

    static IntPtr Context(IntPtr libtorch) => Export<GlobalContext>(libtorch, GlobalContextSymbol)();

    static T Export<T>(IntPtr library, string symbol) where T : Delegate =>
        Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, symbol));
}
