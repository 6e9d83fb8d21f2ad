using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Models;

/// <summary>
/// The Fourier neural operator (Li, Kovachki, Azizzadenesheli, Liu, Bhattacharya, Stuart,
/// Anandkumar, "Fourier Neural Operator for Parametric Partial Differential Equations", ICLR 2021)
/// in 1, 2 or 3 dimensions, on channels-first fields (batch, channels, n1, ..., nd).
/// </summary>
/// <remarks>
/// Lifting: a pointwise linear map from the input channels (plus the grid coordinates when
/// <see cref="FnoOptions.PositionalEmbedding"/> is on) to <see cref="FnoOptions.Width"/>. Then the
/// field is padded with <see cref="FnoOptions.Padding"/> zeros at the end of every axis, so that the
/// Fourier layers do not treat a non-periodic problem as periodic, followed by L layers
/// v -> sigma(K v + W v) with K a spectral convolution, W a pointwise linear map and sigma GELU
/// (omitted after the last layer); with <see cref="FnoOptions.TrapezoidalEdges"/> K reads its input
/// weighted by <see cref="TrapezoidalEdgeWeights"/>. The padding is cropped and a pointwise two-layer network
/// (width -> projection width -> out, GELU between) gives the output. The model is
/// resolution-invariant: the same weights run on any grid holding the retained modes. Inputs and
/// outputs are channels-first; the hidden state is kept channels-last internally, where pointwise
/// maps are single matrix products.
/// </remarks>
public sealed class FourierNeuralOperator : NeuralOperatorModel
{
    /// <summary>The registry name of this model.</summary>
    public const string RegistryName = "fno";

    /// <summary>The registry name of the model with local kernels (<see cref="FnoOptions.LocalKernels"/>).</summary>
    public const string LocalRegistryName = "local-fno";

    private readonly PointwiseLinear lifting;
    private readonly ModuleList<SpectralConv> spectral = new();
    private readonly ModuleList<PointwiseLinear> skips = new();
    private readonly ModuleList<DiscoConv2d> localIntegrals = new();
    private readonly ModuleList<DifferentialConv2d> localDerivatives = new();
    private readonly PointwiseLinear projectionHidden;
    private readonly PointwiseLinear projectionOut;
    private readonly FnoOptions options;
    private readonly DomainPadding padding;

