using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// The parts the Fourier layers share: FNO-style weight initialisation, gathering the retained
/// modes of an rfft spectrum (both signs of frequency on every axis but the last, non-negative
/// frequencies on the last, as in Li et al., ICLR 2021), mixing channels mode by mode as one batched
/// matrix product (complex arithmetic in real block form), and writing the mixed modes back into a zero-filled spectrum.
/// </summary>
internal static class SpectralModes
{
    /// <summary>
    /// A real parameter of shape (modeCount, in, out, 2) holding real and imaginary parts, drawn as
    /// in the FNO reference: scale * U[0, 1) for both parts with scale = 1 / (in * out).
    /// </summary>
    public static Parameter CreateWeight(long modeCount, int inChannels, int outChannels)
    {
        double scale = 1.0 / ((double)inChannels * outChannels);
        using (no_grad())
        {
            var w = rand(modeCount, inChannels, outChannels, 2).ScaleInPlace(scale);
            return ParameterFactory.Create(w);
        }
    }

    /// <summary>
    /// Multiplies retained modes (batch, in, M1, ..., Md), complex, by the weights and returns
    /// complex (batch, out, M1, ..., Md); see <see cref="MixBlocks"/>.
    /// </summary>
    public static Tensor Mix(Tensor modes, Tensor realWeight)
    {
        using var scope = NewDisposeScope();
        long batch = modes.shape[0], inChannels = modes.shape[1];
        long outChannels = realWeight.shape[2];
        int d = (int)modes.dim() - 2;
        var modeShape = modes.shape.Skip(2).ToArray();
        long modeCount = modeShape.Aggregate(1L, (a, b) => a * b);

        // (batch, in, M..., 2) -> (M..., batch, 2, in) -> (M, batch, 2 in)
        var order = Enumerable.Range(2, d).Select(i => (long)i).Concat(new long[] { 0, d + 2, 1 }).ToArray();
        var lhs = view_as_real(modes).permute(order).reshape(modeCount, batch, 2 * inChannels);

        // (M, batch, 2 out) -> (M..., batch, 2, out) -> (batch, out, M..., 2)
        var product = MixBlocks(lhs, realWeight).view(modeShape.Concat(new[] { batch, 2L, outChannels }).ToArray());
        var back = new long[] { d, d + 2 }.Concat(Enumerable.Range(0, d).Select(i => (long)i)).Concat(new long[] { d + 1 }).ToArray();
        return view_as_complex(product.permute(back).contiguous()).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Multiplies modes laid out as real (M, batch, 2 in), real parts first, by complex weights
    /// given as real (M, in, out, 2), giving (M, batch, 2 out) in the same layout. The complex
    /// product runs as one batched real matrix product over modes: [Re x, Im x] times the block
    /// matrix [[Re W, Im W], [-Im W, Re W]], which libtorch evaluates several times faster than
    /// batched complex products of the same small sizes, forward and backward.
    /// </summary>
    public static Tensor MixBlocks(Tensor lhs, Tensor realWeight)
    {
        using var scope = NewDisposeScope();
        var re = realWeight.select(3, 0);
        var im = realWeight.select(3, 1);
        var block = cat(new[] { cat(new[] { re, im }, 2), cat(new[] { im.neg(), re }, 2) }, 1);
        return bmm(lhs, block).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Gathers the retained modes of an rfft spectrum (batch, c, n1, ..., nd/2+1): for every axis but
    /// the last the first m and the last m frequencies, for the last the first m. The spatial axes start at <paramref name="firstAxis"/>.
    /// </summary>
    public static Tensor Gather(Tensor spectrum, IReadOnlyList<int> modes, int firstAxis = 2)
    {
        int d = modes.Count;
        var x = spectrum;
        for (int a = 0; a < d; a++)
        {
            long axis = firstAxis + a, n = x.shape[axis];
            x = a == d - 1
                ? x.narrow(axis, 0, modes[a])
                : cat(new[] { x.narrow(axis, 0, modes[a]), x.narrow(axis, n - modes[a], modes[a]) }, axis);
        }
        return x;
    }

    /// <summary>
    /// Allocates one zero spectrum of shape <paramref name="spectrumShape"/> and copies the mixed
    /// modes (batch, c, 2m1, ..., 2m_{d-1}, md) into its corners; the inverse of <see cref="Gather"/>.
    /// </summary>
    public static Tensor Scatter(Tensor mixed, long[] spectrumShape, IReadOnlyList<int> modes, int firstAxis = 2)
    {
        int d = modes.Count;
        var buffer = zeros(spectrumShape, dtype: mixed.dtype, device: mixed.device);
        int corners = 1 << (d - 1);
        for (int corner = 0; corner < corners; corner++)
        {
            var src = mixed;
            var dst = buffer;
            for (int a = 0; a < d; a++)
            {
                long axis = firstAxis + a;
                bool high = a < d - 1 && ((corner >> a) & 1) == 1;
                src = src.narrow(axis, high ? modes[a] : 0, modes[a]);
                dst = dst.narrow(axis, high ? spectrumShape[axis] - modes[a] : 0, modes[a]);
            }
            dst.copy_(src);
        }
        return buffer;
    }

    /// <summary>Checks that the grid holds the retained modes without overlapping corners.</summary>
    public static void CheckGrid(ReadOnlySpan<long> spatial, IReadOnlyList<int> modes, string layer)
    {
        for (int a = 0; a < modes.Count; a++)
        {
            long n = spatial[a];
            bool last = a == modes.Count - 1;
            long available = last ? n / 2 + 1 : n / 2;
            if (modes[a] > available)
                throw new ArgumentException(
                    $"{layer}: axis {a} has {n} points, too few for {modes[a]} retained modes " +
                    $"(at most {available}); use a finer grid or fewer modes");
        }
    }
}
