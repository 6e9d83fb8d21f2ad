using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Layers;

/// <summary>
/// A 3x3 convolution with stride 1, no bias and zero padding of 0, 1 or 2 points, on channels-last
/// CPU float32 fields, computed by our own vector kernels, forward and backward. libtorch's oneDNN
/// convolutions are off on x64 Linux (<see cref="Runtime.OneDnnGuard"/>: they gave wrong results),
/// and ATen's own kernels unfold the field into a nine times larger matrix before one product; these
/// kernels form each output point's channels 32 at a time in registers from the nine neighbouring
/// points in place. The input gradient is the same convolution of the output gradient with the
/// stencil flipped and its channels swapped, padded 2 - p; the stencil gradient sums the outer
/// products of inputs and output gradients row by row, in a fixed partition of the rows, so that
/// every result is the same from run to run whatever the thread count.
/// </summary>
/// <remarks>
/// Applies where both channel counts are 32 (MgNO's default width) and the processor has 256-bit
/// vectors and fused multiply-add (<see cref="Supports"/>); <see cref="Conv2d"/> falls back to libtorch's
/// convolution elsewhere. Sums run in another order than libtorch's, so results agree with it to float
/// rounding.
/// </remarks>
internal static class Convolution3x3
{
    // The channel count the kernels take, in and out. They stream the stencil once per output row, which
    // stays in cache at 32 channels (36 KB) and measured 1.6 to 2.6 times as fast as libtorch's there;
    // at 64 channels they took 1.5 times as long as libtorch's, at 128 and 256 four to seven times.
    private const int Channels = 32;

    // Output rows per unit of parallel work; partial sums of the stencil gradient, each over a fixed range of rows.
    private const int RowsPerChunk = 4;
    private const int GradientPartitions = 16;

    /// <summary>
    /// Whether the kernels take this convolution: a (batch, 32, H, W) float32 CPU input whose memory is
    /// channels-last, a (32, 32, 3, 3) float32 CPU stencil, an output of at least one point, and 256-bit
    /// vectors with fused multiply-add.
    /// </summary>
    public static bool Supports(Tensor input, Tensor weight, int padding) =>
        PointBlocks.Available && padding is >= 0 and <= 2 && input.dim() == 4 && weight.dim() == 4
        && input.device_type == TorchSharp.DeviceType.CPU && weight.device_type == TorchSharp.DeviceType.CPU
        && input.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
        && weight.shape[2] == 3 && weight.shape[3] == 3 && weight.shape[1] == input.shape[1]
        && input.shape[1] == Channels && weight.shape[0] == Channels
        && input.shape[2] + 2 * padding >= 3 && input.shape[3] + 2 * padding >= 3
        && input.permute(0, 2, 3, 1).is_contiguous()
        && input.numel() * sizeof(float) <= int.MaxValue
        && input.shape[0] * (input.shape[2] + 2 * padding - 2) * (input.shape[3] + 2 * padding - 2) * weight.shape[0] * sizeof(float) <= int.MaxValue;

    /// <summary>
    /// conv2d(input, weight, stride 1, zero padding <paramref name="padding"/>) for a (batch, in, H, W)
    /// input: by these kernels where <see cref="Supports"/> holds (with gradients where they are being
    /// recorded), by libtorch otherwise. The result is (batch, out, H + 2p - 2, W + 2p - 2), its memory channels-last.
    /// </summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, int padding)
    {
        if (!Supports(input, weight, padding))
            return F.conv2d(input, weight, null, new long[] { 1, 1 }, new long[] { padding, padding });
        if (is_grad_enabled() && (input.requires_grad || weight.requires_grad))
            return Convolution3x3Function.apply(input, weight, padding);
        return Forward(input, weight, padding);
    }

    /// <summary>The convolution without gradients; the caller has checked <see cref="Supports"/>.</summary>
    internal static Tensor Forward(Tensor input, Tensor weight, int padding)
    {
        using var noGrad = no_grad();
        using var x = input.permute(0, 2, 3, 1).contiguous();                     // (N, H, W, in), no copy
        using var taps = weight.detach().permute(2, 3, 1, 0).contiguous();        // (3, 3, in, out)
        return Apply(x, taps, padding).permute(0, 3, 1, 2);
    }

    /// <summary>The input's gradient: the output gradient convolved with the flipped, channel-swapped stencil, padded 2 - p.</summary>
    internal static Tensor InputGradient(Tensor gradOutput, Tensor weight, int padding)
    {
        using var noGrad = no_grad();
        using var g = gradOutput.permute(0, 2, 3, 1).contiguous();
        using var taps = weight.detach().flip(2, 3).permute(2, 3, 0, 1).contiguous();   // (3, 3, out, in)
        return Apply(g, taps, 2 - padding).permute(0, 3, 1, 2);
    }

