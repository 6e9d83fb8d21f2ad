using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers.Attention;

/// <summary>
/// Physics attention (Wu et al., "Transolver: A Fast Transformer Solver for PDEs on General
/// Geometries", ICML 2024) as quadratures: each point belongs softly to G learned slices,
/// a_ig = softmax_g(W_s f(x_i) / τ); a slice token is the weighted average of its points,
/// z_g = Σ_i w_i a_ig v(x_i) / Σ_i w_i a_ig, a quadrature of ∫ a_g(x) v(x) dx / ∫ a_g(x) dx;
/// the G tokens attend to each other (multi-head softmax); each point reads back its slices,
/// out(x_i) = W_o Σ_g a_ig z'_g. All projections are pointwise (no convolutions), so the layer is
/// independent of the sampling: O(n G C) work and no n x n matrix.
/// </summary>
public sealed class PhysicsAttention : nn.Module
{
    private readonly PointwiseLinear slicer;
    private readonly PointwiseLinear value;
    private readonly IntegralAttention tokens;
    private readonly PointwiseLinear output;
    private readonly Parameter logTemperature;

    /// <summary>Creates the layer.</summary>
    /// <param name="width">Feature channels in and out.</param>
    /// <param name="heads">Heads of the attention among slice tokens; must divide <paramref name="width"/>.</param>
    /// <param name="slices">Slices G.</param>
    /// <param name="name">Module name.</param>
    public PhysicsAttention(int width, int heads, int slices, string name = "physics_attention") : base(name)
    {
        if (slices < 2) throw new ArgumentOutOfRangeException(nameof(slices), slices, "at least two slices are needed");
        Width = width;
        Slices = slices;
        slicer = new PointwiseLinear(width, slices, name: "slicer");
        value = new PointwiseLinear(width, width, name: "value");
        tokens = new IntegralAttention(width, heads, new SoftmaxKernel(), name: "tokens");
        output = new PointwiseLinear(width, width, name: "output");
        // Learned softmax temperature, started at 0.5 as Transolver does.
        logTemperature = ParameterFactory.Create(tensor(Math.Log(0.5), dtype: float32));
        RegisterComponents();
    }

    /// <summary>Feature channels.</summary>
    public int Width { get; }
    /// <summary>Slices.</summary>
    public int Slices { get; }

    /// <summary>Values (batch x points x width) per chunk of points in slicing and deslicing; 0: all points at once (<see cref="IntegralAttention.ChunkElements"/>).</summary>
    public long ChunkElements { get; init; } = IntegralAttention.DefaultChunkElements;

    /// <summary>Maps features (batch, n, width) at the points of <paramref name="points"/> to (batch, n, width).</summary>
    public Tensor Forward(Tensor features, PointSet points)
    {
        if (features.dim() != 3 || features.shape[2] != Width || features.shape[1] != points.Count)
            throw new ArgumentException($"features must be (batch, {points.Count}, {Width}), got ({string.Join(", ", features.shape)})", nameof(features));
        using var scope = NewDisposeScope();
        // Slicing and deslicing stream over chunks of points (as IntegralAttention does), so each
        // chunk's intermediates stay in cache; the slice tokens are sums over the chunks.
        long n = features.shape[1], chunk = IntegralAttention.ChunkPoints(ChunkElements, features.shape[0], Width, n);
        var weights = points.Weights.to(features.dtype);
        var temperature = logTemperature.exp();
        var assignments = new List<Tensor>();
        Tensor? mass = null, sums = null;
        var parts = features.split(chunk, 1);
        var weightParts = weights.split(chunk, 1);
        for (int c = 0; c < parts.Length; c++)
        {
            var assignment = (slicer.ForwardChannelsLast(parts[c]) / temperature).softmax(-1);          // (B, c, G)
            var weighted = assignment * weightParts[c].unsqueeze(-1);                                   // w_i a_ig
            var partMass = weighted.sum(1);                                                             // (B, G)
            var partSums = weighted.transpose(1, 2).matmul(value.ForwardChannelsLast(parts[c]));       // (B, G, C)
            mass = mass is null ? partMass : mass.Plus(partMass);
            sums = sums is null ? partSums : sums.Plus(partSums);
            assignments.Add(assignment);
        }
        var sliceTokens = sums! / mass!.unsqueeze(-1);
        // Tokens are not points of the domain: each counts equally in their attention.
        using var tokenSet = new PointSet(zeros(sliceTokens.shape[0], Slices, 1, dtype: features.dtype, device: features.device),
            HeldScalars.Full([sliceTokens.shape[0], Slices], 1.0 / Slices, features.dtype, features.device));
        var mixed = tokens.Forward(sliceTokens, tokenSet);
        var outputs = assignments.Select(a => output.ForwardChannelsLast(a.matmul(mixed))).ToList();
        return (outputs.Count == 1 ? outputs[0] : cat(outputs, 1)).MoveToOuterDisposeScope();
    }
}