    /// <summary>Builds the model; <paramref name="options"/> are validated first.</summary>
    public FourierNeuralOperator(FnoOptions options) : base(options?.LocalKernels == true ? LocalRegistryName : RegistryName)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = (FnoOptions)options.Validated();
        padding = new DomainPadding(options.Padding, options.PaddingReferenceSize, options.TrapezoidalEdges);
        int lifted = options.InChannels + (options.PositionalEmbedding ? options.Dimensions : 0);
        lifting = new PointwiseLinear(lifted, options.Width, name: "lifting");
        for (int l = 0; l < options.Layers; l++)
        {
            spectral.Add(CreateSpectral(options, l));
            skips.Add(new PointwiseLinear(options.Width, options.Width, name: $"skip{l}"));
            if (!options.LocalKernels) continue;
            var convention = options.LocalKernelConvention;
            localIntegrals.Add(new DiscoConv2d(options.Width, options.Width, options.LocalRadius, convention: convention, hasBias: false, name: $"disco{l}"));
            // Stencils in units of the training grid's spacing train at a plain convolution's pace.
            int referenceSize = options.PaddingReferenceSize ?? DefaultDifferentialReference;
            var edges = convention == GridConvention.Periodic ? PaddingModes.Circular : PaddingModes.Replicate;
            var derivative = new DifferentialConv2d(options.Width, options.Width, 3, convention, edges, hasBias: false, name: $"differential{l}",
                reference: new ReferenceGrid2d(referenceSize, referenceSize, convention));
            localDerivatives.Add(derivative);
        }
        projectionHidden = new PointwiseLinear(options.Width, options.ProjectionWidth, name: "projection_hidden");
        projectionOut = new PointwiseLinear(options.ProjectionWidth, options.OutChannels, name: "projection_out");
        RegisterComponents();
    }

    /// <inheritdoc />
    public override string ModelName => options.LocalKernels ? LocalRegistryName : RegistryName;

    /// <inheritdoc />
    public override NeuralOperatorOptions Options => options;

    /// <summary>The typed options the model was built from.</summary>
    public FnoOptions FnoOptions => options;

    /// <summary>Maps (batch, in, n1, ..., nd) to (batch, out, n1, ..., nd).</summary>
    public override Tensor forward(Tensor input)
    {
        int d = options.Dimensions;
        if (input.dim() != d + 2 || input.shape[1] != options.InChannels)
            throw new ArgumentException(
                $"FNO-{d}D expects (batch, {options.InChannels}{string.Concat(Enumerable.Repeat(", n", d))}), got ({string.Join(", ", input.shape)})",
                nameof(input));
        using var scope = NewDisposeScope();
        long[] spatial = input.shape.Skip(2).ToArray();
        var x = options.PositionalEmbedding ? GridEmbedding.Append(input) : input;

        // The hidden state is channels-last (batch, n1, ..., nd, width): pointwise maps are then
        // single matrix products and element-wise operations run on contiguous memory.
        var toLast = new long[d + 2];
        for (int a = 0; a < d; a++) toLast[a + 1] = a + 2;
        toLast[d + 1] = 1;
        var v = lifting.ForwardChannelsLast(x.permute(toLast));
        (v, var edgeWeights) = padding.Pad(v, spatial);
        for (int l = 0; l < options.Layers; l++)
        {
            var transformed = edgeWeights is null ? v : v * edgeWeights;
            var local = options.LocalKernels ? LocalKernels(l, v, spatial) : null;
            bool activated = l < options.Layers - 1;
            if (local is null && FusedSkipActivation.Supports(v, skips[l]))
            {
                // Without gradients on the CPU the layer ends in one pass (FusedSkipActivation): over v from
                // each row's spectra where retained-mode DFTs transform the field, else over the integral.
                v = spectral[l].TryRowSpectra(transformed, out var rows, out var inverseW)
                    ? FusedSkipActivation.ApplyToRows(rows, inverseW, v, skips[l], activated)
                    : FusedSkipActivation.Apply(spectral[l].ForwardChannelsLast(transformed).contiguous(), v, skips[l], activated);
                continue;
            }
            var integral = spectral[l].ForwardChannelsLast(transformed);
            v = integral.Plus(skips[l].ForwardChannelsLast(v));
            if (local is not null) v = v.Plus(local);
            if (activated) v = F.gelu(v);
        }
        v = padding.Unpad(v, spatial);
        var output = Project(v);
        var toFirst = new long[d + 2];
        toFirst[1] = d + 1;
        for (int a = 0; a < d; a++) toFirst[a + 2] = a + 1;
        return output.permute(toFirst).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>Padding points of an axis of <paramref name="points"/> points (see <see cref="FnoOptions.PaddingReferenceSize"/>).</summary>
    public long PaddingOf(long points) => padding.PaddingOf(points);

    /// <summary>The exact, possibly fractional, padding an axis of <paramref name="points"/> points should have.</summary>
    public double ScaledPadding(long points) => padding.ScaledPadding(points);

    /// <inheritdoc/>
    public override string? GridCaveat(IReadOnlyList<long> grid) => padding.Caveat(grid);

    /// <summary>
    /// The pointwise projection width -> projection width -> out on a channels-last field, applied to
    /// groups of samples whose hidden activations stay near <see cref="ProjectionChunkBytes"/>: the
    /// hidden layer is the widest tensor of the model, and allocations that large are served by
    /// fresh, page-faulting memory on every step, which costs more than the product itself.
    /// Without gradients on the CPU the projection runs fused instead (<see cref="FusedPointwiseProjection"/>).
    /// </summary>
    private Tensor Project(Tensor v)
    {
        if (FusedPointwiseProjection.Supports(v, projectionHidden, projectionOut)) return FusedPointwiseProjection.Apply(v, projectionHidden, projectionOut);
        long batch = v.shape[0];
        long perSample = v.numel() / batch * options.ProjectionWidth / options.Width * v.element_size();
        long chunk = Math.Clamp(ProjectionChunkBytes / Math.Max(perSample, 1), 1, batch);
        if (chunk >= batch)
            return projectionOut.ForwardChannelsLast(F.gelu(projectionHidden.ForwardChannelsLast(v)));
        var parts = v.split(chunk, 0)
            .Select(part => projectionOut.ForwardChannelsLast(F.gelu(projectionHidden.ForwardChannelsLast(part))))
            .ToArray();
        return cat(parts, 0);
    }

    private const long ProjectionChunkBytes = 8L << 20;

    // Points per axis whose spacing is the differential kernels' unit when the training grid is unknown.
    private const int DefaultDifferentialReference = 64;

    /// <summary>
    /// Layer <paramref name="l"/>'s DISCO and differential kernels on the data part of the padded
    /// channels-last field <paramref name="v"/>, padded back with zeros: the kernels integrate and
    /// differentiate over the physical domain only, and their stencils are built for its spacing.
    /// </summary>
    private Tensor LocalKernels(int l, Tensor v, long[] spatial)
    {
        var field = padding.Unpad(v, spatial).permute(0, 3, 1, 2);
        var local = localIntegrals[l].call(field).Plus(localDerivatives[l].call(field));
        long padH = v.shape[1] - spatial[0], padW = v.shape[2] - spatial[1];
        return F.pad(local.permute(0, 2, 3, 1), new long[] { 0, 0, 0, padW, 0, padH });
    }

    private static SpectralConv CreateSpectral(FnoOptions o, int layer) =>
        new(o.Width, o.Width, o.Modes, o.Transform, name: $"spectral{layer}");
}
