using PdeOps.Operators.Conversion;
using PdeOps.Operators.Layers;
using static TorchSharp.torch;

namespace PdeOps.Operators.Models;

/// <summary>
/// A neural operator model made of a TorchSharp network: either as built for one grid
/// (<see cref="Plain"/>) or converted to act on any grid (<see cref="Converted"/>). Both forms
/// register the network's parameters under <c>network.</c> with the same names, so weights move
/// between them. Registered as <c>unet</c>, <c>unet-no</c>, <c>resnet</c>, <c>resnet-no</c>, <c>vit</c> and <c>vit-no</c>; a
/// user registers a network of their own the same way (see the README).
/// </summary>
public sealed class NetworkOperator : NeuralOperatorModel
{
    /// <summary>The U-Net as built for its training grid.</summary>
    public const string UNetName = "unet";
    /// <summary>The U-Net converted: convolutions with fixed offsets, strided and transposed ones resampled.</summary>
    public const string UNetOperatorName = "unet-no";
    /// <summary>The residual CNN as built for its training grid.</summary>
    public const string ResNetName = "resnet";
    /// <summary>The residual CNN converted: convolutions with fixed offsets.</summary>
    public const string ResNetOperatorName = "resnet-no";
    /// <summary>The vision transformer as built for its training grid.</summary>
    public const string ViTName = "vit";
    /// <summary>The vision transformer converted: patching resampled, attention and position embedding as functions.</summary>
    public const string ViTOperatorName = "vit-no";

    private readonly nn.Module<Tensor, Tensor> network;
    private readonly NeuralOperatorOptions options;
    private readonly string modelName;
    private readonly int inChannels;
    // The converted network's forward (which may run `network` on another grid); a delegate, so
    // the parameters stay registered once, under network.
    private readonly Func<Tensor, Tensor>? convertedForward;
    private readonly Func<long, long, (long Height, long Width)>? runningGrid;

    private NetworkOperator(string modelName, NeuralOperatorOptions options, nn.Module<Tensor, Tensor> network,
        ReferenceGrid2d? reference, IReadOnlyList<LayerConversion>? conversions, ConvertedNetwork? converted = null)
        : base(modelName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        this.modelName = modelName;
        this.options = options.Validated();
        this.network = network;
        inChannels = options.InChannels;
        Reference = reference;
        Conversions = conversions;
        convertedForward = converted is null ? null : converted.forward;
        runningGrid = converted is { RunsOnWholeRefinements: true } ? converted.RunningGrid : null;
        RegisterComponents();
    }

    /// <summary>A network used as it was built: its stencils act on whatever grid it is given.</summary>
    /// <param name="modelName">The registry name.</param>
    /// <param name="options">The options it was built from.</param>
    /// <param name="network">The network, (batch, in, H, W) to (batch, out, H, W).</param>
    /// <param name="trainingGrid">The grid it was built for, if known (for <see cref="GridCaveat"/>).</param>
    public static NetworkOperator Plain(string modelName, NeuralOperatorOptions options, nn.Module<Tensor, Tensor> network, ReferenceGrid2d? trainingGrid = null) =>
        new(modelName, options, network ?? throw new ArgumentNullException(nameof(network)), trainingGrid, null);

    /// <summary>A converted network (<see cref="OperatorConversion.Convert"/>).</summary>
    /// <param name="modelName">The registry name.</param>
    /// <param name="options">The options it was built from.</param>
    /// <param name="converted">The converted network.</param>
    public static NetworkOperator Converted(string modelName, NeuralOperatorOptions options, ConvertedNetwork converted)
    {
        ArgumentNullException.ThrowIfNull(converted);
        return new(modelName, options, converted.Network, converted.Reference, converted.Layers, converted);
    }

    /// <inheritdoc />
    public override string ModelName => modelName;

    /// <inheritdoc />
    public override NeuralOperatorOptions Options => options;

    /// <summary>The grid the network was built (and, converted, made exact) for, or null when unknown.</summary>
    public ReferenceGrid2d? Reference { get; }

    /// <summary>How each layer was converted, or null for a network used as built.</summary>
    public IReadOnlyList<LayerConversion>? Conversions { get; }

    /// <summary>Whether the network was converted to act on any grid.</summary>
    public bool IsConverted => Conversions is not null;

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != inChannels)
            throw new ArgumentException($"{modelName} expects (batch, {inChannels}, H, W), got ({string.Join(", ", input.shape)})", nameof(input));
        return convertedForward is not null ? convertedForward(input) : network.call(input);
    }

    /// <inheritdoc />
    public override string? GridCaveat(IReadOnlyList<long> grid)
    {
        if (Reference is null || grid.Count != 2 || Reference.Matches(grid[0], grid[1])) return null;
        if (!IsConverted)
            return $"{modelName} was built for {Reference}: its stencils act on the grid spacing, so on {grid[0]}x{grid[1]} it computes another operator (its converted form does not)";
        bool coarser = grid[0] < Reference.Height || grid[1] < Reference.Width;
        if (runningGrid is not null)
        {
            var (height, width) = runningGrid(grid[0], grid[1]);
            if (height == grid[0] && width == grid[1]) return null;
            return coarser
                ? $"{modelName} was converted on {Reference}: a coarser {grid[0]}x{grid[1]} input is injected into {Reference} and the output interpolated back, with no detail the input lacks"
                : $"{modelName} runs on {height}x{width} (its reference {Reference} refined by a whole factor) and interpolates its output to {grid[0]}x{grid[1]}";
        }
        return coarser
            ? $"{modelName} was converted on {Reference}: on the coarser {grid[0]}x{grid[1]} its kernels are sampled more coarsely than they were learned"
            : null;
    }
}
