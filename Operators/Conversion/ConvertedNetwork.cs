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
        RunsOnWholeRefinements = layers.Any(l => l.Rule == OperatorConversion.FixedOffsetsRule);
        RegisterComponents();
    }

    /// <summary>The converted module tree.</summary>
    public nn.Module<Tensor, Tensor> Network => network;

    /// <summary>The grid on which the converted network computes what the original did.</summary>
    public ReferenceGrid2d Reference { get; }

    /// <summary>How each layer was converted, in module order.</summary>
    public IReadOnlyList<LayerConversion> Layers { get; }

    /// <summary>
    /// Whether the network runs on grids refined from its reference by a whole factor (its
    /// convolutions keep fixed offsets, <see cref="ConvolutionRule.FixedOffsets"/>): there every
    /// offset falls on a grid point, and the network gives at the points shared with the reference
    /// grid what it gives on that grid, up to its normalisations' statistics.
    /// </summary>
    public bool RunsOnWholeRefinements { get; }

    /// <summary>
    /// The grid the network runs on for an input of <paramref name="height"/> x <paramref name="width"/>
    /// points: that grid itself, or, when <see cref="RunsOnWholeRefinements"/>, the reference grid
    /// refined by the smallest whole factor that is not coarser (the reference grid for coarser inputs).
    /// </summary>
    public (long Height, long Width) RunningGrid(long height, long width)
    {
        if (!RunsOnWholeRefinements) return (height, width);
        var (sh, sw) = Reference.Refinement(height, width);
        return (GridResolution.Scaled(Reference.Height, WholeAtLeast(sh), Reference.Convention),
            GridResolution.Scaled(Reference.Width, WholeAtLeast(sw), Reference.Convention));
    }

    static long WholeAtLeast(double refinement) => Math.Max(1, (long)Math.Ceiling(refinement - 1e-9));

    /// <summary>
    /// Maps (batch, in, H, W) to the network's output on any grid its layers can represent. Off the
    /// <see cref="RunningGrid"/>, the input is injected there (each point takes the nearest input
    /// value, so a field with jumps keeps its values) and the output is interpolated back
    /// bilinearly; the two grids' spacings differ by a factor that tends to 1 under refinement.
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        if (!RunsOnWholeRefinements || input.dim() != 4) return network.call(input);
        long height = input.shape[2], width = input.shape[3];
        var (runHeight, runWidth) = RunningGrid(height, width);
        if (runHeight == height && runWidth == width) return network.call(input);
        using var scope = NewDisposeScope();
        var output = network.call(GridResolution.Inject(input, runHeight, runWidth, Reference.Convention));
        return GridResolution.Resample(output, height, width, Reference.Convention).MoveToOuterDisposeScope();
    }
}
