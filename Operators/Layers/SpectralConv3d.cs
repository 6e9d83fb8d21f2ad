using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// The Fourier layer of the FNO in three dimensions (Li et al., "Fourier Neural Operator for
/// Parametric Partial Differential Equations", ICLR 2021, eq. (4)): rfftn over (D, H, W), channel
/// mixing of the retained modes, irfftn with s = (D, H, W).
/// </summary>
/// <remarks>
/// Input and output are (batch, channels, D, H, W). The kept modes are the four corners of the
/// rfftn spectrum: both signs of frequency along D and H (m1 and m2 each) and the first m3 along W.
/// The weights are one real parameter (4*m1*m2*m3, in, out, 2) with real and imaginary
/// parts in the last axis (see <see cref="SpectralConv2d"/>); the retained
/// modes are multiplied as a batched matrix product over modes and written once into a zero-filled
/// spectrum.
/// </remarks>
public sealed class SpectralConv3d : nn.Module<Tensor, Tensor>, IChannelsLast
{
    private readonly Parameter weight;
    private readonly int[] modes;

    /// <summary>Creates the layer with the FNO initialisation, scale 1/(in*out) times U[0, 1).</summary>
    /// <param name="inChannels">Channels of the input field.</param>
    /// <param name="outChannels">Channels of the output field.</param>
    /// <param name="modes1">Modes kept along D for each sign of frequency.</param>
    /// <param name="modes2">Modes kept along H for each sign of frequency.</param>
    /// <param name="modes3">Non-negative modes kept along W.</param>
    /// <param name="name">Module name.</param>
    public SpectralConv3d(int inChannels, int outChannels, int modes1, int modes2, int modes3, string name = "spectral_conv3d")
        : base(name)
    {
        if (modes1 < 1 || modes2 < 1 || modes3 < 1) throw new ArgumentOutOfRangeException(nameof(modes1), "at least one mode per axis is needed");
        InChannels = inChannels;
        OutChannels = outChannels;
        modes = new[] { modes1, modes2, modes3 };
        weight = SpectralModes.CreateWeight(4L * modes1 * modes2 * modes3, inChannels, outChannels);
        RegisterComponents();
    }

    /// <summary>Channels of the input field.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output field.</summary>
    public int OutChannels { get; }

    /// <summary>Modes kept along D and H (each sign) and along W.</summary>
    public IReadOnlyList<int> Modes => modes;

    /// <summary>The real weight (4*m1*m2*m3, in, out, 2).</summary>
    public Parameter Weight => weight;

    /// <summary>Maps (batch, in, D, H, W) to (batch, out, D, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 5 || input.shape[1] != InChannels)
            throw new ArgumentException($"expected a (batch, {InChannels}, D, H, W) tensor, got ({string.Join(", ", input.shape)})", nameof(input));
        long b = input.shape[0], d = input.shape[2], h = input.shape[3], w = input.shape[4];
        SpectralModes.CheckGrid(new[] { d, h, w }, modes, nameof(SpectralConv3d));
        using var scope = NewDisposeScope();
        var dims = new long[] { -3, -2, -1 };
        var spectrum = fft.rfftn(input, dim: dims);
        var mixed = SpectralModes.Mix(SpectralModes.Gather(spectrum, modes), weight);
        var full = SpectralModes.Scatter(mixed, new[] { b, (long)OutChannels, d, h, w / 2 + 1 }, modes);
        return fft.irfftn(full, s: new[] { d, h, w }, dim: dims).MoveToOuterDisposeScope();
    }

    /// <summary>Maps a channels-last field (batch, ..., in) to (batch, ..., out) through the channels-first transform.</summary>
    public Tensor ForwardChannelsLast(Tensor input)
    {
        using var scope = NewDisposeScope();
        return forward(input.permute(0, 4, 1, 2, 3)).permute(0, 2, 3, 4, 1).MoveToOuterDisposeScope();
    }
}
