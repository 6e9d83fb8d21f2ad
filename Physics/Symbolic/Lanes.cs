using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PdeOps.Physics.Symbolic;

/// <summary>
/// Elementwise arithmetic over spans, four doubles per instruction where the hardware has
/// 256-bit vectors (the JIT does not vectorise plain loops). The operations round exactly as
/// their scalar forms do, so results do not depend on the vector width.
/// </summary>
static class Lanes
{
    /// <summary>An elementwise operation in its vector and scalar forms.</summary>
    public interface IOperation
    {
        /// <summary>Four lanes at once.</summary>
        static abstract Vector256<double> Apply(Vector256<double> a, Vector256<double> b);
        /// <summary>One value.</summary>
        static abstract double Apply(double a, double b);
    }

    /// <summary>to[i] = op(a[i], b[i]); unary operations ignore b.</summary>
    // Optimised from the first call: unoptimised vector code is many times slower than scalar code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TOperation>(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> to) where TOperation : IOperation
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            ref var rt = ref MemoryMarshal.GetReference(to);
            for (; i <= a.Length - 4; i += 4)
                TOperation.Apply(Vector256.LoadUnsafe(ref ra, (nuint)i), Vector256.LoadUnsafe(ref rb, (nuint)i)).StoreUnsafe(ref rt, (nuint)i);
        }
        for (; i < a.Length; i++) to[i] = TOperation.Apply(a[i], b[i]);
    }

    /// <summary>to[i] = op(a[i], b) with b the same for every i (no array of copies to read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TOperation>(ReadOnlySpan<double> a, double b, Span<double> to) where TOperation : IOperation
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vb = Vector256.Create(b);
            ref var ra = ref MemoryMarshal.GetReference(a);
            ref var rt = ref MemoryMarshal.GetReference(to);
            for (; i <= a.Length - 4; i += 4) TOperation.Apply(Vector256.LoadUnsafe(ref ra, (nuint)i), vb).StoreUnsafe(ref rt, (nuint)i);
        }
        for (; i < a.Length; i++) to[i] = TOperation.Apply(a[i], b);
    }

    /// <summary>to[i] = op(a, b[i]) with a the same for every i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply<TOperation>(double a, ReadOnlySpan<double> b, Span<double> to) where TOperation : IOperation
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            ref var rb = ref MemoryMarshal.GetReference(b);
            ref var rt = ref MemoryMarshal.GetReference(to);
            for (; i <= b.Length - 4; i += 4) TOperation.Apply(va, Vector256.LoadUnsafe(ref rb, (nuint)i)).StoreUnsafe(ref rt, (nuint)i);
        }
        for (; i < b.Length; i++) to[i] = TOperation.Apply(a, b[i]);
    }

    /// <summary>a + b.</summary>
    public readonly struct Add : IOperation
    {
        /// <inheritdoc />
        public static Vector256<double> Apply(Vector256<double> a, Vector256<double> b) => a + b;
        /// <inheritdoc />
        public static double Apply(double a, double b) => a + b;
    }

    /// <summary>a − b.</summary>
    public readonly struct Subtract : IOperation
    {
        /// <inheritdoc />
        public static Vector256<double> Apply(Vector256<double> a, Vector256<double> b) => a - b;
        /// <inheritdoc />
        public static double Apply(double a, double b) => a - b;
    }

    /// <summary>a · b.</summary>
    public readonly struct Multiply : IOperation
    {
        /// <inheritdoc />
        public static Vector256<double> Apply(Vector256<double> a, Vector256<double> b) => a * b;
        /// <inheritdoc />
        public static double Apply(double a, double b) => a * b;
    }

    /// <summary>a / b.</summary>
    public readonly struct Divide : IOperation
    {
        /// <inheritdoc />
        public static Vector256<double> Apply(Vector256<double> a, Vector256<double> b) => a / b;
        /// <inheritdoc />
        public static double Apply(double a, double b) => a / b;
    }

    /// <summary>−a.</summary>
    public readonly struct Negate : IOperation
    {
        /// <inheritdoc />
        public static Vector256<double> Apply(Vector256<double> a, Vector256<double> b) => -a;
        /// <inheritdoc />
        public static double Apply(double a, double b) => -a;
    }

    /// <summary>√a.</summary>
    public readonly struct Sqrt : IOperation
    {
        /// <inheritdoc />
        public static Vector256<double> Apply(Vector256<double> a, Vector256<double> b) => Vector256.Sqrt(a);
        /// <inheritdoc />
        public static double Apply(double a, double b) => Math.Sqrt(a);
    }
}
