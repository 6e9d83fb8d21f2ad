using PdeOps.Operators.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers.Attention;

/// <summary>
/// Physics attention (Wu et al., "Transolver: A Fast Transformer Solver for PDEs on General
/// Geometries", ICML 2024) as quadratures: each point belongs softly to G learned slices,
/// a_ig = softmax_g(W_s f(x_i) / τ); a slice token is the weighted average of its points,
/// z_g = Σ_i w_i a_ig v(x_i) / Σ_i w_i a_ig, a quadrature of ∫ a_g(x) v(x) dx / ∫ a_g(x) dx;
/// the G tokens attend to each other (softmax); each point reads back its slices,
/// out(x_i) = W_o Σ_g a_ig z'_g. All projections are pointwise (no convolutions), so the layer is
/// independent of the sampling: O(n G C) work and no n x n matrix.
/// <para>
/// Slicing is shared by all heads (one set of G slices over all C channels, multi-head attention
/// among the tokens), or per head as the published Transolver does: head h has its own G slices
/// and temperature, its tokens carry its C/H channels, and the token attention of every head uses
/// the same (C/H)-channel projections.
/// </para>
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
    /// <param name="heads">Attention heads; must divide <paramref name="width"/>.</param>
    /// <param name="slices">Slices G (of each head when <paramref name="slicesPerHead"/>).</param>
    /// <param name="slicesPerHead">Each head slices its own channels into its own G slices (published Transolver); false: one slicing shared by the heads.</param>
    /// <param name="name">Module name.</param>
    public PhysicsAttention(int width, int heads, int slices, bool slicesPerHead = false, string name = "physics_attention") : base(name)
    {
        if (slices < 2) throw new ArgumentOutOfRangeException(nameof(slices), slices, "at least two slices are needed");
        if (width < 1 || heads < 1 || width % heads != 0)
            throw new ArgumentException($"the width ({width}) must be a positive multiple of the heads ({heads})", nameof(heads));
        Width = width;
        Slices = slices;
        SlicingHeads = slicesPerHead ? heads : 1;
        slicer = new PointwiseLinear(width, SlicingHeads * slices, name: "slicer");
        value = new PointwiseLinear(width, width, name: "value");
        tokens = slicesPerHead
            ? new IntegralAttention(width / heads, 1, new SoftmaxKernel(), name: "tokens")
            : new IntegralAttention(width, heads, new SoftmaxKernel(), name: "tokens");
        output = new PointwiseLinear(width, width, name: "output");
        // Learned softmax temperature (one per slicing head), started at 0.5 as Transolver does;
        // a scalar when the slicing is shared, as checkpoints of that layer hold it.
        var initial = Math.Log(0.5);
        logTemperature = ParameterFactory.Create(slicesPerHead ? HeldScalars.Full([heads], initial, float32, CPU) : tensor(initial, dtype: float32));
        RegisterComponents();
    }

    /// <summary>Feature channels.</summary>
    public int Width { get; }
    /// <summary>Slices (of each slicing head).</summary>
    public int Slices { get; }
    /// <summary>Heads that slice independently: the attention heads when slicing per head, else 1.</summary>
    public int SlicingHeads { get; }

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
        long batch = features.shape[0], n = features.shape[1], chunk = IntegralAttention.ChunkPoints(ChunkElements, batch, Width, n);
        int heads = SlicingHeads, headWidth = Width / heads;
        var weights = points.Weights.to(features.dtype);
        var temperature = logTemperature.exp().view(-1, 1, 1);                                          // per slicing head
        var assignments = new List<Tensor>();
        Tensor? mass = null, sums = null;
        var parts = features.split(chunk, 1);
        var weightParts = weights.split(chunk, 1);
        for (int c = 0; c < parts.Length; c++)
        {
            long m = parts[c].shape[1];
            // Heads lead, contiguously, so that the products below are plain batched matrix products.
            var logits = slicer.ForwardChannelsLast(parts[c]).view(batch, m, heads, Slices).transpose(1, 2).contiguous();
            var assignment = (logits / temperature).softmax(-1);                                       // (B, H, c, G)
            var weighted = assignment * weightParts[c].unsqueeze(1).unsqueeze(-1);                          // w_i a_ig
            var partMass = weighted.sum(2);                                                             // (B, H, G)
            var values = value.ForwardChannelsLast(parts[c]).view(batch, m, heads, headWidth).transpose(1, 2).contiguous();
            var partSums = weighted.transpose(2, 3).matmul(values);                                    // (B, H, G, C/H)
            mass = mass is null ? partMass : mass.Plus(partMass);
            sums = sums is null ? partSums : sums.Plus(partSums);
            assignments.Add(assignment);
        }
        var sliceTokens = (sums! / mass!.unsqueeze(-1)).reshape(batch * heads, Slices, headWidth);
        // Tokens are not points of the domain: each counts equally in their attention.
        using var tokenSet = new PointSet(zeros(batch * heads, Slices, 1, dtype: features.dtype, device: features.device),
            HeldScalars.Full([batch * heads, Slices], 1.0 / Slices, features.dtype, features.device));
        var mixed = tokens.Forward(sliceTokens, tokenSet).view(batch, heads, Slices, headWidth);
        var outputs = assignments
            .Select(a => output.ForwardChannelsLast(a.matmul(mixed).transpose(1, 2).reshape(batch, a.shape[2], Width)))
            .ToList();
        return (outputs.Count == 1 ? outputs[0] : cat(outputs, 1)).MoveToOuterDisposeScope();
    }
}
