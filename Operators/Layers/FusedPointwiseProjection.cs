using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
/// GELU is <see cref="VectorGelu"/>. The sums run in another order than libtorch's, so results agree
/// with the unfused layers to float rounding, not to the bit.
/// </remarks>
internal static class FusedPointwiseProjection
{
    /// <summary>
    /// Whether the fused path applies: no gradient is being recorded, the field is float32 on the CPU,
    /// the hidden width is a multiple of 32, and the processor has 256-bit vectors and fused multiply-add.
    /// </summary>
    public static bool Supports(Tensor v, PointwiseLinear hidden, PointwiseLinear output) =>
        !is_grad_enabled() && v.device_type == TorchSharp.DeviceType.CPU && v.dtype == ScalarType.Float32
        && v.numel() * sizeof(float) <= int.MaxValue && hidden.OutChannels % PointBlocks.Width == 0 && output.InChannels == hidden.OutChannels && PointBlocks.Available;

    /// <summary>output(GELU(hidden(v))) for a channels-last field (..., in): (..., out).</summary>
    public static Tensor Apply(Tensor v, PointwiseLinear hidden, PointwiseLinear output)
    {
        int inChannels = hidden.InChannels, outChannels = output.OutChannels;
        if (v.shape[^1] != inChannels) throw new ArgumentException($"expected {inChannels} channels last, got ({string.Join(", ", v.shape)})", nameof(v));
        var (w1, b1) = PointBlocks.Transposed(hidden);
        float[] w2 = PointBlocks.ToArray(output.Weight);
        float[] b2 = output.Bias is null ? new float[outChannels] : PointBlocks.ToArray(output.Bias);
        using var source = v.contiguous();
        long points = source.numel() / inChannels;
        var result = new float[points * outChannels];
        PointBlocks.ForChunks(points, PointBlocks.ChunkPoints, (first, count) =>
        {
            var inputs = PointBlocks.Floats(source).Slice((int)(first * inChannels), count * inChannels);
            Evaluate(inputs, count, inChannels, w1, b1, w2, b2, result.AsSpan((int)(first * outChannels), count * outChannels));
        });
        return tensor(result, [.. v.shape[..^1], outChannels]);
    }

    // The projection of count points (inputs point-major), written to y (point-major, out channels each).
    private static void Evaluate(ReadOnlySpan<float> inputs, int count, int inChannels,
        float[] w1, float[] b1, float[] w2, float[] b2, Span<float> y)
    {
        int width = b1.Length, outChannels = b2.Length;
        for (int p = 0; p < count; p++) b2.CopyTo(y.Slice(p * outChannels, outChannels));
        for (int k = 0; k < width; k += PointBlocks.Width)
        {
            // Two points at a time; the second repeats the first at an odd end.
            for (int p = 0; p < count; p += 2)
            {
                int q = Math.Min(p + 1, count - 1);
                var (a0, a1, a2, a3) = PointBlocks.Load(b1, k);
                var (c0, c1, c2, c3) = (a0, a1, a2, a3);
                PointBlocks.MultiplyAdd(inputs.Slice(p * inChannels, inChannels), inputs.Slice(q * inChannels, inChannels), w1, width, k,
                    ref a0, ref a1, ref a2, ref a3, ref c0, ref c1, ref c2, ref c3);
                Fold(VectorGelu.Apply(a0), VectorGelu.Apply(a1), VectorGelu.Apply(a2), VectorGelu.Apply(a3), w2, width, k, y.Slice(p * outChannels, outChannels));
                if (q > p) Fold(VectorGelu.Apply(c0), VectorGelu.Apply(c1), VectorGelu.Apply(c2), VectorGelu.Apply(c3), w2, width, k, y.Slice(q * outChannels, outChannels));
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
}
