namespace PdeOps.Solvers.Gpu;

/// <summary>The floating-point type a device solver stores and computes in.</summary>
public enum GpuPrecision
{
    /// <summary>64-bit: agrees with the CPU path to rounding (about 1e-14 relative).</summary>
    Double,
    /// <summary>
    /// 32-bit: half the memory traffic; the algebraic error stagnates near single-precision
    /// rounding (about 1e-6 relative), so relative tolerances below that end in the iteration limit.
    /// </summary>
    Single,
}
