using System.Text.Json.Serialization;
using PdeOps.Operators.Layers;
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

    /// <summary>
    /// Fourier modes per axis of a spectral convolution beside each block's attention (0, the
    /// default: none). It acts on grids only, so a model with one takes no scattered point sets.
    /// </summary>
    public int Modes { get; init; }

    /// <summary>Zero padding in points of the spectral convolution's field on non-periodic grids (<see cref="DomainPadding"/>), at <see cref="PaddingReferenceSize"/>.</summary>
    public int Padding { get; init; } = DefaultPadding;

    /// <summary>Points per axis at which <see cref="Padding"/> holds; set to the training grid, so that the padding keeps its physical length on other grids.</summary>
    public int? PaddingReferenceSize { get; init; }

    /// <summary>
    /// Weight the spectral convolutions' padded field by the trapezoidal rule across the jumps
    /// between data and padding (<see cref="FnoOptions.TrapezoidalEdges"/>), so that the transform
    /// converges at second order and the model keeps its accuracy on finer grids.
    /// </summary>
    public bool TrapezoidalEdges { get; init; }

    /// <summary>The padding of non-periodic grids unless told otherwise (as the FNO's).</summary>
    public const int DefaultPadding = 9;

    /// <summary>True when the model has spectral convolutions.</summary>
    [JsonIgnore]
    public bool HasSpectralConvolution => Modes > 0;

    /// <summary>The padding's reference is the training grid.</summary>
    public override NeuralOperatorOptions ForTrainingGrid(IReadOnlyList<int> grid) =>
        HasSpectralConvolution && EffectivePadding > 0 && PaddingReferenceSize is null ? this with { PaddingReferenceSize = grid[0] } : this;

    /// <inheritdoc/>
    public override NeuralOperatorOptions WithoutEdgeSettings() => this with { Padding = 0, PaddingReferenceSize = null };

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming <see cref="Modes"/> when the spectral
    /// convolutions keep more modes than <paramref name="grid"/>, padded, resolves.
    /// </summary>
    public void CheckModesFit(IReadOnlyList<int> grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (HasSpectralConvolution) RequireModesFit(grid, Enumerable.Repeat(Modes, grid.Count).ToArray(), EffectivePadding);
    }

    /// <summary>The padding used: none on periodic grids.</summary>
    [JsonIgnore]
    public int EffectivePadding => Convention == GridConvention.Periodic ? 0 : Padding;

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
        Require(Modes >= 0, nameof(Modes), $"must not be negative, got {Modes}");
        Require(Padding >= 0, nameof(Padding), $"must not be negative, got {Padding}");
        Require(PaddingReferenceSize is null or >= 2, nameof(PaddingReferenceSize), $"must be at least 2 points, got {PaddingReferenceSize}");
        Require(!TrapezoidalEdges || (HasSpectralConvolution && EffectivePadding >= 1), nameof(TrapezoidalEdges), "needs spectral convolutions (modes) and a padding of at least 1 point");
        more();
        return this;
    }

    /// <summary>
    /// What the spectral convolutions add to a training's memory: parameters (complex weights of
    /// 2^(d-1) blocks of Modes^d per layer) and saved fields of Width channels per layer (about four
    /// on the padded grid); nothing without them.
    /// </summary>
    protected (double Parameters, double Fields) SpectralTerms(IReadOnlyList<int> grid) => HasSpectralConvolution
        ? (Layers * 2.0 * Width * Width * Math.Pow(Modes, Dimensions) * Math.Pow(2, Dimensions - 1),
           4.0 * Math.Pow(1 + (double)EffectivePadding / Math.Max(grid.Min(), 2), Dimensions))
        : (0, 0);

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
        var (spectralParameters, spectralFields) = SpectralTerms(grid);
        double parameters = SharedParameters() + spectralParameters + Layers * 4.0 * (Width * Width + Width);
        // Per block about 12 saved fields of Width channels; the softmax kernel's fused pass keeps no n x n matrix.
        return OptimizerBytes(parameters) + batch * points * (12.0 + spectralFields) * Layers * Width * 4;
    }
}

/// <summary>Options of <c>transolver</c>: blocks of <see cref="PhysicsAttention"/>.</summary>
public sealed record TransolverOptions : PointOperatorOptions
{
    /// <summary>Learned slices per block (Transolver's default for Darcy: 64).</summary>
    public int Slices { get; init; } = 32;

    /// <summary>
    /// Each attention head slices its own channels into its own <see cref="Slices"/> slices, as the
    /// published Transolver does; false (the default, and what checkpoints without the field hold):
    /// one slicing shared by the heads (<see cref="PhysicsAttention"/>).
    /// </summary>
    public bool SlicesPerHead { get; init; }

    private int TotalSlices => SlicesPerHead ? Slices * Heads : Slices;

    /// <inheritdoc/>
    public override NeuralOperatorOptions Validated() => ValidatedWith(() =>
        Require(Slices >= 2, nameof(Slices), $"must be at least 2, got {Slices}"));

    /// <inheritdoc/>
    public override double EstimateTrainingBytes(IReadOnlyList<int> grid, int batch)
    {
        double points = grid.Aggregate(1.0, (a, n) => a * n);
        var (spectralParameters, spectralFields) = SpectralTerms(grid);
        double parameters = SharedParameters() + spectralParameters + Layers * (6.0 * (Width * Width + Width) + (Width + 1.0) * TotalSlices);
        return OptimizerBytes(parameters) + batch * points * Layers * ((12.0 + spectralFields) * Width + 3.0 * TotalSlices) * 4;
    }
}