    /// <summary>The stencil's gradient (out, in, 3, 3): the sum over output points of output gradient times the input at each tap.</summary>
    internal static Tensor WeightGradient(Tensor input, Tensor gradOutput, int padding)
    {
        using var noGrad = no_grad();
        using var x = input.permute(0, 2, 3, 1).contiguous();
        using var g = gradOutput.permute(0, 2, 3, 1).contiguous();
        int batch = (int)x.shape[0], height = (int)x.shape[1], width = (int)x.shape[2], inChannels = (int)x.shape[3];
        int outHeight = (int)g.shape[1], outWidth = (int)g.shape[2], outChannels = (int)g.shape[3];
        int rows = batch * outHeight, parts = Math.Min(rows, GradientPartitions), size = 9 * inChannels * outChannels;
        var partial = new float[parts * size];
        PointBlocks.ForChunks(parts, 1, (part, _) =>
        {
            var xs = PointBlocks.Floats(x);
            var gs = PointBlocks.Floats(g);
            var sum = partial.AsSpan((int)part * size, size);
            int first = (int)(part * rows / parts), last = (int)((part + 1) * rows / parts);
            for (int row = first; row < last; row++)
            {
                int n = row / outHeight, ho = row % outHeight;
                var gRow = gs.Slice(row * outWidth * outChannels, outWidth * outChannels);
                for (int dy = 0; dy < 3; dy++)
                {
                    int hi = ho + dy - padding;
                    if (hi < 0 || hi >= height) continue;
                    var xRow = xs.Slice((n * height + hi) * width * inChannels, width * inChannels);
                    for (int dx = 0; dx < 3; dx++)
                    {
                        // Output columns whose input column wo + dx - p lies in the field.
                        int from = Math.Max(0, padding - dx), to = Math.Min(outWidth, width + padding - dx);
                        if (to <= from) continue;
                        AddOuterProducts(xRow.Slice((from + dx - padding) * inChannels, (to - from) * inChannels), gRow.Slice(from * outChannels, (to - from) * outChannels),
                            to - from, inChannels, outChannels, sum.Slice((dy * 3 + dx) * inChannels * outChannels, inChannels * outChannels));
                    }
                }
            }
        });
        // The partial sums in partition order: the same result on any number of threads.
        var total = new float[size];
        for (int c = 0; c < parts; c++)
        {
            var part = partial.AsSpan(c * size, size);
            for (int k = 0; k < size; k++) total[k] += part[k];
        }
        return tensor(total, [3, 3, inChannels, outChannels]).permute(3, 2, 0, 1).contiguous();
    }

    // out (N, H + 2p - 2, W + 2p - 2, Co) from x (N, H, W, Ci) and taps (3, 3, Ci, Co), all point-major.
    private static Tensor Apply(Tensor x, Tensor taps, int padding)
    {
        int batch = (int)x.shape[0], height = (int)x.shape[1], width = (int)x.shape[2], inChannels = (int)x.shape[3];
        int outChannels = (int)taps.shape[3], outHeight = height + 2 * padding - 2, outWidth = width + 2 * padding - 2;
        float[] stencil = PointBlocks.ToArray(taps);
        var output = empty(batch, outHeight, outWidth, outChannels);
        var zeros = new float[inChannels];
        int rows = batch * outHeight;
        PointBlocks.ForChunks(rows, RowsPerChunk, (first, count) =>
        {
            var xs = PointBlocks.Floats(x);
            var ys = PointBlocks.Floats(output);
            for (int row = (int)first; row < first + count; row++)
            {
                int n = row / outHeight, ho = row % outHeight;
                OutputRow(xs, n, ho, height, width, inChannels, outChannels, outWidth, padding, stencil, zeros,
                    ys.Slice(row * outWidth * outChannels, outWidth * outChannels));
            }
        });
        return output;
    }

