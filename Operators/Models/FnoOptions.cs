using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;

namespace PdeOps.Operators.Models;

/// <summary>
/// Architecture of a Fourier neural operator (<see cref="FourierNeuralOperator"/>; Li et al., ICLR
/// 2021). The defaults are the paper's FNO-2D for Darcy flow: 4 Fourier layers, width 32, 12 modes
/// per axis, projection width 128, 9 points of domain padding, grid coordinates as extra inputs.
/// </summary>
public sealed record FnoOptions : NeuralOperatorOptions
{
    /// <summary>Spatial dimensions of the fields: 1, 2 or 3.</summary>
    public int Dimensions { get; init; } = 2;

    /// <summary>Channels of the input field (without the positional embedding).</summary>
    public override int InChannels { get; init; } = 1;

    /// <summary>Channels of the output field.</summary>
    public override int OutChannels { get; init; } = 1;

    /// <summary>Channels of the hidden representation.</summary>
    public int Width { get; init; } = 32;

    /// <summary>
    /// Fourier modes per axis, one entry per dimension: both signs of frequency are kept on every
    /// axis but the last, where the first Modes[^1] non-negative frequencies are kept.
    /// </summary>
    public int[] Modes { get; init; } = { DefaultModes, DefaultModes };

    /// <summary>Number of Fourier layers.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Hidden width of the two-layer pointwise projection.</summary>
    public int ProjectionWidth { get; init; } = 128;

    /// <summary>Grid points appended at the end of every axis after lifting and cropped before the projection (0 for periodic problems).</summary>
    public int Padding { get; init; } = 9;

    /// <summary>
    /// When set, the padding scales with the grid so that the padded region keeps one physical length
    /// at every resolution: an axis of n points gets round(Padding (n - 1) / (PaddingReferenceSize - 1))
    /// points, or with <see cref="TrapezoidalEdges"/> round((Padding + 1) (n - 1) / (PaddingReferenceSize - 1)) - 1. Zero-shot evaluation at other resolutions needs this, and is most accurate where the
    /// scaled padding is a whole number (see <see cref="FourierNeuralOperator.GridCaveat"/>).
    /// Null pads every grid by <see cref="Padding"/> points.
    /// </summary>
    public int? PaddingReferenceSize { get; init; }

    /// <summary>
    /// Whether the Fourier layers weight the padded field by the trapezoidal rule across the jumps
    /// between data and padding (<see cref="TrapezoidalEdgeWeights"/>): the data then fill exactly
    /// [0, 1] and the padded interval is Padding + 1 spacings long, so that with
    /// <see cref="PaddingReferenceSize"/> set the period of the Fourier layers is the same at every
    /// resolution and their transforms converge at second order rather than first under refinement,
    /// which is what zero-shot evaluation on finer grids needs. Off in the paper's FNO; needs a padding.
    /// </summary>
    public bool TrapezoidalEdges { get; init; }

    /// <summary>Whether the grid coordinates in [0, 1] are appended to the input channels.</summary>
    public bool PositionalEmbedding { get; init; } = true;

    /// <summary>
    /// Whether every Fourier layer adds local kernels beside the spectral convolution and the skip:
    /// a DISCO convolution of physical radius <see cref="LocalRadius"/> and a 3-point differential
    /// kernel (neuraloperator's local neural operator block; Liu-Schiaffini et al., ICML 2024), both
    /// discretization-agnostic. Registered as <c>local-fno</c>; 2D only.
    /// </summary>
    public bool LocalKernels { get; init; }

    /// <summary>Physical radius of the DISCO kernels of <see cref="LocalKernels"/>, in units of the domain's side.</summary>
    public double LocalRadius { get; init; } = DefaultLocalRadius;

    // Padded fields are closed grids; unpadded ones are taken as periodic, the FNO's own view of them.
    internal GridConvention LocalKernelConvention => Padding > 0 ? GridConvention.Closed : GridConvention.Periodic;

    /// <summary>The default <see cref="LocalRadius"/>: about 2.5 spacings of an 85-point grid, a 5x5 stencil there.</summary>
    public const double DefaultLocalRadius = 0.03;

    /// <summary>How 2D Fourier layers compute the retained spectrum.</summary>
    public SpectralTransform Transform { get; init; } = SpectralTransform.Auto;

    /// <summary>
    /// A padded FNO keeps its padding's physical length on other grids: the training grid becomes the
    /// padding's reference. It is also the unit of the differential kernels of <see cref="LocalKernels"/>.
    /// </summary>
    public override NeuralOperatorOptions ForTrainingGrid(IReadOnlyList<int> grid) =>
        (Padding > 0 || LocalKernels) && PaddingReferenceSize is null ? this with { PaddingReferenceSize = grid[0] } : this;

    /// <summary>
    /// The padding and its reference cleared, unless the differential kernels of
    /// <see cref="LocalKernels"/> take their unit from the reference.
    /// </summary>
    public override NeuralOperatorOptions WithoutEdgeSettings() => LocalKernels ? this : this with { Padding = 0, PaddingReferenceSize = null };

