using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PdeOps.Physics.Symbolic;

/// <summary>
/// Elementwise double-precision sin, cos, exp, tanh, the logistic function and ln over spans, four
/// lanes at a time. Each kernel reduces the argument (by multiples of π/2 or ln 2, with fused
/// multiply-adds so the reduced argument is exact to an ulp) and sums the Taylor series of the
/// reduced argument far enough that the truncation is below 1e-17 (ln: by powers of 2 and the
/// series of atanh); results agree with <see cref="Math"/> to 5 ulp. Lanes the reduction does not
/// cover (|x| above <see cref="TrigReach"/>, exponents that overflow or underflow, NaN) and the
/// tail of a span that does not fill a vector go through <see cref="Math"/>. On an AVX2 machine
/// four lanes at once beat Math's scalar kernels several times over, which is what makes
/// evaluating manufactured solutions on 224² grids cheap; without 256-bit vectors every value
/// goes through <see cref="Math"/>.
/// </summary>
static class VectorMath
{
    /// <summary>|x| up to which the two-part reduction by π/2 keeps sin and cos within a few ulp.</summary>
    public const double TrigReach = 1e5;
    const double TwoOverPi = 2 / Math.PI;
    // π/2 as a double-double: Math.PI / 2 and the remainder π/2 − Math.PI / 2.
    const double HalfPiHigh = Math.PI / 2;
    const double HalfPiLow = 6.123233995736766e-17;
    const double Ln2High = 0.6931471805599453;
    const double Ln2Low = 2.3190468138462996e-17;
    // Adding 1.5 · 2^52 to an integral double leaves the integer in the low mantissa bits.
    const double IntegerShift = 6755399441055744.0;
    // exp's kernel builds 2^k from the exponent bits: normal results only.
    const double ExpLow = -708, ExpHigh = 709;
    const double SmallestNormal = 2.2250738585072014E-308;

    /// <summary>to[i] = sin(a[i]).</summary>
    public static void Sin(ReadOnlySpan<double> a, Span<double> to) => Map<SinKernel>(a, to);

    /// <summary>to[i] = cos(a[i]).</summary>
    public static void Cos(ReadOnlySpan<double> a, Span<double> to) => Map<CosKernel>(a, to);

    /// <summary>to[i] = e^a[i].</summary>
    public static void Exp(ReadOnlySpan<double> a, Span<double> to) => Map<ExpKernel>(a, to);

    /// <summary>to[i] = tanh(a[i]).</summary>
    public static void Tanh(ReadOnlySpan<double> a, Span<double> to) => Map<TanhKernel>(a, to);

    /// <summary>to[i] = 1 / (1 + e^−a[i]).</summary>
    public static void Sigmoid(ReadOnlySpan<double> a, Span<double> to) => Map<SigmoidKernel>(a, to);

    /// <summary>to[i] = ln a[i].</summary>
    public static void Log(ReadOnlySpan<double> a, Span<double> to) => Map<LogKernel>(a, to);

    /// <summary>
    /// to[i] = sign(f) ln(1 + |f|) of f = a[i], rounded to single precision (a network input's
    /// compression of a source of any size), and 0 where a[i] is not finite. Small |f| keep their
    /// digits: a source of 1e-20 is read as 1e-20, not as 1 + 1e-20 = 1.
    /// </summary>
    public static void SignedLogOnePlusToSingle(ReadOnlySpan<double> a, Span<double> to) => Map<SignedLogOnePlusToSingleKernel>(a, to);

    /// <summary>A function in its four-lane form, the lanes that form covers, and its scalar form.</summary>
    interface IKernel
    {
        static abstract bool Covers(Vector256<double> x);
        static abstract Vector256<double> Apply(Vector256<double> x);
        static abstract double Scalar(double x);
    }

