using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// The Fourier layer of the FNO in one dimension (Li et al., "Fourier Neural Operator for
/// Parametric Partial Differential Equations", ICLR 2021, eq. (4)): rfft, channel mixing of the
/// first m modes by complex weights, irfft back to the input length.
/// </summary>
/// <remarks>
/// Input and output are (batch, channels, N). The weights are one real parameter (m, in, out, 2),
/// real and imaginary parts
/// in the last axis (see <see cref="SpectralConv2d"/>); the retained modes are multiplied as a batched matrix
/// product over modes and written once into a zero-filled spectrum of length N/2+1.
/// </remarks>
public sealed class SpectralConv1d : nn.Module<Tensor, Tensor>, IChannelsLast
{
    private readonly Parameter weight;
    private readonly int[] modes;

    /// <summary>Creates the layer with the FNO initialisation, scale 1/(in*out) times U[0, 1).</summary>
    /// <param name="inChannels">Channels of the input field.</param>
    /// <param name="outChannels">Channels of the output field.</param>
    /// <param name="modes1">Non-negative Fourier modes kept.</param>
    /// <param name="name">Module name.</param>
    public SpectralConv1d(int inChannels, int outChannels, int modes1, string name = "spectral_conv1d")
        : base(name)
    {
        if (modes1 < 1) throw new ArgumentOutOfRangeException(nameof(modes1), modes1, "at least one mode is needed");
        InChannels = inChannels;
        OutChannels = outChannels;
        modes = new[] { modes1 };
        weight = SpectralModes.CreateWeight(modes1, inChannels, outChannels);
        RegisterComponents();
    }

    /// <summary>Channels of the input field.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output field.</summary>
    public int OutChannels { get; }

    /// <summary>Modes kept.</summary>
    public IReadOnlyList<int> Modes => modes;

    /// <summary>The real weight (m, in, out, 2).</summary>
    public Parameter Weight => weight;

    /// <summary>Maps (batch, in, N) to (batch, out, N).</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[1] != InChannels)
            throw new ArgumentException($"expected a (batch, {InChannels}, N) tensor, got ({string.Join(", ", input.shape)})", nameof(input));
        long b = input.shape[0], n = input.shape[2];
        SpectralModes.CheckGrid(new[] { n }, modes, nameof(SpectralConv1d));
        using var scope = NewDisposeScope();
        var spectrum = fft.rfft(input);
        var mixed = SpectralModes.Mix(SpectralModes.Gather(spectrum, modes), weight);
        var full = SpectralModes.Scatter(mixed, new[] { b, (long)OutChannels, n / 2 + 1 }, modes);
        return fft.irfft(full, n).MoveToOuterDisposeScope();
    }

    /// <summary>Maps a channels-last field (batch, ..., in) to (batch, ..., out) through the channels-first transform.</summary>
    public Tensor ForwardChannelsLast(Tensor input)
    {
        using var scope = NewDisposeScope();
        return forward(input.permute(0, 2, 1)).permute(0, 2, 1).MoveToOuterDisposeScope();
    }
}
