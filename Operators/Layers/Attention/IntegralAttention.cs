using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers.Attention;

/// <summary>
/// Multi-head attention as a kernel integral operator over a function's sample points: features
/// f(y_j) at n source points with quadrature weights w_j become features at m query points,
/// out(x_i) = W_o concat_h K_h[q_h(x_i), (k_h, v_h)(y_j), w_j], with pointwise projections
/// q = W_q g(x_i), k = W_k f(y_j), v = W_v f(y_j) and a kernel <see cref="IAttentionKernel"/> per head.
/// Self-attention is the case of the same points and features; cross-attention lets m differ
/// from n. Nothing depends on the points' order or count, so the layer acts on grids of any size
/// and on scattered points alike.
/// </summary>
public sealed class IntegralAttention : nn.Module
{
    private readonly PointwiseLinear query;
    private readonly PointwiseLinear key;
    private readonly PointwiseLinear value;
    private readonly PointwiseLinear output;

    /// <summary>Creates the layer.</summary>
    /// <param name="width">Feature channels in and out.</param>
    /// <param name="heads">Attention heads; must divide <paramref name="width"/>.</param>
    /// <param name="kernel">The kernel each head integrates with.</param>
    /// <param name="name">Module name.</param>
    public IntegralAttention(int width, int heads, IAttentionKernel kernel, string name = "integral_attention") : base(name)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        if (width < 1 || heads < 1 || width % heads != 0)
            throw new ArgumentException($"the width ({width}) must be a positive multiple of the heads ({heads})", nameof(heads));
        Width = width;
        Heads = heads;
        Kernel = kernel;
        query = new PointwiseLinear(width, width, name: "query");
        key = new PointwiseLinear(width, width, name: "key");
        value = new PointwiseLinear(width, width, name: "value");
        output = new PointwiseLinear(width, width, name: "output");
        RegisterComponents();
    }

    /// <summary>Feature channels.</summary>
    public int Width { get; }
    /// <summary>Attention heads.</summary>
    public int Heads { get; }
    /// <summary>The kernel of every head.</summary>
    public IAttentionKernel Kernel { get; }

    /// <summary>
    /// Values (batch x points x width) per chunk of points when the kernel factorises
    /// (<see cref="IFactorisedAttentionKernel"/>): the layer then projects, normalises and sums one
    /// chunk of sources at a time, and answers one chunk of queries at a time, so that each chunk's
    /// intermediates stay in the processor's cache and the time grows linearly with the points.
    /// 0 works on all points at once. The result is the same up to rounding either way.
    /// </summary>
    public long ChunkElements { get; init; } = DefaultChunkElements;

    /// <summary>The default <see cref="ChunkElements"/>: 4 MB of float32 values.</summary>
    public const long DefaultChunkElements = 1 << 20;

    /// <summary>Points per chunk for <paramref name="batch"/> samples: at least one, at most <paramref name="points"/>.</summary>
    internal static long ChunkPoints(long chunkElements, long batch, long width, long points) =>
        chunkElements <= 0 ? points : Math.Clamp(chunkElements / (batch * width), 1, Math.Max(points, 1));

    /// <summary>Self-attention: <paramref name="features"/> (batch, n, width) at the points of <paramref name="points"/>.</summary>
    public Tensor Forward(Tensor features, PointSet points) => Forward(features, features, points);

    /// <summary>
    /// Cross-attention: features at the query points (batch, m, width) attend to features at the
    /// source points (batch, n, width) integrated with <paramref name="sources"/>' weights; returns (batch, m, width).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree with each other or with the point set.</exception>
    public Tensor Forward(Tensor queryFeatures, Tensor sourceFeatures, PointSet sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return Forward(queryFeatures, sourceFeatures, sources.Weights);
    }

    /// <summary>
    /// Cross-attention integrated with the source points' quadrature <paramref name="weights"/>
    /// (batch, n), for callers whose points are implicit (a grid of tokens): the kernels use the
    /// weights alone, which are taken as given (positive, summing to the domain measure).
    /// </summary>
    /// <exception cref="ArgumentException">Shapes disagree with each other or with the weights.</exception>
    public Tensor Forward(Tensor queryFeatures, Tensor sourceFeatures, Tensor weights)
    {
        Check(queryFeatures, "query features");
        Check(sourceFeatures, "source features");
        if (weights.dim() != 2 || sourceFeatures.shape[0] != weights.shape[0] || sourceFeatures.shape[1] != weights.shape[1])
            throw new ArgumentException($"source features ({string.Join(", ", sourceFeatures.shape)}) do not match weights of {string.Join(" x ", weights.shape)} points");
        if (queryFeatures.shape[0] != sourceFeatures.shape[0])
            throw new ArgumentException($"query and source features differ in batch ({queryFeatures.shape[0]} and {sourceFeatures.shape[0]})");
        using var scope = NewDisposeScope();
        if (Kernel is IFactorisedAttentionKernel factorised && ChunkElements > 0)
            return InChunks(factorised, queryFeatures, sourceFeatures, weights).MoveToOuterDisposeScope();
        var q = SplitHeads(query.ForwardChannelsLast(queryFeatures));
        var k = SplitHeads(key.ForwardChannelsLast(sourceFeatures));
        var v = SplitHeads(value.ForwardChannelsLast(sourceFeatures));
        var attended = Kernel.Apply(q, k, v, weights);                         // (B, H, m, dh)
        return output.ForwardChannelsLast(MergeHeads(attended)).MoveToOuterDisposeScope();
    }

    // Sums the kernel's summary over chunks of sources, then reads it at chunks of queries. The
    // chunks come from split, whose backward joins the chunks' gradients in one pass (narrow's
    // would add each chunk into a zero tensor of the whole size).
    Tensor InChunks(IFactorisedAttentionKernel kernel, Tensor queryFeatures, Tensor sourceFeatures, Tensor weights)
    {
        long batch = sourceFeatures.shape[0];
        long sourceChunk = ChunkPoints(ChunkElements, batch, Width, sourceFeatures.shape[1]);
        var sourceParts = sourceFeatures.split(sourceChunk, 1);
        var weightParts = weights.split(sourceChunk, 1);
        Tensor? summary = null;
        for (int c = 0; c < sourceParts.Length; c++)
        {
            var partial = kernel.Summarise(SplitHeads(key.ForwardChannelsLast(sourceParts[c])), SplitHeads(value.ForwardChannelsLast(sourceParts[c])), weightParts[c]);
            summary = summary is null ? partial : summary.Plus(partial);
        }
        long queryChunk = ChunkPoints(ChunkElements, batch, Width, queryFeatures.shape[1]);
        var outputs = queryFeatures.split(queryChunk, 1)
            .Select(part => output.ForwardChannelsLast(MergeHeads(kernel.Read(SplitHeads(query.ForwardChannelsLast(part)), summary!))))
            .ToList();
        return outputs.Count == 1 ? outputs[0] : cat(outputs, 1);
    }

    Tensor MergeHeads(Tensor x) => x.transpose(1, 2).reshape(x.shape[0], x.shape[2], Width);

    Tensor SplitHeads(Tensor x) => x.view(x.shape[0], x.shape[1], Heads, Width / Heads).transpose(1, 2);

    void Check(Tensor features, string what)
    {
        if (features.dim() != 3 || features.shape[2] != Width)
            throw new ArgumentException($"{what} must be (batch, points, {Width}), got ({string.Join(", ", features.shape)})");
    }
}
