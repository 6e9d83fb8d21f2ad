using System.Runtime.Intrinsics;

namespace PdeOps.Operators.Layers;

/// <summary>
/// GELU on eight floats at a time, for the fused inference kernels (<see cref="FusedPointwiseProjection"/>,
/// <see cref="FusedSkipActivation"/>): the exact erf form, with erf by Abramowitz and Stegun 7.1.26
/// (absolute error below 1.5e-7, the float's own resolution near 1).
/// </summary>
internal static class VectorGelu
{
    /// <summary>
    /// GELU(x) = x (1 + erf(x / sqrt 2)) / 2 lane by lane. With z = |x| / sqrt 2 and q = erfc(z) by
    /// Abramowitz and Stegun 7.1.26, GELU is x (1 - q / 2) for x &gt;= 0 and x q / 2 below.
    /// </summary>
    internal static Vector256<float> Apply(Vector256<float> x)
    {
        var z = Vector256.Abs(x) * Vector256.Create(0.70710678118654752f);
        var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(0.3275911f) * z);
        var poly = Vector256.Create(1.061405429f);
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(-1.453152027f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(1.421413741f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(-0.284496736f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(0.254829592f));
        var halfQ = Vector256.Create(0.5f) * poly * t * ExpOfNegative(z * z);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), x - x * halfQ, x * halfQ);
    }

    /// <summary>
    /// exp(-s) for s &gt;= 0 in float precision: s = (n - f) ln 2 with n whole and |f| &lt;= 1/2, exp(f ln 2) by its
    /// degree-6 Taylor polynomial (relative error below 1e-7) and 2^-n put into the exponent bits; 0 beyond s = 87.
    /// </summary>
    internal static Vector256<float> ExpOfNegative(Vector256<float> s)
    {
        var clamped = Vector256.Min(s, Vector256.Create(87f));
        var n = Vector256.Round(clamped * Vector256.Create(1.44269504088896341f)); // s / ln 2, rounded
        // f ln 2 = n ln 2 - s, with ln 2 split in a short head (exact products) and its remainder.
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(0.693359375f), -clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-2.12194440e-4f), r);
        var p = Vector256.Create(1f / 720);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 120));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 24));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1f / 6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<float>.One);
        // 2^-n: subtract n from the exponent field (n <= 126 here, so the result stays normal).
        var power = Vector256.ShiftLeft(Vector256.ConvertToInt32(n), 23);
        var result = (p.AsInt32() - power).AsSingle();
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(s, Vector256.Create(87f)), Vector256<float>.Zero, result);
    }
}
