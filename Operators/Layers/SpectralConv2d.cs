using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// The Fourier layer of the FNO in two dimensions (Li et al., "Fourier Neural Operator for
/// Parametric Partial Differential Equations", ICLR 2021, eq. (4)): v -> F^-1(R . (F v)), where R
/// mixes channels independently for each retained Fourier mode and all other modes are dropped.
/// </summary>
/// <remarks>
/// Input and output are channels-first fields (batch, channels, H, W). The kept modes are the
/// two corners of the rfft2 spectrum: rows 0..m1-1 and H-m1..H-1 (non-negative and negative
/// frequencies along H) and columns 0..m2-1. The weights are one real parameter of shape
/// (2*m1*m2, in, out, 2), real and imaginary parts in the last axis, so that optimisers such as
/// Adam treat the two parts as independent real numbers. The forward pass applies them as the real
/// block matrix [[Re W, Im W], [-Im W, Re W]], the same product as view_as_complex and a complex
/// multiplication, computed faster. Only the retained modes are multiplied, as a batched product
/// over modes, and the output spectrum
/// is written once into a single zero-filled buffer (or never materialised, see
/// <see cref="SpectralTransform.RetainedModeDft"/>). The transform is irfft2 with s = (H, W), so
/// the layer runs at any resolution holding the modes (discretisation invariance).
/// </remarks>
public sealed class SpectralConv2d : nn.Module<Tensor, Tensor>, IChannelsLast
{
    private readonly Parameter weight;
    private readonly int[] modes;
    private readonly Dictionary<(long, long, ScalarType, DeviceType, int), RetainedModeDft2d> dfts = new();
    private readonly object dftLock = new();

    /// <summary>Creates the layer with the FNO initialisation (see the remarks).</summary>
    /// <param name="inChannels">Channels of the input field.</param>
    /// <param name="outChannels">Channels of the output field.</param>
    /// <param name="modes1">Modes kept along H for each sign of frequency.</param>
    /// <param name="modes2">Non-negative modes kept along W.</param>
    /// <param name="transform">How the retained spectrum is computed.</param>
    /// <param name="name">Module name.</param>
    public SpectralConv2d(int inChannels, int outChannels, int modes1, int modes2,
        SpectralTransform transform = SpectralTransform.Auto, string name = "spectral_conv2d")
        : base(name)
    {
        if (modes1 < 1 || modes2 < 1) throw new ArgumentOutOfRangeException(nameof(modes1), "at least one mode per axis is needed");
        InChannels = inChannels;
        OutChannels = outChannels;
        modes = new[] { modes1, modes2 };
        Transform = transform;
        weight = SpectralModes.CreateWeight(2L * modes1 * modes2, inChannels, outChannels);
        RegisterComponents();
    }

    /// <summary>Channels of the input field.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output field.</summary>
    public int OutChannels { get; }

    /// <summary>Modes kept along H (each sign) and along W.</summary>
    public IReadOnlyList<int> Modes => modes;

    /// <summary>How the retained spectrum is computed.</summary>
    public SpectralTransform Transform { get; }

    /// <summary>
    /// The real weight (2*m1*m2, in, out, 2). Mode index r*m2 + c holds row r of the kept rows
    /// (0..m1-1 then H-m1..H-1) and column c.
    /// </summary>
    public Parameter Weight => weight;

    /// <summary>Whether a grid of the given size is transformed with retained-mode DFTs.</summary>
    public bool UsesRetainedModeDft(long height, long width) => Transform switch
    {
        SpectralTransform.Fft => false,
        SpectralTransform.RetainedModeDft => true,
        _ => !FftFriendly.IsSmooth(height) || !FftFriendly.IsSmooth(width)
            || Math.Max(modes[0], modes[1]) <= Math.Log2((double)height * width),
    };

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != InChannels)
            throw new ArgumentException($"expected a (batch, {InChannels}, H, W) tensor, got ({string.Join(", ", input.shape)})", nameof(input));
        using var scope = NewDisposeScope();
        return ForwardChannelsLast(input.permute(0, 2, 3, 1)).permute(0, 3, 1, 2).MoveToOuterDisposeScope();
    }

    /// <summary>Maps a channels-last field (batch, H, W, in) to (batch, H, W, out).</summary>
    public Tensor ForwardChannelsLast(Tensor input)
    {
        if (input.dim() != 4 || input.shape[3] != InChannels)
            throw new ArgumentException($"expected a (batch, H, W, {InChannels}) tensor, got ({string.Join(", ", input.shape)})", nameof(input));
        long b = input.shape[0], h = input.shape[1], w = input.shape[2];
        SpectralModes.CheckGrid(new[] { h, w }, modes, nameof(SpectralConv2d));
        using var scope = NewDisposeScope();
        Tensor output;
        if (UsesRetainedModeDft(h, w))
        {
            var dft = Dft(h, w, input.dtype, input.device);
            output = dft.Inverse(SpectralModes.MixBlocks(dft.Forward(input), weight), h, w);
        }
        else
        {
            long rows = 2L * modes[0], cols = modes[1];
            var spatial = new long[] { 1, 2 };
            var kept = SpectralModes.Gather(fft.rfft2(input, dim: spatial), modes, firstAxis: 1);   // (B, 2m1, m2, in)
            var lhs = view_as_real(kept).permute(1, 2, 0, 4, 3).reshape(rows * cols, b, 2L * InChannels);
            var mixed = SpectralModes.MixBlocks(lhs, weight)
                .view(rows, cols, b, 2, OutChannels).permute(2, 0, 1, 4, 3).contiguous();
            var full = SpectralModes.Scatter(view_as_complex(mixed), new[] { b, h, w / 2 + 1, (long)OutChannels }, modes, firstAxis: 1);
            output = fft.irfft2(full, s: new[] { h, w }, dim: spatial);
        }
        return output.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (dftLock)
            {
                foreach (var d in dfts.Values) d.Dispose();
                dfts.Clear();
            }
        }
        base.Dispose(disposing);
    }

    private RetainedModeDft2d Dft(long h, long w, ScalarType dtype, Device device)
    {
        var key = (h, w, dtype, device.type, device.index);
        lock (dftLock)
        {
            if (!dfts.TryGetValue(key, out var dft))
            {
                dft = new RetainedModeDft2d(h, w, modes[0], modes[1], dtype, device);
                dfts[key] = dft;
            }
            return dft;
        }
    }
}
