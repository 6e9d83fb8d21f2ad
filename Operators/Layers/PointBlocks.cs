using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// The pieces the fused inference kernels (<see cref="FusedPointwiseProjection"/>,
/// <see cref="FusedSkipActivation"/>) share: channels formed 32 at a time in four 256-bit registers,
/// two points at a time, and work spread over libtorch's thread count.
/// </summary>
internal static class PointBlocks
{
    /// <summary>Channels per register block: four 8-float vectors.</summary>
    public const int Width = 32;

    /// <summary>Points per unit of parallel work.</summary>
    public const int ChunkPoints = 1024;

    /// <summary>Whether the processor runs the kernels: 256-bit vectors and fused multiply-add.</summary>
    public static bool Available => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    /// <summary>Whether <paramref name="t"/> is float32 on the CPU and contiguous, so that its memory can be read in place.</summary>
    public static bool IsDenseCpuFloat(Tensor t) =>
        t.device_type == TorchSharp.DeviceType.CPU && t.dtype == ScalarType.Float32 && t.is_contiguous();

    /// <summary>
    /// The values of a contiguous float32 CPU tensor, read in place (<c>TensorAccessor</c> copies element
    /// by element). The span is valid while the tensor lives.
    /// </summary>
    public static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>A copy of a float32 CPU tensor's values in row-major order.</summary>
    /// <exception cref="ArgumentException">The tensor is not float32.</exception>
    public static float[] ToArray(Tensor t)
    {
        if (t.dtype != ScalarType.Float32) throw new ArgumentException($"expected a float32 tensor, got {t.dtype}", nameof(t));
        using var dense = t.detach().contiguous();
        return Floats(dense).ToArray();
    }

    /// <summary>A layer's weight transposed to (in, out), so that an input channel scales one contiguous row, and its bias (zeros without one).</summary>
    public static (float[] Weights, float[] Bias) Transposed(PointwiseLinear layer) =>
        (ToArray(layer.Weight.t()), layer.Bias is null ? new float[layer.OutChannels] : ToArray(layer.Bias));

    /// <summary>
    /// Runs <paramref name="chunk"/>(first, count) over <paramref name="items"/> in pieces of
    /// <paramref name="perChunk"/>, on as many threads as libtorch uses. Tensors' memory is read in
    /// place inside each call: a span cannot be captured, so each chunk asks for it again.
    /// </summary>
    public static void ForChunks(long items, int perChunk, Action<long, int> chunk)
    {
        int chunks = (int)((items + perChunk - 1) / perChunk);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, TorchRuntime.Threads) };
        Parallel.For(0, chunks, parallel, c =>
        {
            long first = (long)c * perChunk;
            chunk(first, (int)Math.Min(perChunk, items - first));
        });
    }

    /// <summary>Block <paramref name="k"/> of <paramref name="values"/>: entries k to k + 31.</summary>
    public static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>) Load(float[] values, int k)
    {
        ref float at = ref MemoryMarshal.GetArrayDataReference(values);
        return (Vector256.LoadUnsafe(ref at, (nuint)k), Vector256.LoadUnsafe(ref at, (nuint)(k + 8)),
            Vector256.LoadUnsafe(ref at, (nuint)(k + 16)), Vector256.LoadUnsafe(ref at, (nuint)(k + 24)));
    }

    /// <summary>
    /// a += sum_c s[c] M[c, k .. k + 31] and c += sum_c t[c] M[c, k .. k + 31], M row-major with rows of
    /// <paramref name="rowLength"/>: two points' sums of one block, eight independent multiply-add chains
    /// that keep the units busy, each load of M serving both points.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(ReadOnlySpan<float> s, ReadOnlySpan<float> t, ReadOnlySpan<float> m, int rowLength, int k,
        ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2, ref Vector256<float> a3,
        ref Vector256<float> c0, ref Vector256<float> c1, ref Vector256<float> c2, ref Vector256<float> c3) =>
        MultiplyAdd(s, t, s.Length, 1, m, rowLength, k, ref a0, ref a1, ref a2, ref a3, ref c0, ref c1, ref c2, ref c3);

    /// <summary>
    /// The same sums over <paramref name="count"/> terms of s and t read every <paramref name="step"/>
    /// entries: s[c step] and t[c step] scale row c of M.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(ReadOnlySpan<float> s, ReadOnlySpan<float> t, int count, int step, ReadOnlySpan<float> m, int rowLength, int k,
        ref Vector256<float> a0, ref Vector256<float> a1, ref Vector256<float> a2, ref Vector256<float> a3,
        ref Vector256<float> c0, ref Vector256<float> c1, ref Vector256<float> c2, ref Vector256<float> c3)
    {
        ref float matrix = ref MemoryMarshal.GetReference(m);
        ref float sp = ref MemoryMarshal.GetReference(s);
        ref float tp = ref MemoryMarshal.GetReference(t);
        var (x0, x1, x2, x3, y0, y1, y2, y3) = (a0, a1, a2, a3, c0, c1, c2, c3);
        for (int c = 0; c < count; c++)
        {
            nuint row = (nuint)(c * rowLength + k);
            var m0 = Vector256.LoadUnsafe(ref matrix, row);
            var m1 = Vector256.LoadUnsafe(ref matrix, row + 8);
            var m2 = Vector256.LoadUnsafe(ref matrix, row + 16);
            var m3 = Vector256.LoadUnsafe(ref matrix, row + 24);
            var u = Vector256.Create(Unsafe.Add(ref sp, c * step));
            var v = Vector256.Create(Unsafe.Add(ref tp, c * step));
            x0 = Vector256.FusedMultiplyAdd(u, m0, x0);
            x1 = Vector256.FusedMultiplyAdd(u, m1, x1);
            x2 = Vector256.FusedMultiplyAdd(u, m2, x2);
            x3 = Vector256.FusedMultiplyAdd(u, m3, x3);
            y0 = Vector256.FusedMultiplyAdd(v, m0, y0);
            y1 = Vector256.FusedMultiplyAdd(v, m1, y1);
            y2 = Vector256.FusedMultiplyAdd(v, m2, y2);
            y3 = Vector256.FusedMultiplyAdd(v, m3, y3);
        }
        (a0, a1, a2, a3, c0, c1, c2, c3) = (x0, x1, x2, x3, y0, y1, y2, y3);
    }
}