    // One output row: for each pair of points and block of 32 output channels, the nine taps' products in registers.
    private static void OutputRow(ReadOnlySpan<float> x, int n, int ho, int height, int width, int inChannels, int outChannels, int outWidth,
        int padding, float[] stencil, float[] zeros, Span<float> y)
    {
        ref float output = ref MemoryMarshal.GetReference(y);
        for (int p = 0; p < outWidth; p += 2)
        {
            int q = Math.Min(p + 1, outWidth - 1);
            for (int k = 0; k < outChannels; k += PointBlocks.Width)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
                for (int dy = 0; dy < 3; dy++)
                {
                    int hi = ho + dy - padding;
                    if (hi < 0 || hi >= height) continue;
                    int rowStart = (n * height + hi) * width;
                    for (int dx = 0; dx < 3; dx++)
                    {
                        // Input columns outside the field read zeros (the padding).
                        int wp = p + dx - padding, wq = q + dx - padding;
                        var sp = wp < 0 || wp >= width ? zeros : x.Slice((rowStart + wp) * inChannels, inChannels);
                        var sq = wq < 0 || wq >= width ? zeros : x.Slice((rowStart + wq) * inChannels, inChannels);
                        PointBlocks.MultiplyAdd(sp, sq, stencil.AsSpan((dy * 3 + dx) * inChannels * outChannels), outChannels, k,
                            ref a0, ref a1, ref a2, ref a3, ref c0, ref c1, ref c2, ref c3);
                    }
                }
                nuint at = (nuint)(p * outChannels + k), bt = (nuint)(q * outChannels + k);
                a0.StoreUnsafe(ref output, at);
                a1.StoreUnsafe(ref output, at + 8);
                a2.StoreUnsafe(ref output, at + 16);
                a3.StoreUnsafe(ref output, at + 24);
                // q last: at an odd end q is p, and both hold the same values.
                c0.StoreUnsafe(ref output, bt);
                c1.StoreUnsafe(ref output, bt + 8);
                c2.StoreUnsafe(ref output, bt + 16);
                c3.StoreUnsafe(ref output, bt + 24);
            }
        }
    }

    // sum[ci, co] += sum over the points of x[point, ci] g[point, co]: two input channels (columns of x) and 32 output channels at a time.
    private static void AddOuterProducts(ReadOnlySpan<float> x, ReadOnlySpan<float> g, int points, int inChannels, int outChannels, Span<float> sum)
    {
        ref float total = ref MemoryMarshal.GetReference(sum);
        for (int k = 0; k < outChannels; k += PointBlocks.Width)
            for (int ci = 0; ci < inChannels; ci += 2)
            {
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
                PointBlocks.MultiplyAdd(x[ci..], x[(ci + 1)..], points, inChannels, g, outChannels, k,
                    ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3);
                nuint at = (nuint)(ci * outChannels + k), bt = at + (nuint)outChannels;
                (Vector256.LoadUnsafe(ref total, at) + a0).StoreUnsafe(ref total, at);
                (Vector256.LoadUnsafe(ref total, at + 8) + a1).StoreUnsafe(ref total, at + 8);
                (Vector256.LoadUnsafe(ref total, at + 16) + a2).StoreUnsafe(ref total, at + 16);
                (Vector256.LoadUnsafe(ref total, at + 24) + a3).StoreUnsafe(ref total, at + 24);
                (Vector256.LoadUnsafe(ref total, bt) + b0).StoreUnsafe(ref total, bt);
                (Vector256.LoadUnsafe(ref total, bt + 8) + b1).StoreUnsafe(ref total, bt + 8);
                (Vector256.LoadUnsafe(ref total, bt + 16) + b2).StoreUnsafe(ref total, bt + 16);
                (Vector256.LoadUnsafe(ref total, bt + 24) + b3).StoreUnsafe(ref total, bt + 24);
            }
    }

    // The autograd node: the input and the stencil are saved, the padding kept as data.
    private sealed class Convolution3x3Function : autograd.SingleTensorFunction<Convolution3x3Function>
    {
        public override string Name => "Convolution3x3";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (input, weight, padding) = ((Tensor)vars[0], (Tensor)vars[1], (int)vars[2]);
            ctx.save_for_backward([input, weight]);
            ctx.save_data("padding", padding);
            return Forward(input, weight, padding);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            // The engine's thread has no scope of its own: temporaries go with this one, the gradients outlive it.
            using var scope = NewDisposeScope();
            var saved = ctx.get_saved_variables();
            var (input, weight) = (saved[0], saved[1]);
            int padding = (int)ctx.get_data("padding");
            // The output gradient may arrive channels-first; the kernels read it channels-last.
            var g = grad_output.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
            var inputGradient = input.requires_grad ? InputGradient(g, weight, padding) : null;
            var weightGradient = weight.requires_grad ? WeightGradient(input, g, padding) : null;
            inputGradient?.DetachFromDisposeScope();
            weightGradient?.DetachFromDisposeScope();
            return [inputGradient!, weightGradient!, null!];
        }
    }
}
