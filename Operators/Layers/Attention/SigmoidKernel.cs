using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers.Attention;

/// <summary>
/// Sigmoid attention (Ramapuram et al., "Theory, Analysis, and Best Practices for Sigmoid
/// Self-Attention", 2024) as a quadrature: out(x) = (1/|Ω|) ∫ σ(s(x, y) + b) v(y) dy with
/// s(x, y) = q(x)·k(y)/√dh, discretised as out_i = Σ_j w_j σ(s_ij + b) v_j / Σ_j w_j.
/// </summary>
/// <remarks>
/// The paper's bias is b = -log n for n tokens, which changes with the sampling and so has no
/// continuum limit. Here b is a constant of the domain (<see cref="Bias"/>), and the weights sum to
/// the domain measure |Ω| whatever the number of points, so refining the points converges.
/// Scores are computed for <see cref="QueryChunk"/> queries at a time; the backward pass keeps
/// every chunk's scores (about 2 m n numbers per head), so for many points prefer the fused
/// softmax or the linear kernel.
/// </remarks>
public sealed class SigmoidKernel : IAttentionKernel
{
    /// <summary>Registry name.</summary>
    public const string KernelName = "sigmoid";

    /// <summary>The bias b added to the scores (fixed by the domain, not the point count).</summary>
    public double Bias { get; init; }

    /// <summary>Queries per chunk of scores.</summary>
    public int QueryChunk { get; init; } = 1024;

    /// <inheritdoc/>
    public string Name => KernelName;

    /// <inheritdoc/>
    public Tensor Apply(Tensor queries, Tensor keys, Tensor values, Tensor weights)
    {
        using var scope = NewDisposeScope();
        double scale = 1.0 / Math.Sqrt(queries.shape[^1]);
        var w = weights.to(queries.dtype);
        var measure = w.sum(1).view(-1, 1, 1, 1);
        var weightedValues = values * w.unsqueeze(1).unsqueeze(-1);
        var keysT = keys.transpose(-2, -1);
        var parts = new List<Tensor>();
        long m = queries.shape[2];
        for (long first = 0; first < m; first += QueryChunk)
        {
            var q = queries.narrow(2, first, Math.Min(QueryChunk, m - first));
            parts.Add(q.matmul(keysT).Times(scale).Plus(Bias).sigmoid().matmul(weightedValues));
        }
        return (cat(parts, 2) / measure).MoveToOuterDisposeScope();
    }
}
