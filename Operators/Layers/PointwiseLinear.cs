using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers;

/// <summary>
/// A linear map applied independently at every grid point of a channels-first field
/// (batch, channels, n1, ..., nd): the 1x1 convolution used for lifting, projection and the local
/// skip path of neural operators (Li et al., "Fourier Neural Operator for Parametric Partial
/// Differential Equations", ICLR 2021, eq. (2): the W term). Works for any number of spatial axes.
/// </summary>
public sealed class PointwiseLinear : nn.Module<Tensor, Tensor>, IChannelsLast
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    /// <summary>Creates the map with PyTorch's default linear initialisation, U(-1/sqrt(in), 1/sqrt(in)).</summary>
    /// <param name="inChannels">Channels of the input field.</param>
    /// <param name="outChannels">Channels of the output field.</param>
    /// <param name="hasBias">Whether a per-channel bias is added.</param>
    /// <param name="name">Module name.</param>
    public PointwiseLinear(int inChannels, int outChannels, bool hasBias = true, string name = "pointwise")
        : base(name)
    {
        if (inChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "at least one input channel is needed");
        if (outChannels < 1) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "at least one output channel is needed");
        InChannels = inChannels;
        OutChannels = outChannels;
        double bound = 1.0 / Math.Sqrt(inChannels);
        using (no_grad())
        {
            weight = ParameterFactory.Create(empty(outChannels, inChannels).uniform_(-bound, bound));
            bias = hasBias ? ParameterFactory.Create(empty(outChannels).uniform_(-bound, bound)) : null;
        }
        RegisterComponents();
    }

    /// <summary>Channels of the input field.</summary>
    public int InChannels { get; }

    /// <summary>Channels of the output field.</summary>
    public int OutChannels { get; }

    /// <summary>The (out, in) weight matrix.</summary>
    public Parameter Weight => weight;

    /// <summary>The per-channel bias, or null when the map has none.</summary>
    public Parameter? Bias => bias;

    /// <summary>
    /// Maps (batch, in, n1, ..., nd) to (batch, out, n1, ..., nd): one matrix product over all grid
    /// points with channels last; the result is a channels-first view of channels-last memory.
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() < 2 || input.shape[1] != InChannels)
            throw new ArgumentException($"expected a (batch, {InChannels}, ...) tensor, got ({string.Join(", ", input.shape)})", nameof(input));
        using var scope = NewDisposeScope();
        int d = (int)input.dim();
        var toLast = new long[d];
        var toFirst = new long[d];
        toLast[0] = 0;
        toLast[d - 1] = 1;
        for (int a = 2; a < d; a++) toLast[a - 1] = a;
        toFirst[0] = 0;
        toFirst[1] = d - 1;
        for (int a = 2; a < d; a++) toFirst[a] = a - 1;
        var y = nn.functional.linear(input.permute(toLast), weight, bias);
        return y.permute(toFirst).MoveToOuterDisposeScope();
    }

    /// <summary>Maps a channels-last field (batch, n1, ..., nd, in) to (batch, n1, ..., nd, out).</summary>
    public Tensor ForwardChannelsLast(Tensor input)
    {
        if (input.dim() < 2 || input.shape[^1] != InChannels)
            throw new ArgumentException($"expected a (batch, ..., {InChannels}) tensor, got ({string.Join(", ", input.shape)})", nameof(input));
        return nn.functional.linear(input, weight, bias);
    }
}
