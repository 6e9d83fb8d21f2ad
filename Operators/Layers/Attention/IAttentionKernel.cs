using static TorchSharp.torch;

namespace PdeOps.Operators.Layers.Attention;

/// <summary>
/// How an attention layer integrates over its source points: given per-head queries
/// (batch, heads, m, dh) at m query points, keys and values (batch, heads, n, dh) at n source
/// points and the sources' quadrature weights (batch, n), returns (batch, heads, m, dh). Every
/// kernel is a quadrature of an integral over the domain, so refining the source points converges
/// to one continuous operator; each states its integral.
/// </summary>
public interface IAttentionKernel
{
    /// <summary>Registry name ("softmax", "linear", "sigmoid").</summary>
    string Name { get; }

    /// <summary>The kernel integral at the query points.</summary>
    Tensor Apply(Tensor queries, Tensor keys, Tensor values, Tensor weights);
}
