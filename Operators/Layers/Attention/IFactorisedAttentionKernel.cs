using static TorchSharp.torch;

namespace PdeOps.Operators.Layers.Attention;

/// <summary>
/// A kernel whose integral factorises through a fixed-size summary of the sources:
/// out(x) = Read(q(x), S) with S = ∫ s(k(y), v(y)) dy, discretised as S = Σ_j w_j s(k_j, v_j).
/// Summaries of disjoint sets of sources add up to the summary of their union, so a layer can
/// stream over chunks of points (<see cref="IntegralAttention.ChunkElements"/>) and never hold a
/// whole set's intermediate features at once.
/// </summary>
public interface IFactorisedAttentionKernel : IAttentionKernel
{
    /// <summary>
    /// The summary of the given sources: keys and values (batch, heads, n, dh) with their weights
    /// (batch, n); additive over disjoint sets of sources.
    /// </summary>
    Tensor Summarise(Tensor keys, Tensor values, Tensor weights);

    /// <summary>The kernel integral at queries (batch, heads, m, dh) from the summary of all sources.</summary>
    Tensor Read(Tensor queries, Tensor summary);
}
