namespace PdeOps.Solvers.Gpu;

/// <summary>The floating-point type a device solver stores and computes in.</summary>
public enum GpuPrecision
{
    /// <summary>64-bit: agrees with the CPU path to rounding (about 1e-14 relative).</summary>
    Double,
    /// <summary>
    /// 32-bit storage with the residual evaluated in double (mixed precision): half the memory
    /// traffic, solutions within a few single-precision roundings of the double ones. The residual
    /// of a float-stored solution cannot fall below about eps_float * |A| |u|, so small relative
    /// tolerances (such as the default 1e-10) end in the iteration limit: use FMG or a fixed count.
    /// </summary>
    Single,
}
