using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Inference-only end of a Fourier layer, v' = GELU(K v + W v + b) (or without GELU after the last
/// layer), on channels-last CPU fields in one pass over the points. Evaluated by separate libtorch
/// calls, the skip product W v + b, the sum with the integral K v and GELU each write a field as large
/// as the hidden state and read the previous one back. Here each point's outputs are formed 32 at a
/// time in registers and written once.
/// </summary>
/// <remarks>
/// <para>
/// Two forms. <see cref="Apply"/> takes K v as a field and writes the result over it.
/// <see cref="ApplyToRows"/> takes K v one product short, as each row's spectrum along the last axis
/// (<see cref="SpectralConv.TryRowSpectra"/>), finishes that inverse transform point by point (a row's
/// block of spectra stays in cache while its points are formed) and writes the result over v, so the
/// integral field is never written at all.
/// </para>
/// <para>
/// The sums run in another order than libtorch's, so results agree with the separate calls to float
/// rounding, not to the bit; GELU is <see cref="VectorGelu"/>.
/// </para>
/// </remarks>
internal static class FusedSkipActivation
{
    /// <summary>
    /// Whether the fused path applies to v and <paramref name="skip"/>: no gradient is being recorded,
    /// v is contiguous float32 on the CPU with <paramref name="skip"/>'s input channels last, the output
    /// width is a multiple of 32, and the processor has 256-bit vectors and fused multiply-add.
    /// </summary>
    public static bool Supports(Tensor v, PointwiseLinear skip) =>
        !is_grad_enabled() && PointBlocks.Available
        && PointBlocks.IsDenseCpuFloat(v) && v.dim() >= 2 && v.shape[^1] == skip.InChannels && skip.OutChannels % PointBlocks.Width == 0
        && v.numel() / skip.InChannels * Math.Max(skip.InChannels, skip.OutChannels) * sizeof(float) <= int.MaxValue;

    /// <summary>
    /// Whether <see cref="Apply"/> takes <paramref name="integral"/>: <see cref="Supports(Tensor, PointwiseLinear)"/>
    /// holds and the integral is a contiguous float32 CPU field on v's points with the skip's output channels last.
    /// </summary>
    public static bool Supports(Tensor integral, Tensor v, PointwiseLinear skip) =>
        Supports(v, skip) && PointBlocks.IsDenseCpuFloat(integral) && integral.dim() == v.dim()
        && integral.shape[..^1].SequenceEqual(v.shape[..^1]) && integral.shape[^1] == skip.OutChannels;

    /// <summary>
    /// Overwrites <paramref name="integral"/> (..., out) with GELU(integral + skip(v)), or the plain sum
    /// when <paramref name="gelu"/> is false, and returns it. Throws where
    /// <see cref="Supports(Tensor, Tensor, PointwiseLinear)"/> does not hold; the two fields must not share memory.
    /// </summary>
    public static Tensor Apply(Tensor integral, Tensor v, PointwiseLinear skip, bool gelu)
    {
        if (!Supports(integral, v, skip)) throw new InvalidOperationException("the fused layer end does not take these fields; check Supports first");
        var (weights, bias) = PointBlocks.Transposed(skip);
        int inChannels = skip.InChannels, outChannels = skip.OutChannels;
        long points = v.numel() / inChannels;
        PointBlocks.ForChunks(points, PointBlocks.ChunkPoints, (first, count) =>
        {
            var x = PointBlocks.Floats(v).Slice((int)(first * inChannels), count * inChannels);
            var y = PointBlocks.Floats(integral).Slice((int)(first * outChannels), count * outChannels);
            OverIntegral(x, y, count, inChannels, outChannels, weights, bias, gelu);
        });
        return integral;
    }

    /// <summary>
    /// Whether <see cref="ApplyToRows"/> takes these fields: <see cref="Supports(Tensor, PointwiseLinear)"/>
    /// holds, v is (batch, H, W, C) with as many output as input channels (it is overwritten), and
    /// <paramref name="rows"/> (batch * H, k, C) and <paramref name="inverseW"/> (W, k) are contiguous
    /// float32 on the CPU.
    /// </summary>
    public static bool SupportsRows(Tensor rows, Tensor inverseW, Tensor v, PointwiseLinear skip) =>
        Supports(v, skip) && v.dim() == 4 && skip.InChannels == skip.OutChannels
        && PointBlocks.IsDenseCpuFloat(rows) && PointBlocks.IsDenseCpuFloat(inverseW) && rows.dim() == 3 && inverseW.dim() == 2
        && rows.shape[0] == v.shape[0] * v.shape[1] && rows.shape[2] == skip.OutChannels
        && inverseW.shape[0] == v.shape[2] && inverseW.shape[1] == rows.shape[1];

