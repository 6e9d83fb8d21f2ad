namespace PdeOps.Operators.Runtime;

/// <summary>
/// The process settings <c>pdeops</c> runs under, for programs that embed PdeOps.Operators:
/// glibc keeps libtorch's large blocks in its heap (<see cref="NativeHeap"/>) and libtorch's idle
/// OpenMP workers spin briefly (<see cref="OpenMpSpin"/>). Without them an FNO at 85^2 answered one
/// sample in about 20 ms instead of 9 on two cores (medians of 15 calls, warm). Settings the
/// environment already makes win. Both change the whole process, which is why a library does not
/// apply them on its own.
/// </summary>
public static class HostTuning
{
    /// <summary>
    /// Applies both settings once per process; call it first in <c>Main</c>, before any torch call
    /// (libgomp reads its setting when it loads) and before other threads start (glibc's setenv is
    /// not safe beside another thread's getenv). Says which of the two took effect.
    /// </summary>
    public static (bool NativeHeapKeepsLargeBlocks, bool OpenMpSpinBounded) Apply() => (NativeHeap.KeepLargeBlocks(), OpenMpSpin.Bound());
}
