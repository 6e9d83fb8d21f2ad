using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;

namespace PdeOps.Operators.Models;

/// <summary>
/// Options shared by the convolutional networks PdeOps ships in two forms, as built for one grid
/// (<c>unet</c>, <c>resnet</c>) and converted into neural operators (<c>unet-no</c>, <c>resnet-no</c>,
/// <see cref="Conversion.OperatorConversion"/>). The two forms have the same parameters, so a
/// checkpoint of one initialises the other.
/// </summary>
public abstract record ConvNetOptions : NeuralOperatorOptions
{
    /// <inheritdoc/>
    public override int InChannels { get; init; } = 1;
    /// <inheritdoc/>
    public override int OutChannels { get; init; } = 1;
    /// <summary>Channels of the first level or of every block.</summary>
    public int Width { get; init; } = 32;
    /// <summary>Where the grid points lie: sets spacings of the converted form and the padding (zeros on closed grids, circular on periodic ones).</summary>
    public GridConvention Convention { get; init; } = GridConvention.Closed;
    /// <summary>Points per axis of the training grid, on which the converted form computes what the original does; set from the training data.</summary>
    public int? ReferenceSize { get; init; }
    /// <summary>
    /// How the converted form carries its stride-1 convolutions to other grids; null: the model's
    /// own rule (fixed offsets for <c>unet-no</c> and <c>resnet-no</c>, kernel interpolation for
    /// <c>vit-no</c>). On the training grid every rule computes the same function, so it matters
    /// only for training on several grids (<c>--train-res</c>) and for use on other grids.
    /// </summary>
    public Conversion.ConvolutionRule? Convolutions { get; init; }

    /// <inheritdoc/>
    public override NeuralOperatorOptions ForTrainingGrid(IReadOnlyList<int> grid) =>
        ReferenceSize is null && grid.Count == 2 ? this with { ReferenceSize = grid[0] } : this;

    /// <summary>The reference grid of the converted form (the training grid, 64 points per axis when none was set).</summary>
    public ReferenceGrid2d ReferenceGrid => new(ReferenceSize ?? 64, ReferenceSize ?? 64, Convention);

    /// <summary>Checks the shared settings; <paramref name="more"/> adds the network's.</summary>
    protected NeuralOperatorOptions ValidatedWith(Action more)
    {
        Require(InChannels >= 1, nameof(InChannels), $"must be at least 1, got {InChannels}");
        Require(OutChannels >= 1, nameof(OutChannels), $"must be at least 1, got {OutChannels}");
        Require(Width >= 1, nameof(Width), $"must be at least 1, got {Width}");
        Require(Enum.IsDefined(Convention), nameof(Convention), $"unknown convention {Convention}");
        Require(Convolutions is null || Enum.IsDefined(Convolutions.Value), nameof(Convolutions), $"unknown convolution rule {Convolutions}");
        Require(ReferenceSize is null or >= 4, nameof(ReferenceSize), $"must be at least 4 points, got {ReferenceSize}");
        more();
        return this;
    }
}

/// <summary>A U-Net (<see cref="UNet"/>): its width doubles at each of <see cref="Levels"/> downsamplings.</summary>
public sealed record UNetOptions : ConvNetOptions
{
    /// <summary>Downsamplings by 2 (encoder levels below the finest).</summary>
    public int Levels { get; init; } = 3;

    /// <inheritdoc/>
    public override NeuralOperatorOptions Validated() => ValidatedWith(() =>
        Require(Levels is >= 1 and <= 6, nameof(Levels), $"must be 1 to 6, got {Levels}"));

    /// <inheritdoc/>
    public override double EstimateTrainingBytes(IReadOnlyList<int> grid, int batch)
    {
        double points = grid.Aggregate(1.0, (a, n) => a * n);
        double parameters = 0, activations = 0;
        for (int l = 0; l <= Levels; l++)
        {
            double c = Width * Math.Pow(2, l);
            parameters += 4 * 9 * c * c * 2;
            // Each level keeps about 12 feature maps of c channels on a grid 4^l times smaller, in both passes.
            activations += 12 * c * points / Math.Pow(4, l);
        }
        return OptimizerBytes(parameters) + batch * activations * 4 * 2;
    }
}

/// <summary>A residual CNN (<see cref="ResNet"/>) of <see cref="Layers"/> residual blocks at one width.</summary>
public sealed record ResNetOptions : ConvNetOptions
{
    /// <summary>Residual blocks, each two 3x3 convolutions.</summary>
    public int Layers { get; init; } = 4;

    /// <inheritdoc/>
    public override NeuralOperatorOptions Validated() => ValidatedWith(() =>
        Require(Layers is >= 1 and <= 64, nameof(Layers), $"must be 1 to 64, got {Layers}"));

    /// <inheritdoc/>
    public override double EstimateTrainingBytes(IReadOnlyList<int> grid, int batch)
    {
        double points = grid.Aggregate(1.0, (a, n) => a * n);
        double parameters = Layers * 2 * 9.0 * Width * Width + (InChannels + OutChannels + 2) * (double)Width;
        return OptimizerBytes(parameters) + batch * points * Width * (Layers * 6.0 + 4) * 4 * 2;
    }
}

/// <summary>A vision transformer (<see cref="VisionTransformer"/>): patches of <see cref="PatchSize"/> points, <see cref="Layers"/> transformer blocks of <see cref="Heads"/> heads.</summary>
public sealed record ViTOptions : ConvNetOptions
{
    /// <summary>Creates the options with a transformer's width (64).</summary>
    public ViTOptions() => Width = 64;

    /// <summary>Points per side of a patch on the reference grid.</summary>
    public int PatchSize { get; init; } = 4;
    /// <summary>Transformer blocks.</summary>
    public int Layers { get; init; } = 4;
    /// <summary>Attention heads; must divide the width.</summary>
    public int Heads { get; init; } = 4;

    /// <inheritdoc/>
    public override NeuralOperatorOptions Validated() => ValidatedWith(() =>
    {
        Require(PatchSize is >= 1 and <= 64, nameof(PatchSize), $"must be 1 to 64, got {PatchSize}");
        Require(Layers is >= 1 and <= 64, nameof(Layers), $"must be 1 to 64, got {Layers}");
        Require(Heads >= 1 && Width % Heads == 0, nameof(Heads), $"must divide the width ({Width}), got {Heads}");
        Require((ReferenceSize ?? 64) / PatchSize >= 2, nameof(PatchSize), $"{PatchSize} leaves fewer than 2 patches per axis on the {ReferenceSize ?? 64}-point training grid");
    });

    /// <inheritdoc/>
    public override double EstimateTrainingBytes(IReadOnlyList<int> grid, int batch)
    {
        double points = grid.Aggregate(1.0, (a, n) => a * n);
        double tokens = points / (PatchSize * (double)PatchSize);
        double parameters = Layers * 12.0 * Width * Width + 2.0 * PatchSize * PatchSize * Width * Width + 8.0 * Width * Width;
        // Per block about 16 token maps of the width, the attention's scores per head, and the pixel-side maps around the patching.
        double activations = Layers * (16 * tokens * Width + Heads * tokens * tokens) + 12 * points * Width;
        return OptimizerBytes(parameters) + batch * activations * 4 * 2;
    }
}
