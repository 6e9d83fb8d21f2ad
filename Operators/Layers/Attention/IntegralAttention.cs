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
        var q = SplitHeads(query.ForwardChannelsLast(queryFeatures));
        var k = SplitHeads(key.ForwardChannelsLast(sourceFeatures));
        var v = SplitHeads(value.ForwardChannelsLast(sourceFeatures));
        var attended = Kernel.Apply(q, k, v, weights);                         // (B, H, m, dh)
        var merged = attended.transpose(1, 2).reshape(queryFeatures.shape[0], queryFeatures.shape[1], Width);
        return output.ForwardChannelsLast(merged).MoveToOuterDisposeScope();
    }

    Tensor SplitHeads(Tensor x) => x.view(x.shape[0], x.shape[1], Heads, Width / Heads).transpose(1, 2);

    void Check(Tensor features, string what)
    {
        if (features.dim() != 3 || features.shape[2] != Width)
            throw new ArgumentException($"{what} must be (batch, points, {Width}), got ({string.Join(", ", features.shape)})");
    }
}
