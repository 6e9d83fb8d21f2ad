using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Losses;

/// <summary>
/// Integrals and derivatives of sampled fields on a uniform grid over the last
/// <see cref="SpatialDims"/> axes of (batch, channels, n1, ..., nd) tensors, following a
/// <see cref="GridConvention"/>; used to write losses as function-space norms (as neuraloperator's
/// losses do), so that a loss does not change when the same function is sampled more finely.
/// </summary>
public sealed class GridQuadrature
{
    /// <summary>Creates the rule.</summary>
    /// <param name="spatialDims">Number of trailing spatial axes (1, 2 or 3).</param>
    /// <param name="convention">Where the samples lie.</param>
    /// <param name="domainLength">Length of the domain along every axis.</param>
    public GridQuadrature(int spatialDims, GridConvention convention = GridConvention.Periodic, double domainLength = 1.0)
    {
        if (spatialDims is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(spatialDims), spatialDims, "1, 2 or 3 spatial axes are supported");
        if (!(domainLength > 0)) throw new ArgumentOutOfRangeException(nameof(domainLength), domainLength, "the domain length must be positive");
        SpatialDims = spatialDims;
        Convention = convention;
        DomainLength = domainLength;
    }

    /// <summary>Number of trailing spatial axes.</summary>
    public int SpatialDims { get; }

    /// <summary>Where the samples lie.</summary>
    public GridConvention Convention { get; }

    /// <summary>Length of the domain along every axis.</summary>
    public double DomainLength { get; }

    /// <summary>Grid spacing of an axis of <paramref name="n"/> points.</summary>
    public double Spacing(long n) => Convention == GridConvention.Periodic ? DomainLength / n : DomainLength / (n - 1);

    /// <summary>
    /// Per-sample integral of <paramref name="values"/> over the domain, summed over every non-batch,
    /// non-spatial axis: (batch, ...) -> (batch).
    /// </summary>
    public Tensor IntegratePerSample(Tensor values)
    {
        CheckShape(values);
        using var scope = NewDisposeScope();
        long[] shape = values.shape;
        int first = shape.Length - SpatialDims;
        var weighted = values;
        double uniform = 1.0;
        for (int a = first; a < shape.Length; a++)
        {
            long n = shape[a];
            double h = Spacing(n);
            uniform *= h;
            if (Convention == GridConvention.Closed)
            {
                var w = ones(n, dtype: values.dtype, device: values.device);
                w[0].Fill(0.5);
                w[n - 1].Fill(0.5);
                var view = Enumerable.Repeat(1L, shape.Length).ToArray();
                view[a] = n;
                weighted = weighted * w.view(view);
            }
        }
        return (weighted.reshape(shape[0], -1).sum(1) * uniform).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Derivative along spatial axis <paramref name="axis"/> (0 = first spatial axis) by second-order
    /// differences: wrapped central differences on a periodic grid, central inside and one-sided at
    /// the ends on a closed grid. Same shape as <paramref name="values"/>.
    /// </summary>
    public Tensor Derivative(Tensor values, int axis)
    {
        CheckShape(values);
        if (axis < 0 || axis >= SpatialDims) throw new ArgumentOutOfRangeException(nameof(axis), axis, $"spatial axis 0..{SpatialDims - 1}");
        using var scope = NewDisposeScope();
        long dim = values.dim() - SpatialDims + axis;
        long n = values.shape[dim];
        double h = Spacing(n);
        Tensor result;
        if (Convention == GridConvention.Periodic)
        {
            result = (values.roll(-1, dim) - values.roll(1, dim)).Over(2 * h);
        }
        else
        {
            if (n < 3) throw new ArgumentException($"a closed grid needs at least 3 points per axis for derivatives, got {n}");
            Tensor At(long start, long length) => values.narrow(dim, start, length);
            var first = (At(0, 1).Times(-3).PlusScaled(At(1, 1), 4) - At(2, 1)).Over(2 * h);
            var inner = (At(2, n - 2) - At(0, n - 2)).Over(2 * h);
            var last = At(n - 1, 1).Times(3).PlusScaled(At(n - 2, 1), -4).Plus(At(n - 3, 1)).Over(2 * h);
            result = cat(new[] { first, inner, last }, dim);
        }
        return result.MoveToOuterDisposeScope();
    }

    private void CheckShape(Tensor values)
    {
        if (values.dim() < SpatialDims + 1)
            throw new ArgumentException($"expected (batch, ..., {SpatialDims} spatial axes), got ({string.Join(", ", values.shape)})");
    }
}
