using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Losses;

namespace PdeOps.Operators.Models;

/// <summary>
/// Options shared by the attention neural operators, which act on a function's sample points:
/// pointwise lifting of the input channels and Fourier features of the coordinates, blocks of
/// pre-norm attention and MLP with residuals, pointwise projection.
/// </summary>
public abstract record PointOperatorOptions : NeuralOperatorOptions
{
    /// <inheritdoc/>
    public override int InChannels { get; init; } = 1;
    /// <inheritdoc/>
    public override int OutChannels { get; init; } = 1;
    /// <summary>Spatial dimensions of the grids the model is given (its point sets may be any).</summary>
    public int Dimensions { get; init; } = 2;
    /// <summary>Hidden feature channels.</summary>
    public int Width { get; init; } = 64;
    /// <summary>Attention heads; must divide <see cref="Width"/>.</summary>
    public int Heads { get; init; } = 4;
    /// <summary>Attention blocks.</summary>
    public int Layers { get; init; } = 4;
    /// <summary>Frequencies per axis of the coordinates' Fourier features (<see cref="FourierFeatures"/>).</summary>
    public int Frequencies { get; init; } = 8;
    /// <summary>Hidden width of each block's MLP as a multiple of <see cref="Width"/>.</summary>
    public int MlpRatio { get; init; } = 2;
    /// <summary>How grid inputs are integrated: trapezoidal weights on closed vertex grids, equal weights on periodic ones.</summary>
    public GridConvention Convention { get; init; } = GridConvention.Closed;

    /// <summary>Checks the shared settings; <paramref name="more"/> adds the kernel's.</summary>
    protected NeuralOperatorOptions ValidatedWith(Action more)
    {
        Require(InChannels >= 1, nameof(InChannels), $"must be at least 1, got {InChannels}");
        Require(OutChannels >= 1, nameof(OutChannels), $"must be at least 1, got {OutChannels}");
        Require(Dimensions is >= 1 and <= 3, nameof(Dimensions), $"must be 1, 2 or 3, got {Dimensions}");
        Require(Width >= 1, nameof(Width), $"must be at least 1, got {Width}");
        Require(Heads >= 1 && Width % Heads == 0, nameof(Heads), $"must divide the width {Width}, got {Heads}");
        Require(Layers >= 1, nameof(Layers), $"must be at least 1, got {Layers}");
        Require(Frequencies >= 1, nameof(Frequencies), $"must be at least 1, got {Frequencies}");
        Require(MlpRatio >= 1, nameof(MlpRatio), $"must be at least 1, got {MlpRatio}");
        Require(Enum.IsDefined(Convention), nameof(Convention), $"unknown grid convention {Convention}");
        more();
        return this;
    }

    /// <summary>Parameters of the shared parts (lifting, blocks without their mixer, projection).</summary>
    protected double SharedParameters() =>
        (InChannels + FourierFeatures.Channels(Dimensions, Frequencies) + 1.0) * Width
        + Layers * (2.0 * MlpRatio * Width * Width + 4.0 * Width) + (Width + 1.0) * OutChannels;
}

/// <summary>Options of <c>attention</c>: blocks of <see cref="IntegralAttention"/> with a named kernel.</summary>
public sealed record AttentionOptions : PointOperatorOptions
{
    /// <summary>The kernel: "linear" (Galerkin, the default), "softmax" or "sigmoid" (<see cref="AttentionKernels"/>).</summary>
    public string Kernel { get; init; } = LinearKernel.KernelName;

    /// <inheritdoc/>
    public override NeuralOperatorOptions Validated() => ValidatedWith(() =>
        Require(AttentionKernels.Names.Contains(Kernel, StringComparer.OrdinalIgnoreCase), nameof(Kernel),
            $"unknown kernel '{Kernel}'; known kernels: {string.Join(", ", AttentionKernels.Names)}"));

    /// <inheritdoc/>
    public override double EstimateTrainingBytes(IReadOnlyList<int> grid, int batch)
    {
        double points = grid.Aggregate(1.0, (a, n) => a * n);
        double parameters = SharedParameters() + Layers * 4.0 * (Width * Width + Width);
        // Per block about 12 saved fields of Width channels; the softmax kernel's fused pass keeps no n x n matrix.
        return OptimizerBytes(parameters) + batch * points * 12.0 * Layers * Width * 4;
    }
}

/// <summary>Options of <c>transolver</c>: blocks of <see cref="PhysicsAttention"/>.</summary>
public sealed record TransolverOptions : PointOperatorOptions
{
    /// <summary>Learned slices per block (Transolver's default for Darcy: 64).</summary>
    public int Slices { get; init; } = 32;

    /// <inheritdoc/>
    public override NeuralOperatorOptions Validated() => ValidatedWith(() =>
        Require(Slices >= 2, nameof(Slices), $"must be at least 2, got {Slices}"));

    /// <inheritdoc/>
    public override double EstimateTrainingBytes(IReadOnlyList<int> grid, int batch)
    {
        double points = grid.Aggregate(1.0, (a, n) => a * n);
        double parameters = SharedParameters() + Layers * (6.0 * (Width * Width + Width) + (Width + 1.0) * Slices);
        return OptimizerBytes(parameters) + batch * points * Layers * (12.0 * Width + 3.0 * Slices) * 4;
    }
}
