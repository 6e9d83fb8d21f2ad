using PdeOps.Operators.Layers;

namespace PdeOps.Operators.Models;

/// <summary>
/// Architecture of a multigrid neural operator (<see cref="MultigridNeuralOperator"/>; He, Liu, Xu,
/// "MgNO: Efficient parameterization of linear operators via multigrid", ICLR 2024): the number
/// of layers, their channels, and the V-cycle every layer uses as its linear operator.
/// </summary>
public sealed record MgnoOptions : NeuralOperatorOptions
{
    /// <summary>Channels of the input field (the first layer maps them to <see cref="Width"/>; there is no lifting layer).</summary>
    public override int InChannels { get; init; } = 1;

    /// <summary>Channels of the output field.</summary>
    public override int OutChannels { get; init; } = 1;

    /// <summary>Channels of the hidden layers.</summary>
    public int Width { get; init; } = 32;

    /// <summary>Number of MgNO layers.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Grid levels of each V-cycle, the finest included.</summary>
    public int Levels { get; init; } = 4;

    /// <summary>Pre-smoothing steps per level, finest first; every entry at least 1. Length <see cref="Levels"/>.</summary>
    public int[] PreSmoothing { get; init; } = { 1, 1, 1, 1 };

    /// <summary>Post-smoothing steps per level, finest first; on the coarsest level they follow the pre-smoothing. Length <see cref="Levels"/>.</summary>
    public int[] PostSmoothing { get; init; } = { 1, 1, 1, 1 };

    /// <summary>Padding of every convolution, chosen by the boundary condition.</summary>
    public BoundaryPadding Boundary { get; init; } = BoundaryPadding.Dirichlet;

    /// <summary>
    /// Whether the model keeps its meaning on grids other than the training grid: there the whole
    /// network runs on the training grid, its input sampled at the training grid's points (injection
    /// from a finer grid, bilinear from a coarser one) and its output interpolated bilinearly back.
    /// On the training grid the model is the original MgNO, weight for weight, so a trained MgNO's
    /// checkpoint serves either form.
    /// </summary>
    public bool DiscretizationConvergent { get; init; }

    /// <summary>
    /// Whether the grid coordinates in [0, 1] are appended to the input channels, as FNO and the
    /// shipped CNNs do. Off in the paper's MgNO, whose convolutions alone make it translation
    /// equivariant; a map that is not (a fixed forcing term, as in the FNO Navier-Stokes benchmark)
    /// needs them.
    /// </summary>
    public bool PositionalEmbedding { get; init; }

    // Channels the first layer takes: the input's and, with the embedding, one coordinate per axis.
    internal int FirstLayerChannels => InChannels + (PositionalEmbedding ? 2 : 0);

    /// <summary>Points per axis of the training grid, the reference of <see cref="DiscretizationConvergent"/>; set from the training data.</summary>
    public int? ReferenceSize { get; init; }

    /// <summary>A discretization-convergent MgNO takes the training grid as its reference.</summary>
    public override NeuralOperatorOptions ForTrainingGrid(IReadOnlyList<int> grid) =>
        DiscretizationConvergent && ReferenceSize is null && grid.Count == 2 ? this with { ReferenceSize = grid[0] } : this;

    /// <summary>The reference grid of a discretization-convergent MgNO (64 points per axis when none was set), null otherwise.</summary>
    public ReferenceGrid2d? ReferenceGrid => DiscretizationConvergent
        ? new ReferenceGrid2d(ReferenceSize ?? 64, ReferenceSize ?? 64, Boundary == BoundaryPadding.Periodic ? Losses.GridConvention.Periodic : Losses.GridConvention.Closed)
        : null;

    /// <inheritdoc/>
    public override double EstimateTrainingBytes(IReadOnlyList<int> grid, int batch)
    {
        double steps = PreSmoothing.Sum() + PostSmoothing.Sum() + 2.0 * Levels;
        // 3x3 kernels of Width x Width channels for every smoothing step, restriction and prolongation.
        double parameters = Layers * steps * 9 * Width * (double)Width + (FirstLayerChannels + OutChannels + 2.0) * Width;
        double points = grid.Aggregate(1.0, (a, n) => a * (n + 2));
        // The hierarchy holds 4/3 of the finest grid in 2D; every step keeps its input for the backward pass.
        double activations = batch * points * 4.0 / 3 * Width * (double)Layers * steps * 2 * 4;
        return OptimizerBytes(parameters) + activations;
    }

    /// <summary>Options with <paramref name="levels"/> levels and the same smoothing counts on each.</summary>
    public static MgnoOptions WithLevels(int levels, int preSmoothing = 1, int postSmoothing = 1) => new()
    {
        Levels = levels,
        PreSmoothing = Enumerable.Repeat(preSmoothing, Math.Max(levels, 0)).ToArray(),
        PostSmoothing = Enumerable.Repeat(postSmoothing, Math.Max(levels, 0)).ToArray(),
    };

    /// <inheritdoc />
    public override NeuralOperatorOptions Validated()
    {
        Require(InChannels >= 1, nameof(InChannels), $"must be at least 1, got {InChannels}");
        Require(OutChannels >= 1, nameof(OutChannels), $"must be at least 1, got {OutChannels}");
        Require(Width >= 1, nameof(Width), $"must be at least 1, got {Width}");
        Require(Layers >= 1, nameof(Layers), $"must be at least 1, got {Layers}");
        Require(Levels >= 1, nameof(Levels), $"must be at least 1, got {Levels}");
        Require(PreSmoothing is not null && PreSmoothing.Length == Levels, nameof(PreSmoothing), $"needs one entry per level ({Levels})");
        Require(PostSmoothing is not null && PostSmoothing.Length == Levels, nameof(PostSmoothing), $"needs one entry per level ({Levels})");
        Require(PreSmoothing!.All(n => n >= 1), nameof(PreSmoothing), "every level needs at least one step");
        Require(PostSmoothing!.All(n => n >= 0), nameof(PostSmoothing), "steps cannot be negative");
        Require(Enum.IsDefined(Boundary), nameof(Boundary), $"unknown padding {Boundary}");
        Require(ReferenceSize is null or >= 2, nameof(ReferenceSize), $"must be at least 2 points, got {ReferenceSize}");
        return this;
    }
}
