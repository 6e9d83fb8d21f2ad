using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Inference-only evaluation of a pointwise two-layer projection, out = W2 GELU(W1 v + b1) + b2, on a
/// channels-last CPU field in one pass over the points. The hidden layer is the widest tensor of a
/// Fourier neural operator (128 channels at every point); evaluated by separate products it is written
/// to memory, read by GELU, written again and read by the second product, which costs more than the
/// arithmetic. Here each point's hidden units are computed 32 at a time in registers, passed through
/// GELU and folded into the output at once.
/// </summary>
/// <remarks>
/// GELU is the exact form x (1 + erf(x / sqrt 2)) / 2, with erf by Abramowitz and Stegun 7.1.26
/// (absolute error below 1.5e-7, the float's own resolution near 1). The sums run in another order
/// than libtorch's, so results agree with the unfused layers to float rounding, not to the bit.
/// </remarks>
internal static class FusedPointwiseProjection
{
    // Hidden units per register block (four 8-float vectors per point), and points per unit of parallel work.
    private const int Block = 32;
    private const int ChunkPoints = 1024;

    /// <summary>
    /// Whether the fused path applies: no gradient is being recorded, the field is float32 on the CPU,
    /// the hidden width is a multiple of 32, and the processor has 256-bit vectors and fused multiply-add.
    /// </summary>
    public static bool Supports(Tensor v, PointwiseLinear hidden, PointwiseLinear output) =>
        !is_grad_enabled() && v.device_type == TorchSharp.DeviceType.CPU && v.dtype == ScalarType.Float32
        && v.numel() * sizeof(float) <= int.MaxValue && hidden.OutChannels % Block == 0 && output.InChannels == hidden.OutChannels && Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>output(GELU(hidden(v))) for a channels-last field (..., in): (..., out).</summary>
    public static Tensor Apply(Tensor v, PointwiseLinear hidden, PointwiseLinear output)
    {
        int inChannels = hidden.InChannels, width = hidden.OutChannels, outChannels = output.OutChannels;
        if (v.shape[^1] != inChannels) throw new ArgumentException($"expected {inChannels} channels last, got ({string.Join(", ", v.shape)})", nameof(v));
        // W1 transposed to (in, width), so that a point's input channel scales one contiguous row of hidden weights.
        float[] w1 = hidden.Weight.detach().t().contiguous().data<float>().ToArray();
        float[] b1 = hidden.Bias?.detach().data<float>().ToArray() ?? new float[width];
        float[] w2 = output.Weight.detach().contiguous().data<float>().ToArray();
        float[] b2 = output.Bias?.detach().data<float>().ToArray() ?? new float[outChannels];
        using var source = v.contiguous();
        long points = source.numel() / inChannels;
        var result = new float[points * outChannels];
        int chunks = (int)((points + ChunkPoints - 1) / ChunkPoints);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, TorchRuntime.Threads) };
        Parallel.For(0, chunks, parallel, chunk =>
        {
            long first = (long)chunk * ChunkPoints;
            int count = (int)Math.Min(ChunkPoints, points - first);
            // The contiguous tensor's own memory, read in place (a span cannot be captured, so each chunk asks again).
            var inputs = MemoryMarshal.Cast<byte, float>(source.bytes).Slice((int)(first * inChannels), count * inChannels);
            Evaluate(inputs, count, inChannels, width, w1, b1, w2, b2, result.AsSpan((int)(first * outChannels), count * outChannels));
        });
        return tensor(result, [.. v.shape[..^1], outChannels]);
    }

    // The projection of count points (inputs point-major), written to y (point-major, out channels each).
    private static void Evaluate(ReadOnlySpan<float> inputs, int count, int inChannels, int width,
        float[] w1, float[] b1, float[] w2, float[] b2, Span<float> y)
    {
        int outChannels = b2.Length;
        for (int p = 0; p < count; p++) b2.CopyTo(y.Slice(p * outChannels, outChannels));
        ref float x = ref MemoryMarshal.GetReference(inputs);
        ref float bias = ref MemoryMarshal.GetArrayDataReference(b1);
        ref float weights = ref MemoryMarshal.GetArrayDataReference(w1);
        for (int k = 0; k < width; k += Block)
        {
            var bias0 = Vector256.LoadUnsafe(ref bias, (nuint)k);
            var bias1 = Vector256.LoadUnsafe(ref bias, (nuint)(k + 8));
            var bias2 = Vector256.LoadUnsafe(ref bias, (nuint)(k + 16));
            var bias3 = Vector256.LoadUnsafe(ref bias, (nuint)(k + 24));
            // Two points at a time (the second repeats the first at an odd end): eight independent sums
            // keep the multiply-add units busy, and each load of the block's weights serves both points.
            for (int p = 0; p < count; p += 2)
            {
                int q = Math.Min(p + 1, count - 1);
                ref float xp = ref Unsafe.Add(ref x, p * inChannels);
                ref float xq = ref Unsafe.Add(ref x, q * inChannels);
                Vector256<float> a0 = bias0, a1 = bias1, a2 = bias2, a3 = bias3;
                Vector256<float> c0 = bias0, c1 = bias1, c2 = bias2, c3 = bias3;
                for (int c = 0; c < inChannels; c++)
                {
                    nuint row = (nuint)(c * width + k);
                    var w0 = Vector256.LoadUnsafe(ref weights, row);
                    var wA = Vector256.LoadUnsafe(ref weights, row + 8);
                    var wB = Vector256.LoadUnsafe(ref weights, row + 16);
                    var wC = Vector256.LoadUnsafe(ref weights, row + 24);
                    var s = Vector256.Create(Unsafe.Add(ref xp, c));
                    var t = Vector256.Create(Unsafe.Add(ref xq, c));
                    a0 = Vector256.FusedMultiplyAdd(s, w0, a0);
                    a1 = Vector256.FusedMultiplyAdd(s, wA, a1);
                    a2 = Vector256.FusedMultiplyAdd(s, wB, a2);
                    a3 = Vector256.FusedMultiplyAdd(s, wC, a3);
                    c0 = Vector256.FusedMultiplyAdd(t, w0, c0);
                    c1 = Vector256.FusedMultiplyAdd(t, wA, c1);
                    c2 = Vector256.FusedMultiplyAdd(t, wB, c2);
                    c3 = Vector256.FusedMultiplyAdd(t, wC, c3);
                }
                Fold(Gelu(a0), Gelu(a1), Gelu(a2), Gelu(a3), w2, width, k, y.Slice(p * outChannels, outChannels));
                if (q > p) Fold(Gelu(c0), Gelu(c1), Gelu(c2), Gelu(c3), w2, width, k, y.Slice(q * outChannels, outChannels));
            }
        }
    }

    // Adds the block's contribution W2[o, k .. k + 31] . g to each output channel o of one point.
    private static void Fold(Vector256<float> g0, Vector256<float> g1, Vector256<float> g2, Vector256<float> g3, float[] w2, int width, int k, Span<float> y)
    {
        ref float weights = ref MemoryMarshal.GetArrayDataReference(w2);
        for (int o = 0; o < y.Length; o++)
        {
            nuint row = (nuint)(o * width + k);
            var sum = Vector256.FusedMultiplyAdd(g0, Vector256.LoadUnsafe(ref weights, row), g1 * Vector256.LoadUnsafe(ref weights, row + 8));
            sum = Vector256.FusedMultiplyAdd(g2, Vector256.LoadUnsafe(ref weights, row + 16), sum);
            sum = Vector256.FusedMultiplyAdd(g3, Vector256.LoadUnsafe(ref weights, row + 24), sum);
            y[o] += Vector256.Sum(sum);
        }
    }

    /// <summary>
    /// GELU(x) = x (1 + erf(x / sqrt 2)) / 2 lane by lane. With z = |x| / sqrt 2 and q = erfc(z) by
    /// Abramowitz and Stegun 7.1.26, GELU is x (1 - q / 2) for x &gt;= 0 and x q / 2 below.
    /// </summary>
    internal static Vector256<float> Gelu(Vector256<float> x)
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
