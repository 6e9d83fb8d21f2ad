using PdeOps.Operators.Layers;
using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Models;

/// <summary>
/// An attention neural operator on a function's sample points (an OFormer / Galerkin-Transformer
/// style encoder, or Transolver with physics attention): the input channels and Fourier features
/// of the coordinates are lifted pointwise to <see cref="PointOperatorOptions.Width"/> channels,
/// pass <see cref="PointOperatorOptions.Layers"/> pre-norm blocks (x + mixer(LN x), then
/// x + MLP(LN x)) and are projected pointwise. The mixer integrates over the points with their
/// quadrature weights, so the model is defined on grids of any size and on scattered points:
/// <see cref="forward"/> takes fields on a grid, <see cref="ForwardPoints"/> takes point sets.
/// On grids either model may add a spectral convolution beside each block's attention
/// (<see cref="PointOperatorOptions.Modes"/>, as the Galerkin Transformer's spectral layers): the mixer
/// is then attention(LN x) + K(LN x), where K keeps the lowest Fourier modes of the zero-padded
/// field; such a model acts on grids only.
/// </summary>
public sealed class PointNeuralOperator : NeuralOperatorModel
{
    /// <summary>Registry name of the model with <see cref="IntegralAttention"/> blocks.</summary>
    public const string AttentionName = "attention";
    /// <summary>Registry name of the model with <see cref="PhysicsAttention"/> blocks.</summary>
    public const string TransolverName = "transolver";

    private readonly PointwiseLinear lifting;
    private readonly ModuleList<LayerNorm> mixerNorms = new();
    private readonly ModuleList<nn.Module> mixers = new();
    private readonly ModuleList<LayerNorm> mlpNorms = new();
    private readonly ModuleList<PointwiseLinear> mlpIn = new();
    private readonly ModuleList<PointwiseLinear> mlpOut = new();
    private readonly LayerNorm finalNorm;
    private readonly PointwiseLinear projection;
    private readonly ModuleList<SpectralConv> spectral = new();
    private readonly DomainPadding? spectralPadding;
    private readonly PointOperatorOptions options;
    private readonly string registryName;

    /// <summary>Builds the <c>attention</c> model.</summary>
    public PointNeuralOperator(AttentionOptions options) : this(options, AttentionName) { }

    /// <summary>Builds the <c>transolver</c> model.</summary>
    public PointNeuralOperator(TransolverOptions options) : this(options, TransolverName) { }