    /// <inheritdoc/>
    public override double EstimateTrainingBytes(IReadOnlyList<int> grid, int batch)
    {
        double modes = Modes.Aggregate(1.0, (a, m) => a * m) * Math.Pow(2, Dimensions - 1);
        double parameters = Layers * (2 * modes * Width * (double)Width + Width * (double)Width + Width)
            + (InChannels + Dimensions + 1.0) * Width + Width * (double)ProjectionWidth + ProjectionWidth * (double)OutChannels;
        double points = grid.Aggregate(1.0, (a, n) => a * (n + Padding));
        // Per layer the backward pass keeps the input, the spectral and skip outputs, their sum and
        // the activation (about 6 fields of Width channels); the projection adds 2 ProjectionWidth.
        // Local kernels keep about 4 more (the cropped input, both outputs, the padded sum).
        double perLayer = LocalKernels ? 10.0 : 6.0;
        double activations = batch * points * (perLayer * Layers * Width + 2.0 * ProjectionWidth) * 4;
        return OptimizerBytes(parameters) + activations;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming <see cref="Modes"/> when a grid of
    /// <paramref name="grid"/> points per axis, padded by <see cref="Padding"/>, resolves fewer
    /// Fourier modes than kept: non-negative ones on the last axis (rfft), each sign on the others.
    /// </summary>
    public void CheckModesFit(IReadOnlyList<int> grid) => RequireModesFit(grid, Modes, Padding);

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming <see cref="LocalRadius"/> when
    /// <see cref="LocalKernels"/> are on and a grid of <paramref name="grid"/> points per axis is so
    /// coarse that the DISCO disk holds no neighbour of a point: its ring basis functions would
    /// then sample nothing.
    /// </summary>
    public void CheckLocalKernelsFit(IReadOnlyList<int> grid)
    {
        if (!LocalKernels) return;
        var convention = LocalKernelConvention;
        foreach (int n in grid)
        {
            double spacing = GridResolution.Spacing(n, convention);
            Require(LocalRadius > spacing, nameof(LocalRadius),
                $"{LocalRadius} does not reach the neighbours of a point on a {n}-point grid (spacing {spacing:G3}); use more than {spacing:G3}");
        }
    }

    /// <summary>The FNO-2D configuration of the paper (the defaults).</summary>
    public static FnoOptions Paper2d => new();

    /// <summary>Fourier modes kept per axis by default in 1D (the paper's FNO-1D for Burgers).</summary>
    public const int DefaultModes1d = 16;

    /// <summary>Fourier modes kept per axis by default in 2D and 3D (the paper's FNO-2D and FNO-3D).</summary>
    public const int DefaultModes = 12;

    /// <summary>
    /// The paper's configuration for <paramref name="dimensions"/>-dimensional fields on grids of
    /// <paramref name="convention"/>: width 32, 4 layers, <see cref="DefaultModes1d"/> modes in 1D and
    /// <see cref="DefaultModes"/> per axis otherwise; 9 points of domain padding on closed grids and
    /// none on periodic ones, whose fields the Fourier layers already see as periodic.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is not 1, 2 or 3.</exception>
    public static FnoOptions Defaults(int dimensions, GridConvention convention)
    {
        if (dimensions is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "must be 1, 2 or 3");
        var paper = new FnoOptions();
        return paper with
        {
            Dimensions = dimensions,
            Modes = Enumerable.Repeat(dimensions == 1 ? DefaultModes1d : DefaultModes, dimensions).ToArray(),
            Padding = convention == GridConvention.Periodic ? 0 : paper.Padding,
        };
    }

    /// <inheritdoc />
    public override NeuralOperatorOptions Validated()
    {
        Require(Dimensions is >= 1 and <= 3, nameof(Dimensions), $"must be 1, 2 or 3, got {Dimensions}");
        Require(InChannels >= 1, nameof(InChannels), $"must be at least 1, got {InChannels}");
        Require(OutChannels >= 1, nameof(OutChannels), $"must be at least 1, got {OutChannels}");
        Require(Width >= 1, nameof(Width), $"must be at least 1, got {Width}");
        Require(Modes is not null && Modes.Length == Dimensions, nameof(Modes), $"needs one entry per dimension ({Dimensions})");
        Require(Modes!.All(m => m >= 1), nameof(Modes), "every entry must be at least 1");
        Require(Layers >= 1, nameof(Layers), $"must be at least 1, got {Layers}");
        Require(ProjectionWidth >= 1, nameof(ProjectionWidth), $"must be at least 1, got {ProjectionWidth}");
        Require(Padding >= 0, nameof(Padding), $"must not be negative, got {Padding}");
        Require(!TrapezoidalEdges || Padding >= 1, nameof(TrapezoidalEdges), "needs a padding of at least 1 point");
        Require(!LocalKernels || Dimensions == 2, nameof(LocalKernels), $"local kernels work on 2D fields, not {Dimensions}D");
        Require(double.IsFinite(LocalRadius) && LocalRadius is > 0 and < 0.5, nameof(LocalRadius), $"must lie in (0, 0.5), got {LocalRadius}");
        Require(PaddingReferenceSize is null or >= 2, nameof(PaddingReferenceSize), $"must be at least 2 points, got {PaddingReferenceSize}");
        return this;
    }
}
