using PdeOps.Operators.Layers;
using static TorchSharp.torch;

namespace PdeOps.Operators.Conversion;

/// <summary>
/// A network converted into a neural operator by <see cref="OperatorConversion.Convert"/>: the
/// same parameters (under <c>network.</c>), grid-agnostic layers in place of the grid-bound ones,
/// the grid it reproduces exactly, and how each layer was converted.
/// </summary>
public sealed class ConvertedNetwork : nn.Module<Tensor, Tensor>, IGridAgnostic
{
    private readonly nn.Module<Tensor, Tensor> network;

    internal ConvertedNetwork(nn.Module<Tensor, Tensor> network, ReferenceGrid2d reference, IReadOnlyList<LayerConversion> layers)
        : base("converted")
    {
        this.network = network;
        Reference = reference;
        Layers = layers;
        RegisterComponents();
    }

    /// <summary>The converted module tree.</summary>
    public nn.Module<Tensor, Tensor> Network => network;

    /// <summary>The grid on which the converted network computes what the original did.</summary>
    public ReferenceGrid2d Reference { get; }

    /// <summary>How each layer was converted, in module order.</summary>
    public IReadOnlyList<LayerConversion> Layers { get; }

    /// <summary>Maps (batch, in, H, W) to the network's output on any grid its layers can represent.</summary>
    public override Tensor forward(Tensor input) => network.call(input);
}
