using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace PdeOps.Operators.Runtime;

/// <summary>
/// Keeps libtorch's oneDNN convolutions on their AVX2 kernels on hosts with AVX-512. On such a
/// host (a 2-core AMD EPYC with AVX-512) the AVX-512 weight-gradient kernels of small convolutions
/// returned non-finite gradients for finite inputs, so every convolutional model (MgNO, the U-Net
/// and ResNet, local FNO) diverged at its second step; the AVX2 kernels give finite, correct ones.
/// oneDNN reads its ISA limit from the process environment the first time it runs a primitive, so
/// the limit is set in the native environment when this assembly is first used. A limit the user
/// has set (ONEDNN_MAX_CPU_ISA or DNNL_MAX_CPU_ISA, e.g. ALL to lift it) is left as it is.
/// </summary>
internal static class OneDnnIsaLimit
{
    /// <summary>The environment variables oneDNN reads, the current name first.</summary>
    internal static readonly string[] Variables = ["ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"];

    /// <summary>The ISA the convolutions are limited to.</summary>
    internal const string Limit = "AVX2";

    /// <summary>True when this process set the limit (an x64 Linux host with AVX-512 and no limit of the user's).</summary>
    public static bool Applied { get; private set; }

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "oneDNN must see the limit before libtorch runs its first convolution, whichever PdeOps type the caller touches first.")]
    internal static void Apply()
    {
        if (Applied || !OperatingSystem.IsLinux() || !Avx512F.IsSupported) return;
        if (Variables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)))) return;
        // .NET keeps its own copy of the environment on Unix: native code sees only what setenv writes.
        foreach (var variable in Variables)
        {
            if (SetEnv(variable, Limit, overwrite: 0) != 0) return;
            Environment.SetEnvironmentVariable(variable, Limit);
        }
        Applied = true;
    }

    [DllImport("libc.so.6", EntryPoint = "setenv", SetLastError = true)]
    static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