    // Compiled optimised from the first call: the unoptimised first tier runs vector code many
    // times slower than Math's scalar kernels.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Map<TKernel>(ReadOnlySpan<double> a, Span<double> to) where TKernel : IKernel
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var from = ref MemoryMarshal.GetReference(a);
            ref var into = ref MemoryMarshal.GetReference(to);
            for (; i <= a.Length - 4; i += 4)
            {
                var x = Vector256.LoadUnsafe(ref from, (nuint)i);
                if (TKernel.Covers(x)) TKernel.Apply(x).StoreUnsafe(ref into, (nuint)i);
                else for (var k = i; k < i + 4; k++) to[k] = TKernel.Scalar(a[k]);
            }
        }
        for (; i < a.Length; i++) to[i] = TKernel.Scalar(a[i]);
    }

    readonly struct SinKernel : IKernel
    {
        // |x| < TrigReach is also false for NaN and ±∞.
        public static bool Covers(Vector256<double> x) => Vector256.LessThanAll(Vector256.Abs(x), Vector256.Create(TrigReach));
        public static Vector256<double> Apply(Vector256<double> x) => TrigKernel(x, cosine: false);
        public static double Scalar(double x) => Math.Sin(x);
    }

    readonly struct CosKernel : IKernel
    {
        public static bool Covers(Vector256<double> x) => SinKernel.Covers(x);
        public static Vector256<double> Apply(Vector256<double> x) => TrigKernel(x, cosine: true);
        public static double Scalar(double x) => Math.Cos(x);
    }

    readonly struct ExpKernel : IKernel
    {
        public static bool Covers(Vector256<double> x) =>
            Vector256.LessThanAll(x, Vector256.Create(ExpHigh)) && Vector256.GreaterThanAll(x, Vector256.Create(ExpLow));
        public static Vector256<double> Apply(Vector256<double> x) => ExpOfReduced(x);
        public static double Scalar(double x) => Math.Exp(x);
    }

    readonly struct TanhKernel : IKernel
    {
        // Every lane but NaN.
        public static bool Covers(Vector256<double> x) => Vector256.EqualsAll(x, x);

        // tanh|x| = e / (e + 2) with e = e^(2|x|) − 1, computed without cancellation; past 20 it is 1 to the last bit.
        public static Vector256<double> Apply(Vector256<double> x)
        {
            var e = ExpMinusOneKernel(Vector256.Min(Vector256.Abs(x) * 2, Vector256.Create(40.0)));
            return Vector256.CopySign(e / (e + Vector256.Create(2.0)), x);
        }

        public static double Scalar(double x) => Math.Tanh(x);
    }

    readonly struct SigmoidKernel : IKernel
    {
        public static bool Covers(Vector256<double> x) => Vector256.GreaterThanAll(-Vector256.Abs(x), Vector256.Create(ExpLow));

        // With e = e^−|x| ≤ 1 neither branch overflows: 1 / (1 + e) for x ≥ 0, e / (1 + e) below.
        public static Vector256<double> Apply(Vector256<double> x)
        {
            var e = ExpOfReduced(-Vector256.Abs(x));
            var negative = Vector256.LessThan(x, Vector256<double>.Zero);
            return Vector256.ConditionalSelect(negative, e, Vector256.Create(1.0)) / (Vector256.Create(1.0) + e);
        }

        public static double Scalar(double x) => MathFunctions.Sigmoid(x);
    }

    readonly struct SignedLogOnePlusToSingleKernel : IKernel
    {
        public static bool Covers(Vector256<double> x) => true;

        public static Vector256<double> Apply(Vector256<double> f)
        {
            // f − f is 0 exactly for finite f and NaN otherwise; 1 + |f| ≥ 1 is a normal number there.
            var finite = Vector256.Equals(f - f, Vector256<double>.Zero);
            var a = Vector256.Abs(f);
            var u = Vector256.ConditionalSelect(finite, Vector256.Create(1.0) + a, Vector256.Create(1.0));
            // u rounds 1 + |f|, and u − 1 is exact: ln(1 + |f|) = ln u · |f| / (u − 1) keeps the digits
            // of a small |f| that u lost, and is |f| itself where u = 1.
            var d = u - Vector256.Create(1.0);
            var log = Vector256.ConditionalSelect(Vector256.Equals(d, Vector256<double>.Zero), a, LogOfNormal(u) * (a / d));
            // sign(0) = 0 and ln 1 = 0: zero, never −0.
            var signed = Vector256.ConditionalSelect(Vector256.Equals(f, Vector256<double>.Zero), Vector256<double>.Zero, Vector256.CopySign(log, f));
            return finite & Vector256.Widen(Vector256.Narrow(signed, signed)).Lower;
        }

        public static double Scalar(double f)
        {
            if (!double.IsFinite(f)) return 0;
            double a = Math.Abs(f), u = 1 + a, d = u - 1;
            return (float)(Math.Sign(f) * (d == 0 ? a : Math.Log(u) * (a / d)));
        }
    }

    readonly struct LogKernel : IKernel
    {
        // Positive normal numbers only: zero, subnormals, negatives, ∞ and NaN take Math's path.
        public static bool Covers(Vector256<double> x) =>
            Vector256.GreaterThanOrEqualAll(x, Vector256.Create(SmallestNormal)) && Vector256.LessThanAll(x, Vector256.Create(double.PositiveInfinity));
        public static Vector256<double> Apply(Vector256<double> x) => LogOfNormal(x);
        public static double Scalar(double x) => Math.Log(x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> TrigKernel(Vector256<double> x, bool cosine)
    {
        // x = q π/2 + r with |r| ≤ π/4; sin x is ±sin r or ±cos r by the quadrant q mod 4.
        var q = Vector256.Round(x * Vector256.Create(TwoOverPi));
        var r = Vector256.FusedMultiplyAdd(-q, Vector256.Create(HalfPiHigh), x);
        r = Vector256.FusedMultiplyAdd(-q, Vector256.Create(HalfPiLow), r);
        var r2 = r * r;
        // Taylor series to r^17 and r^16: the first omitted terms are below 1e-19 for |r| ≤ π/4.
        var sin = r + r * r2 * Polynomial(r2, -1.0 / 6, 1.0 / 120, -1.0 / 5040, 1.0 / 362880, -1.0 / 39916800, 1.0 / 6227020800,
            -1.0 / 1307674368000, 1.0 / 355687428096000);
        var cos = Vector256.Create(1.0) + r2 * Polynomial(r2, -1.0 / 2, 1.0 / 24, -1.0 / 720, 1.0 / 40320, -1.0 / 3628800,
            1.0 / 479001600, -1.0 / 87178291200, 1.0 / 20922789888000);
        var quadrant = (q + Vector256.Create(IntegerShift)).AsInt64();
        var odd = Vector256.Equals(quadrant & Vector256<long>.One, Vector256<long>.One).AsDouble();
        var second = Vector256.Equals(quadrant & Vector256.Create(2L), Vector256.Create(2L)).AsDouble();
        // sin: quadrants 1, 3 take cos r, quadrants 2, 3 are negated; cos: quadrants 1, 3 take sin r, quadrants 1, 2 are negated.
        var value = cosine ? Vector256.ConditionalSelect(odd, sin, cos) : Vector256.ConditionalSelect(odd, cos, sin);
        var negate = cosine ? Vector256.Xor(odd, second) : second;
        return Vector256.Xor(value, negate & Vector256.Create(-0.0));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> ExpOfReduced(Vector256<double> x)
    {
        var (k, expm1) = ExpReduced(x);
        return TwoTo(k) * (expm1 + Vector256.Create(1.0));
    }

    // e^x − 1 for 0 ≤ x ≤ 40: 2^k (e^r − 1) + (2^k − 1), where 2^k − 1 is exact for k ≤ 52.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> ExpMinusOneKernel(Vector256<double> x)
    {
        var (k, expm1) = ExpReduced(x);
        var power = TwoTo(k);
        return Vector256.FusedMultiplyAdd(power, expm1, power - Vector256.Create(1.0));
    }

    // x = k ln 2 + r with |r| ≤ ln 2 / 2; returns k and e^r − 1 (Taylor to r^13, truncation below 5e-18).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (Vector256<double> K, Vector256<double> ExpMinusOne) ExpReduced(Vector256<double> x)
    {
        var k = Vector256.Round(x * Vector256.Create(1 / Math.Log(2)));
        var r = Vector256.FusedMultiplyAdd(-k, Vector256.Create(Ln2High), x);
        r = Vector256.FusedMultiplyAdd(-k, Vector256.Create(Ln2Low), r);
        var tail = Polynomial(r, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040, 1.0 / 40320, 1.0 / 362880,
            1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800);
        return (k, Vector256.FusedMultiplyAdd(r * r, tail, r));
    }

    // x = 2^e m with m in [√½, √2); ln m = 2 atanh s with s = (m − 1)/(m + 1), |s| ≤ 0.172: the odd
    // series of atanh to s^21 (truncation below 1e-19); then e ln 2 + ln m with one rounding.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> LogOfNormal(Vector256<double> x)
    {
        var bits = x.AsInt64();
        var exponent = (bits >>> 52) - Vector256.Create(1023L);
        var m = ((bits & Vector256.Create(0x000F_FFFF_FFFF_FFFFL)) | Vector256.Create(0x3FF0_0000_0000_0000L)).AsDouble();
        var large = Vector256.GreaterThan(m, Vector256.Create(Math.Sqrt(2)));
        m = Vector256.ConditionalSelect(large, m * Vector256.Create(0.5), m);
        exponent -= large.AsInt64(); // a true lane is −1
        var e = (exponent + Vector256.Create(BitConverter.DoubleToInt64Bits(IntegerShift))).AsDouble() - Vector256.Create(IntegerShift);
        var one = Vector256.Create(1.0);
        var s = (m - one) / (m + one);
        var z = s * s;
        var twoS = s + s;
        var lnM = Vector256.FusedMultiplyAdd(twoS * z, Polynomial(z, 1.0 / 3, 1.0 / 5, 1.0 / 7, 1.0 / 9, 1.0 / 11, 1.0 / 13, 1.0 / 15, 1.0 / 17,
            1.0 / 19, 1.0 / 21), twoS);
        return Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2High), Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Low), lnM));
    }

    // 2^k for integral k in the normal range, from the exponent bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> TwoTo(Vector256<double> k) =>
        ((k + Vector256.Create(IntegerShift + 1023)).AsInt64() << 52).AsDouble();

    // c0 + c1 z + c2 z² + … by Horner's rule.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<double> Polynomial(Vector256<double> z, params ReadOnlySpan<double> c)
    {
        var sum = Vector256.Create(c[^1]);
        for (var j = c.Length - 2; j >= 0; j--) sum = Vector256.FusedMultiplyAdd(sum, z, Vector256.Create(c[j]));
        return sum;
    }
}
