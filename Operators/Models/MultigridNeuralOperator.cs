using PdeOps.Operators.Layers;
using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Models;

/// <summary>
/// The multigrid neural operator (He, Liu, Xu, "MgNO: Efficient parameterization of linear
/// operators via multigrid", ICLR 2024) on channels-first 2D fields (batch, channels, H, W) of any
/// size, odd sizes included.
/// </summary>
/// <remarks>
/// Layer i maps v to GELU(V_i(v) + W_i v + b_i), where V_i is a learned multigrid V-cycle
/// (<see cref="MultigridVCycle2d"/>) and W_i, b_i a pointwise linear map with bias. There is no
/// lifting: the first layer's V-cycle takes the input channels as its right-hand side. A pointwise
/// linear projection maps the last layer's channels to the output channels; with
/// <see cref="MgnoOptions.PositionalEmbedding"/> the first layer also takes the grid coordinates. The padding of every
/// convolution follows the boundary condition (<see cref="BoundaryPadding"/>).
/// <para>
/// With <see cref="MgnoOptions.DiscretizationConvergent"/> the model is an operator on functions
/// defined through its training grid: on any other grid the input is sampled at the training grid's
/// points (injection from a finer grid, bilinear interpolation from a coarser one), the network runs
/// there, and its output is interpolated bilinearly back to the grid given. Its output converges as
/// the grid is refined, to a limit that holds no detail finer than the training grid.
/// </para>
/// </remarks>
public sealed class MultigridNeuralOperator : NeuralOperatorModel
{
    /// <summary>The registry name of this model.</summary>
    public const string RegistryName = "mgno";

    private readonly ModuleList<MultigridVCycle2d> cycles = new();
    private readonly ModuleList<PointwiseLinear> pointwise = new();
    private readonly PointwiseLinear projection;
    private readonly MgnoOptions options;

    /// <summary>Builds the model; <paramref name="options"/> are validated first.</summary>
    public MultigridNeuralOperator(MgnoOptions options) : base(RegistryName)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = (MgnoOptions)options.Validated();
        for (int l = 0; l < options.Layers; l++)
        {
            int inChannels = l > 0 ? options.Width : options.FirstLayerChannels;
            cycles.Add(new MultigridVCycle2d(inChannels, options.Width, options.PreSmoothing, options.PostSmoothing, options.Boundary, $"vcycle{l}"));
            pointwise.Add(new PointwiseLinear(inChannels, options.Width, name: $"pointwise{l}"));
        }
        projection = new PointwiseLinear(options.Width, options.OutChannels, name: "projection");
        RegisterComponents();
    }

    /// <inheritdoc />
    public override string ModelName => RegistryName;

    /// <inheritdoc />
    public override NeuralOperatorOptions Options => options;

    /// <summary>The typed options the model was built from.</summary>
    public MgnoOptions MgnoOptions => options;

    /// <inheritdoc/>
    public override string? GridCaveat(IReadOnlyList<long> grid)
    {
        if (options.ReferenceGrid is not { } reference || grid.Count != 2 || reference.Matches(grid[0], grid[1])) return null;
        return grid[0] < reference.Height || grid[1] < reference.Width
            ? $"the discretization-convergent MgNO runs on its training grid {reference}: the coarser {grid[0]}x{grid[1]} input is interpolated up to it, which smooths the jumps its training data held"
            : null;
    }

    /// <summary>Maps (batch, in, H, W) to (batch, out, H, W).</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4 || input.shape[1] != options.InChannels)
            throw new ArgumentException($"MgNO expects (batch, {options.InChannels}, H, W), got ({string.Join(", ", input.shape)})", nameof(input));
        using var scope = NewDisposeScope();
        if (options.ReferenceGrid is { } reference && !reference.Matches(input.shape[2], input.shape[3]))
        {
            // The whole network runs on its training grid. A finer input is sampled there by injection, as the
            // training data were: interpolation would make values between a coefficient's jumps that it never saw,
            // and pointwise maps run on the finer grid would turn those jumps into jumps of the output.
            var restricted = input.shape[2] >= reference.Height && input.shape[3] >= reference.Width
                ? GridResolution.Inject(input, reference.Height, reference.Width, reference.Convention)
                : GridResolution.Resample(input, reference.Height, reference.Width, reference.Convention);
            return GridResolution.Resample(RunLayers(restricted), input.shape[2], input.shape[3], reference.Convention).MoveToOuterDisposeScope();
        }
        return RunLayers(input).MoveToOuterDisposeScope();
    }

    private Tensor RunLayers(Tensor input)
    {
        var v = options.PositionalEmbedding ? GridEmbedding.Append(input) : input;
        for (int l = 0; l < options.Layers; l++)
            v = F.gelu(cycles[l].call(v).Plus(pointwise[l].call(v)));
        return projection.call(v);
    }
}
