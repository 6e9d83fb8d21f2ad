using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Losses;

/// <summary>
/// Relative H1 error ||u - v||_{H1} / ||v||_{H1} per sample, averaged over the batch, with
/// ||f||_{H1}^2 = ||f||_{L2}^2 + sum over axes of ||df/dx_a||_{L2}^2. Integrals use the quadrature of
/// <see cref="GridQuadrature"/> and derivatives second-order finite differences (wrapped central
/// differences on a periodic grid; central inside and one-sided at the ends on a closed grid),
/// as in neuraloperator's H1 loss. Channels are summed inside the norm.
/// </summary>
public sealed class RelativeH1Loss : IOperatorLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="spatialDims">Number of trailing spatial axes (1, 2 or 3).</param>
    /// <param name="convention">Where the samples lie (periodic or closed grid).</param>
    /// <param name="domainLength">Length of the domain along every axis.</param>
    public RelativeH1Loss(int spatialDims = 2, GridConvention convention = GridConvention.Periodic, double domainLength = 1.0)
    {
        Quadrature = new GridQuadrature(spatialDims, convention, domainLength);
    }

    /// <summary>The quadrature and difference rules that define the norm.</summary>
    public GridQuadrature Quadrature { get; }

    /// <inheritdoc />
    public string Name => "relative_h1";

    /// <inheritdoc />
    public Tensor Compute(Tensor prediction, Tensor target) => LossShapes.Mean(PerSample(prediction, target));

    /// <summary>The relative H1 error of every sample, shape (batch).</summary>
    public Tensor PerSample(Tensor prediction, Tensor target)
    {
        LossShapes.Check(prediction, target);
        using var scope = NewDisposeScope();
        var diff = SquaredNorm(prediction - target).sqrt();
        var norm = SquaredNorm(target).sqrt();
        return (diff / norm).MoveToOuterDisposeScope();
    }

    /// <summary>Per-sample squared H1 norm, shape (batch).</summary>
    public Tensor SquaredNorm(Tensor f)
    {
        using var scope = NewDisposeScope();
        var total = Quadrature.IntegratePerSample(f.square());
        for (int a = 0; a < Quadrature.SpatialDims; a++)
            total = total.Plus(Quadrature.IntegratePerSample(Quadrature.Derivative(f, a).square()));
        return total.MoveToOuterDisposeScope();
    }
}
