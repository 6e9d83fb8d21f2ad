using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Pinn;
using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Hypino;

/// <summary>
/// HyPINO's hypernetwork (Bischof et al. 2025, "Multi-Physics Neural Operators via HyperPINNs and
/// the Method of Manufactured Solutions"): it reads a problem as the five grid channels of
/// <see cref="Physics.Manufactured.ProblemRendering"/> (Dirichlet mask, Neumann mask, Dirichlet
/// values, Neumann values, sign(f) log(1 + |f|)) and the operator's six coefficients, and writes
/// every weight and bias of a <see cref="PinnOptions"/> network that solves it.
/// </summary>
/// <remarks>
/// A convolution stem cuts the grid into patch tokens; hierarchical stages (<see cref="HypinoStage"/>)
/// of integral attention over the tokens, FiLM-conditioned on Fourier features of the coefficients,
/// halve the token grid and double the channels between stages with a 2 x 2 strided convolution;
/// every stage is summarised by attention pooling; an MLP on the summaries feeds one linear head
/// per PINN parameter tensor. The heads' biases start at a Xavier-initialised PINN and their weights
/// small, so an untrained hypernetwork writes nearly one ordinary random PINN for every problem.
/// </remarks>
public sealed class HypinoNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Conv2d stem;
    private readonly ModuleList<Conv2d> merges = new();
    private readonly ModuleList<HypinoStage> stages = new();
    private readonly LayerNorm summaryNorm;
    private readonly Linear hidden;
    private readonly ModuleList<Linear> heads = new();
    private readonly Tensor frequencies;
    private readonly IReadOnlyList<(string Name, long[] Shape)> parameterShapes;
    // Parameters of the PINN's output layer (weights and bias), the last of the flat layout.
    private readonly long outputParameters;

    /// <summary>Creates the network with random weights (seeded by <see cref="PinnOptions.Seed"/> for the heads' starting PINN).</summary>
    /// <exception cref="ArgumentException">The options do not describe a network.</exception>
    public HypinoNetwork(HypinoOptions options) : base("hypino")
    {
        Options = options.Validated();
        int conditionFeatures = HypinoOptions.Coefficients * (1 + 2 * options.Frequencies);
        stem = nn.Conv2d(5, options.Embedding, options.PatchSize, stride: options.PatchSize);
        int summary = 0;
        for (int s = 0; s < options.Depths.Count; s++)
        {
            int width = options.Channels(s);
            if (s > 0) merges.Add(nn.Conv2d(options.Channels(s - 1), width, 2, stride: 2));
            stages.Add(new HypinoStage(width, options.Depths[s], options.Heads, options.Kernel, options.Frequencies, conditionFeatures, $"stage{s}"));
            summary += width;
        }
        summaryNorm = nn.LayerNorm(summary);
        hidden = nn.Linear(summary, options.HeadWidth);
        parameterShapes = options.Pinn.ParameterShapes();
        using var start = new PinnNetwork(options.Pinn);
        var startWeights = start.Weights;
        foreach (var (name, shape) in parameterShapes)
        {
            var head = nn.Linear(options.HeadWidth, shape.Aggregate(1L, (a, b) => a * b));
            using (no_grad())
            {
                head.weight!.ScaleInPlace(0.05);
                head.bias!.copy_(startWeights[name].reshape(-1));
            }
            heads.Add(head);
        }
        frequencies = HeldScalars.Range(1, options.Frequencies + 1, float32);
        register_buffer("coefficient_frequencies", frequencies);
        PinnFrequencies = BatchedPinn.Frequencies(options.Pinn);
        register_buffer("pinn_frequencies", PinnFrequencies);
        var output = parameterShapes.SkipWhile(p => !PinnOutputLayer.Holds(p.Name)).ToList();
        if (output.Count == 0 || output.Any(p => !PinnOutputLayer.Holds(p.Name)))
            throw new InvalidOperationException("the PINN's output layer must be its last parameters");
        outputParameters = output.Sum(p => p.Shape.Aggregate(1L, (a, b) => a * b));
        RegisterComponents();
    }

    /// <summary>The network's shape.</summary>
    public HypinoOptions Options { get; }

    /// <summary>The fixed Fourier frequencies of the generated PINNs (<see cref="BatchedPinn.Frequencies"/>).</summary>
    public Tensor PinnFrequencies { get; }

    /// <summary>Parameters of one generated PINN.</summary>
    public long PinnParameterCount => parameterShapes.Sum(p => p.Shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>
    /// The PINN parameters for problems given as <paramref name="channels"/> (batch, 5, R, R) and
    /// <paramref name="coefficients"/> (batch, 6); returns them flat, (batch, <see cref="PinnParameterCount"/>),
    /// in the order of <see cref="PinnOptions.ParameterShapes"/>.
    /// </summary>
    public override Tensor forward(Tensor channels, Tensor coefficients)
    {
        var (flat, factor) = Write(channels, coefficients);
        return factor is null ? flat : Multiplied(flat, factor.reciprocal());
    }

    /// <summary>The flat parameters (batch, P) of PINNs whose answers are those of <paramref name="flat"/> times <paramref name="multiplier"/> (batch).</summary>
    internal Tensor Multiplied(Tensor flat, Tensor multiplier)
    {
        // u is linear in the output layer, the last parameters: multiplying its weights and bias multiplies u.
        long inner = flat.shape[1] - outputParameters;
        return cat([flat.narrow(1, 0, inner), flat.narrow(1, inner, outputParameters) * multiplier.unsqueeze(1)], 1);
    }

    /// <summary>
    /// The PINN parameters for the problems as the network reads them, and the factor (batch) their
    /// data were multiplied by when <see cref="HypinoOptions.InputMagnitude"/> is set (null otherwise):
    /// those PINNs answer the problems with their data multiplied by it.
    /// </summary>
    internal (Tensor Flat, Tensor? Factor) Write(Tensor channels, Tensor coefficients)
    {
        int r = Options.Resolution;
        if (channels.dim() != 4 || channels.shape[1] != 5 || channels.shape[2] != r || channels.shape[3] != r)
            throw new ArgumentException($"channels must be (batch, 5, {r}, {r}), got ({string.Join(", ", channels.shape)})", nameof(channels));
        if (coefficients.dim() != 2 || coefficients.shape[0] != channels.shape[0] || coefficients.shape[1] != HypinoOptions.Coefficients)
            throw new ArgumentException($"coefficients must be ({channels.shape[0]}, {HypinoOptions.Coefficients}), got ({string.Join(", ", coefficients.shape)})", nameof(coefficients));
        long batch = channels.shape[0];
        Tensor? factor = null;
        if (Options.InputMagnitude is { } target)
        {
            factor = DataMagnitude(channels).AtLeast(SmallestDataMagnitude).reciprocal().Times(target);  // (B)
            channels = Scaled(channels, factor);
        }
        var condition = ConditionFeatures(coefficients);
        var grid = stem.call(channels);                                              // (B, C0, n0, n0)
        var summaries = new List<Tensor>();
        for (int s = 0; s < stages.Count; s++)
        {
            if (s > 0) grid = merges[s - 1].call(grid);
            int side = Options.TokensPerSide(s), width = Options.Channels(s);
            using var points = PointSet.Grid([side, side], GridConvention.Closed, batch, channels.dtype, channels.device);
            var tokens = grid.flatten(2).transpose(1, 2);                              // (B, n, C)
            var (next, pooled) = stages[s].Forward(tokens, points, condition);
            summaries.Add(pooled);
            grid = next.transpose(1, 2).reshape(batch, width, side, side);
        }
        var h = F.gelu(hidden.call(summaryNorm.call(cat(summaries, 1))));
        return (cat(heads.Select(head => head.call(h)).ToArray(), 1), factor);
    }

    /// <summary>
    /// The smallest data size <see cref="HypinoOptions.InputMagnitude"/> scales exactly: smaller data
    /// (zero data among them) are scaled as if they had this size. Far below the sizes problems are
    /// written in, and far enough above single precision's smallest normal number (1.2e-38) that the
    /// scaled data and the answer scaled back keep their precision.
    /// </summary>
    public const double SmallestDataMagnitude = 1e-30;

    /// <summary>
    /// The size of each problem's data in <paramref name="channels"/> (batch, 5, R, R): the largest
    /// |Dirichlet value| or |Neumann value|, or a tenth of the largest |f| when that is larger (the
    /// rule refinement scales residual problems by); returns (batch). The rendering writes f on the
    /// domain only (0 in holes), so a source that grows inside a hole does not size the problem.
    /// </summary>
    public static Tensor DataMagnitude(Tensor channels)
    {
        var boundary = channels.narrow(1, 2, 2).abs().flatten(1).amax(1);
        var source = channels.select(1, 4).abs().expm1().flatten(1).amax(1).Over(10);
        return maximum(boundary, source);
    }

    // The channels of the problems with their data multiplied by factor (batch): the values
    // directly, the source through its sign(f) log(1 + |f|) encoding.
    static Tensor Scaled(Tensor channels, Tensor factor)
    {
        var k = factor.reshape(-1, 1, 1);
        var masks = channels.narrow(1, 0, 2);
        var values = channels.narrow(1, 2, 2) * k.unsqueeze(1);
        var source = channels.select(1, 4);
        var scaledSource = source.sign() * (source.abs().expm1() * k).log1p();
        return cat([masks, values, scaledSource.unsqueeze(1)], 1);
    }

    /// <summary>Splits flat parameters (batch, P) into the named tensors (batch, shape...) <see cref="BatchedPinn.Evaluate"/> takes.</summary>
    public IReadOnlyDictionary<string, Tensor> Split(Tensor flat)
    {
        var named = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        long offset = 0;
        foreach (var (name, shape) in parameterShapes)
        {
            long count = shape.Aggregate(1L, (a, b) => a * b);
            named[name] = flat.narrow(1, offset, count).reshape([flat.shape[0], .. shape]);
            offset += count;
        }
        return named;
    }

    /// <summary>u of the generated PINNs at points (batch, P, 2) on [−1, 1]²; returns (batch, P).</summary>
    public Tensor EvaluatePinns(Tensor flat, Tensor points) => BatchedPinn.Evaluate(Options.Pinn, Split(flat), PinnFrequencies, points);

    // [c, sin(k c), cos(k c)] for k = 1..K per coefficient: (B, 6 (1 + 2K)).
    Tensor ConditionFeatures(Tensor coefficients)
    {
        var phases = (coefficients.unsqueeze(-1) * frequencies.to(coefficients.dtype)).flatten(1);
        return cat([coefficients, phases.sin(), phases.cos()], 1);
    }
}
