using static TorchSharp.torch;

namespace PdeOps.Operators.Layers.Attention;

/// <summary>
/// Linear (Galerkin) attention (Cao, "Choose a Transformer: Fourier or Galerkin", NeurIPS 2021):
/// out(x) = ∫ (q(x)·k(y)) v(y) dy = q(x)·∫ k(y) v(y)ᵀ dy, discretised as
/// out_i = q_i · (Kᵀ diag(w) V): O(n dh²) work, no n x m matrix. Keys and values are normalised
/// per point over their features (zero mean, unit variance), as Cao's layer normalisation, which
/// keeps the integral's scale independent of the width.
/// </summary>
/// <remarks>
/// The quadrature weights multiply the source index j, the one integrated over. Cao's 1/n is the
/// case of n uniform points on a domain of measure 1; weighting the query index instead is right
/// only for uniform weights with m = n. The integral factorises through the moments Kᵀ diag(w) V,
/// which add up over chunks of sources (<see cref="IFactorisedAttentionKernel"/>).
/// </remarks>
public sealed class LinearKernel : IFactorisedAttentionKernel
{
    /// <summary>Registry name.</summary>
    public const string KernelName = "linear";

    /// <summary>Added to the variance when normalising keys and values.</summary>
    public double Epsilon { get; init; } = 1e-5;

    /// <inheritdoc/>
    public string Name => KernelName;

    /// <inheritdoc/>
    public Tensor Apply(Tensor queries, Tensor keys, Tensor values, Tensor weights)
    {
        using var scope = NewDisposeScope();
        return Read(queries, Summarise(keys, values, weights)).MoveToOuterDisposeScope();
    }

    /// <summary>The moments Σ_j w_j k̂_j v̂_jᵀ of normalised keys and values: (batch, heads, dh, dh).</summary>
    public Tensor Summarise(Tensor keys, Tensor values, Tensor weights)
    {
        using var scope = NewDisposeScope();
        var k = Normalise(keys);
        var v = Normalise(values);
        var w = weights.to(keys.dtype).unsqueeze(1).unsqueeze(-1);                    // (B, 1, n, 1)
        return k.transpose(-2, -1).matmul(v * w).MoveToOuterDisposeScope();
    }

    /// <summary>q_i · M for the moments M of all sources.</summary>
    public Tensor Read(Tensor queries, Tensor summary) => queries.matmul(summary);

    // One fused pass (libtorch's layer norm without affine parameters): mean and biased variance over the features.
    Tensor Normalise(Tensor x) => nn.functional.layer_norm(x, [x.shape[^1]], eps: Epsilon);
}
