using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PdeOps.Operators.Runtime;

/// <summary>
/// Keeps libtorch's oneDNN convolutions on kernels that compute correct gradients. On x64 Linux
/// hosts oneDNN's AVX2 and AVX-512 convolution kernels returned wrong or non-finite input gradients
/// for most small convolutions (1 to 16 channels, 3x3 and 5x5 kernels, 5 to 39 points per axis:
/// 250 of 300 random cases on a 2-core AMD EPYC), so MgNO, the U-Net, the ResNet and local FNO
/// diverged; its AVX kernels (GEMM-based) agree with double precision on all of them.
/// <para>oneDNN reads its ISA limit (ONEDNN_MAX_CPU_ISA) from the native environment when it
/// creates its first primitive, so the limit is set with libc <c>setenv</c> when this assembly is
/// first used (.NET keeps its own copy of the environment on Unix, which native code never reads).
/// If libtorch is already in the process by then, oneDNN may have chosen its kernels already:
/// oneDNN is then turned off in libtorch (<c>at::globalContext().setUserEnabledMkldnn(false)</c>,
/// through its exported symbol, which TorchSharp does not expose), and convolutions run on ATen's
/// own, slower kernels. A limit the user set (ONEDNN_MAX_CPU_ISA or DNNL_MAX_CPU_ISA; ALL lifts it)
/// is left as it is.</para>
/// </summary>
internal static class OneDnnGuard
{
    /// <summary>The environment variables oneDNN reads, the current name first.</summary>
    internal static readonly string[] Variables = ["ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"];

    /// <summary>The ISA the convolutions are limited to.</summary>
    internal const string Limit = "AVX";

    const string LibraryFileName = "libtorch_cpu.so";
    const string GlobalContextSymbol = "_ZN2at13globalContextEv";
    const string SetMkldnnSymbol = "_ZN2at7Context20setUserEnabledMkldnnEb";
    const string GetMkldnnSymbol = "_ZNK2at7Context17userEnabledMkldnnEv";
    const string SetNnpackSymbol = "_ZN2at7Context20setUserEnabledNNPACKEb";

    static bool s_applied;

    /// <summary>The limit in effect for oneDNN: the user's, this process's, or null for none.</summary>
    public static string? IsaLimit => Variables.Select(Environment.GetEnvironmentVariable).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "oneDNN must see the limit before libtorch runs its first convolution, whichever PdeOps type the caller touches first.")]
    internal static void Apply()
    {
        if (s_applied || !OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
        s_applied = true;
        if (IsaLimit is not null) return;
        if (LoadedLibtorch() is { } libtorch)
        {
            TurnOff(libtorch);
            return;
        }
        foreach (var variable in Variables)
        {
            if (SetEnv(variable, Limit, overwrite: 0) != 0) return;
            Environment.SetEnvironmentVariable(variable, Limit);
        }
    }

    /// <summary>Whether libtorch's oneDNN kernels are on; libtorch must be loaded.</summary>
    public static bool IsEnabled() =>
        LoadedLibtorch() is not { } libtorch || Export<GetFlag>(libtorch, GetMkldnnSymbol)(Context(libtorch));

    static void TurnOff(IntPtr libtorch)
    {
        var context = Context(libtorch);
        Export<SetFlag>(libtorch, SetMkldnnSymbol)(context, false);
        // Without oneDNN libtorch tries NNPACK next, which warns on every thread of hosts it does not
        // support before it falls back to ATen's kernels.
        Export<SetFlag>(libtorch, SetNnpackSymbol)(context, false);
    }

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

    [DllImport("libc.so.6", EntryPoint = "setenv", SetLastError = true)]
    static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
