using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers.Attention;

/// <summary>
/// Softmax attention as a quadrature (continuum attention, Calvello, Kovachki, Levine and Stuart,
/// "Continuum Attention for Neural Operators", 2024):
/// out(x) = ∫ exp(s(x, y)) v(y) dy / ∫ exp(s(x, y)) dy with s(x, y) = q(x)·k(y)/√dh, discretised
/// as out_i = Σ_j w_j exp(s_ij) v_j / Σ_j w_j exp(s_ij), i.e. a softmax over j of s_ij + log w_j.
/// </summary>
/// <remarks>
/// The default path is libtorch's fused scaled-dot-product attention with log w as an additive
/// bias, whose CPU kernel works in blocks and never holds the m x n score matrix, in the forward
/// or the backward pass. With <see cref="QueryChunk"/> set the kernel instead computes the scores
/// explicitly for that many queries at a time (a reference path: its backward keeps every chunk's
/// scores).
/// </remarks>
public sealed class SoftmaxKernel : IAttentionKernel
{
    /// <summary>Registry name.</summary>
    public const string KernelName = "softmax";

    /// <summary>Queries per explicit chunk, or null for the fused kernel.</summary>
    public int? QueryChunk { get; init; }

    /// <inheritdoc/>
    public string Name => KernelName;

    /// <inheritdoc/>
    public Tensor Apply(Tensor queries, Tensor keys, Tensor values, Tensor weights)
    {
        using var scope = NewDisposeScope();
        var logWeights = weights.log().unsqueeze(1).unsqueeze(1).to(queries.dtype);   // (B, 1, 1, n)
        Tensor output;
        if (QueryChunk is not int chunk)
        {
            output = nn.functional.scaled_dot_product_attention(queries, keys, values, logWeights);
        }
        else
        {
            double scale = 1.0 / Math.Sqrt(queries.shape[^1]);
            var keysT = keys.transpose(-2, -1);
            var parts = new List<Tensor>();
            long m = queries.shape[2];
            for (long first = 0; first < m; first += chunk)
            {
                var q = queries.narrow(2, first, Math.Min(chunk, m - first));
                var scores = q.matmul(keysT).Times(scale).Plus(logWeights);
                parts.Add(scores.softmax(-1).matmul(values));
            }
            output = cat(parts, 2);
        }
        return output.MoveToOuterDisposeScope();
    }
}
