using System.Collections;
using System.Runtime.InteropServices;

namespace PdeOps.Operators.Runtime;

/// <summary>
/// Bounds how long libtorch's OpenMP workers spin once a parallel region ends. With OMP_WAIT_POLICY
/// unset, libgomp spins 300,000 times before it sleeps, milliseconds in which a worker holds a core
/// after every torch operation, the core pdeops' own threads need next: the checks of
/// <c>bench certify</c> that follow each inference pass took 0.19 to 0.23 s for 50 samples against
/// 0.16 to 0.18 s with 20,000 spins, and inference took as long either way (three runs each, two cores);
/// the FNO training step of <c>bench fno</c> took 0.18 to 0.19 s against 0.20 s (two runs each).
/// <c>pdeops</c> sets GOMP_SPINCOUNT to 20,000 before libgomp loads, enough to bridge the gap from one
/// operation to the next, unless the environment chooses (GOMP_SPINCOUNT or OMP_WAIT_POLICY).
/// Other programs apply it with <see cref="HostTuning.Apply"/>.
/// </summary>
public static class OpenMpSpin
{
    const string Variable = "GOMP_SPINCOUNT", Spins = "20000";

    static readonly Lazy<bool> Applied = new(() => Apply(Environment.GetEnvironmentVariables()));

    /// <summary>Applies the bound once per process; true when it was set.</summary>
    public static bool Bound() => Applied.Value;

    /// <summary>
    /// Sets GOMP_SPINCOUNT in the process environment libgomp reads when it loads, unless
    /// <paramref name="environment"/> chooses the wait policy itself or the host is not a glibc Linux;
    /// true when it was set. Without effect once libgomp has loaded.
    /// </summary>
    public static bool Apply(IDictionary environment)
    {
        if (!OperatingSystem.IsLinux() || Chosen(environment)) return false;
        try
        {
            return setenv(Variable, Spins, overwrite: 0) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;                                  // not glibc (musl has no libc.so.6)
        }
    }

    /// <summary>True when the environment sets OpenMP's wait policy itself.</summary>
    public static bool Chosen(IDictionary environment) => environment.Contains(Variable) || environment.Contains("OMP_WAIT_POLICY");

    // The C library's own environment: .NET keeps a managed copy that native code does not read.
    [DllImport("libc.so.6", ExactSpelling = true)]
    static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