    private PointNeuralOperator(PointOperatorOptions options, string name) : base(name)
    {
        this.options = (PointOperatorOptions)options.Validated();
        registryName = name;
        int w = options.Width;
        if (options.HasSpectralConvolution)
            spectralPadding = new DomainPadding(options.EffectivePadding, options.PaddingReferenceSize, options.TrapezoidalEdges);
        lifting = new PointwiseLinear(options.InChannels + FourierFeatures.Channels(options.Dimensions, options.Frequencies), w, name: "lifting");
        for (int l = 0; l < options.Layers; l++)
        {
            mixerNorms.Add(nn.LayerNorm(w));
            mixers.Add(options switch
            {
                AttentionOptions a => new IntegralAttention(w, a.Heads, AttentionKernels.Create(a.Kernel), name: $"attention{l}"),
                TransolverOptions t => new PhysicsAttention(w, t.Heads, t.Slices, t.SlicesPerHead, name: $"physics{l}"),
                _ => throw new ArgumentException($"no mixer for {options.GetType().Name}", nameof(options)),
            });
            if (options.HasSpectralConvolution)
                spectral.Add(new SpectralConv(w, w, Enumerable.Repeat(options.Modes, options.Dimensions).ToArray(), name: $"spectral{l}"));
            mlpNorms.Add(nn.LayerNorm(w));
            mlpIn.Add(new PointwiseLinear(w, options.MlpRatio * w, name: $"mlp_in{l}"));
            mlpOut.Add(new PointwiseLinear(options.MlpRatio * w, w, name: $"mlp_out{l}"));
        }
        finalNorm = nn.LayerNorm(w);
        projection = new PointwiseLinear(w, options.OutChannels, name: "projection");
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override string ModelName => registryName;

    /// <inheritdoc/>
    public override NeuralOperatorOptions Options => options;

    /// <summary>True when the model takes scattered point sets (<see cref="ForwardPoints"/>): false with spectral convolutions, which need a grid.</summary>
    public bool AcceptsPointSets => spectralPadding is null;

    /// <inheritdoc/>
    public override string? GridCaveat(IReadOnlyList<long> grid) => spectralPadding?.Caveat(grid);

    /// <summary>Maps fields (batch, in, n1, ..., nd) on a grid of the unit cube to (batch, out, n1, ..., nd).</summary>
    public override Tensor forward(Tensor input)
    {
        int d = options.Dimensions;
        if (input.dim() != d + 2 || input.shape[1] != options.InChannels)
            throw new ArgumentException($"{registryName} expects (batch, {options.InChannels}{string.Concat(Enumerable.Repeat(", n", d))}), got ({string.Join(", ", input.shape)})", nameof(input));
        using var scope = NewDisposeScope();
        long batch = input.shape[0];
        int[] grid = input.shape[2..].Select(n => (int)n).ToArray();
        using var points = PointSet.Grid(grid, options.Convention, batch, input.dtype, input.device);
        var features = input.flatten(2).transpose(1, 2);                                     // (B, n, in)
        var output = Blocks(features, points, grid.Select(n => (long)n).ToArray());          // (B, n, out)
        return output.transpose(1, 2).reshape([batch, options.OutChannels, .. grid.Select(n => (long)n)]).MoveToOuterDisposeScope();
    }

    /// <summary>Maps input features (batch, n, in) at the points of <paramref name="points"/> to outputs (batch, n, out) there.</summary>
    /// <exception cref="InvalidOperationException">The model has spectral convolutions, which need a grid (<see cref="AcceptsPointSets"/>).</exception>
    public Tensor ForwardPoints(Tensor features, PointSet points)
    {
        if (!AcceptsPointSets)
            throw new InvalidOperationException($"this {registryName} model has spectral convolutions ({options.Modes} modes), which need a grid: give it fields on a grid, not a point set");
        return Blocks(features, points, grid: null);
    }

    // The blocks on the points; grid (points per axis, in the points' row-major order) enables the spectral convolutions.
    Tensor Blocks(Tensor features, PointSet points, long[]? grid)
    {
        if (features.dim() != 3 || features.shape[2] != options.InChannels || features.shape[1] != points.Count)
            throw new ArgumentException($"features must be (batch, {points.Count}, {options.InChannels}), got ({string.Join(", ", features.shape)})", nameof(features));
        if (points.Dimensions != options.Dimensions)
            throw new ArgumentException($"{registryName} was built for {options.Dimensions}D coordinates, got {points.Dimensions}D points", nameof(points));
        using var scope = NewDisposeScope();
        var encoded = cat([features, FourierFeatures.Encode(points.Coordinates.to(features.dtype), options.Frequencies)], 2);
        var x = lifting.ForwardChannelsLast(encoded);
        for (int l = 0; l < options.Layers; l++)
        {
            var normed = ((LayerNorm)mixerNorms[l]).call(x);
            x = x.Plus(mixers[l] switch
            {
                IntegralAttention a => a.Forward(normed, points),
                PhysicsAttention p => p.Forward(normed, points),
                _ => throw new InvalidOperationException("unknown mixer"),
            });
            if (spectralPadding is not null) x = x.Plus(Spectral(l, normed, grid!));
            x = x.Plus(mlpOut[l].ForwardChannelsLast(F.gelu(mlpIn[l].ForwardChannelsLast(((LayerNorm)mlpNorms[l]).call(x)))));
        }
        return projection.ForwardChannelsLast(finalNorm.call(x)).MoveToOuterDisposeScope();
    }

    // Block l's spectral convolution of (B, n, width) features on the grid, zero-padded on non-periodic grids.
    Tensor Spectral(int l, Tensor features, long[] grid)
    {
        var field = features.reshape([features.shape[0], .. grid, features.shape[2]]);
        var (padded, edgeWeights) = spectralPadding!.Pad(field, grid);
        var result = spectralPadding.Unpad(spectral[l].ForwardChannelsLast(edgeWeights is null ? padded : padded * edgeWeights), grid);
        return result.reshape(features.shape);
    }
}