    /// <summary>
    /// Overwrites v (batch, H, W, C) with GELU(K v + skip(v)), or the plain sum when <paramref name="gelu"/>
    /// is false, where row (b, h) of K v is <paramref name="inverseW"/> times block b * H + h of
    /// <paramref name="rows"/>; returns v. Throws where <see cref="SupportsRows"/> does not hold.
    /// </summary>
    public static Tensor ApplyToRows(Tensor rows, Tensor inverseW, Tensor v, PointwiseLinear skip, bool gelu)
    {
        if (!SupportsRows(rows, inverseW, v, skip)) throw new InvalidOperationException("the fused layer end does not take these fields; check SupportsRows first");
        var (weights, bias) = PointBlocks.Transposed(skip);
        float[] transform = PointBlocks.ToArray(inverseW);
        int width = (int)v.shape[2], spectra = (int)rows.shape[1], channels = skip.OutChannels;
        long rowCount = rows.shape[0];
        int rowsPerChunk = Math.Max(1, PointBlocks.ChunkPoints / width);
        PointBlocks.ForChunks(rowCount, rowsPerChunk, (first, count) =>
        {
            var x = PointBlocks.Floats(v).Slice((int)(first * width * channels), count * width * channels);
            var spectrum = PointBlocks.Floats(rows).Slice((int)(first * spectra * channels), count * spectra * channels);
            Span<float> pair = stackalloc float[2 * channels];
            for (int r = 0; r < count; r++)
                OverRow(x.Slice(r * width * channels, width * channels), spectrum.Slice(r * spectra * channels, spectra * channels),
                    width, spectra, channels, transform, weights, bias, gelu, pair);
        });
        return v;
    }

    // y[p] <- act(y[p] + W x[p] + b) for count points, both point-major. Block by block: a block of y is
    // read only by its own sums, so writing it at once is safe.
    private static void OverIntegral(ReadOnlySpan<float> x, Span<float> y, int count, int inChannels, int outChannels,
        float[] w, float[] b, bool gelu)
    {
        ref float output = ref MemoryMarshal.GetReference(y);
        for (int k = 0; k < outChannels; k += PointBlocks.Width)
        {
            // Two points at a time; the second repeats the first at an odd end.
            for (int p = 0; p < count; p += 2)
            {
                int q = Math.Min(p + 1, count - 1);
                nuint yp = (nuint)(p * outChannels + k), yq = (nuint)(q * outChannels + k);
                var (a0, a1, a2, a3) = PointBlocks.Load(b, k);
                var (c0, c1, c2, c3) = (a0, a1, a2, a3);
                a0 += Vector256.LoadUnsafe(ref output, yp);
                a1 += Vector256.LoadUnsafe(ref output, yp + 8);
                a2 += Vector256.LoadUnsafe(ref output, yp + 16);
                a3 += Vector256.LoadUnsafe(ref output, yp + 24);
                c0 += Vector256.LoadUnsafe(ref output, yq);
                c1 += Vector256.LoadUnsafe(ref output, yq + 8);
                c2 += Vector256.LoadUnsafe(ref output, yq + 16);
                c3 += Vector256.LoadUnsafe(ref output, yq + 24);
                PointBlocks.MultiplyAdd(x.Slice(p * inChannels, inChannels), x.Slice(q * inChannels, inChannels), w, outChannels, k,
                    ref a0, ref a1, ref a2, ref a3, ref c0, ref c1, ref c2, ref c3);
                // q's sums are stored last: at an odd end q is p, and both hold the same values.
                Store(a0, a1, a2, a3, gelu, ref output, yp);
                Store(c0, c1, c2, c3, gelu, ref output, yq);
            }
        }
    }

    // One row of width points, x[i] <- act(T[i] . S + W x[i] + b) with S the row's (spectra, channels)
    // block and T the inverse transform's (width, spectra) matrix. A point's new values replace inputs
    // that every block still reads, so the pair's outputs wait in pair until all its blocks are done.
    private static void OverRow(Span<float> x, ReadOnlySpan<float> spectrum, int width, int spectra, int channels,
        float[] transform, float[] w, float[] b, bool gelu, Span<float> pair)
    {
        ref float kept = ref MemoryMarshal.GetReference(pair);
        for (int p = 0; p < width; p += 2)
        {
            int q = Math.Min(p + 1, width - 1);
            var xp = x.Slice(p * channels, channels);
            var xq = x.Slice(q * channels, channels);
            for (int k = 0; k < channels; k += PointBlocks.Width)
            {
                var (a0, a1, a2, a3) = PointBlocks.Load(b, k);
                var (c0, c1, c2, c3) = (a0, a1, a2, a3);
                PointBlocks.MultiplyAdd(transform.AsSpan(p * spectra, spectra), transform.AsSpan(q * spectra, spectra), spectrum, channels, k,
                    ref a0, ref a1, ref a2, ref a3, ref c0, ref c1, ref c2, ref c3);
                PointBlocks.MultiplyAdd(xp, xq, w, channels, k, ref a0, ref a1, ref a2, ref a3, ref c0, ref c1, ref c2, ref c3);
                Store(a0, a1, a2, a3, gelu, ref kept, (nuint)k);
                Store(c0, c1, c2, c3, gelu, ref kept, (nuint)(channels + k));
            }
            // q last: at an odd end q is p, and both hold the same values.
            pair[..channels].CopyTo(xp);
            pair[channels..].CopyTo(xq);
        }
    }

    private static void Store(Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3, bool gelu, ref float output, nuint at)
    {
        if (gelu) (a0, a1, a2, a3) = (VectorGelu.Apply(a0), VectorGelu.Apply(a1), VectorGelu.Apply(a2), VectorGelu.Apply(a3));
        a0.StoreUnsafe(ref output, at);
        a1.StoreUnsafe(ref output, at + 8);
        a2.StoreUnsafe(ref output, at + 16);
        a3.StoreUnsafe(ref output, at + 24);
    }
}
