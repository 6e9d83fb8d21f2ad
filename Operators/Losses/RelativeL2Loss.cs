using static TorchSharp.torch;

namespace PdeOps.Operators.Losses;

/// <summary>
/// Relative L2 error ||u - v||_{L2} / ||v||_{L2} computed per sample with a quadrature rule
/// (<see cref="GridQuadrature"/>), then averaged over the batch: the training loss of the FNO
/// (Li et al., ICLR 2021) written as a function-space norm, so it does not depend on the
/// resolution at which the functions are sampled. Channels are summed inside the norm. A target
/// that is identically zero gives an infinite or undefined loss.
/// </summary>
public sealed class RelativeL2Loss : IOperatorLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="spatialDims">Number of trailing spatial axes (1, 2 or 3).</param>
    /// <param name="convention">Where the samples lie (periodic or closed grid).</param>
    /// <param name="domainLength">Length of the domain along every axis.</param>
    public RelativeL2Loss(int spatialDims = 2, GridConvention convention = GridConvention.Periodic, double domainLength = 1.0)
    {
        Quadrature = new GridQuadrature(spatialDims, convention, domainLength);
    }

    /// <summary>The quadrature rule that defines the norm.</summary>
    public GridQuadrature Quadrature { get; }

    /// <inheritdoc />
    public string Name => "relative_l2";

    /// <inheritdoc />
    public Tensor Compute(Tensor prediction, Tensor target) => LossShapes.Mean(PerSample(prediction, target));

    /// <summary>The relative L2 error of every sample, shape (batch).</summary>
    public Tensor PerSample(Tensor prediction, Tensor target)
    {
        LossShapes.Check(prediction, target);
        using var scope = NewDisposeScope();
        var diff = Quadrature.IntegratePerSample((prediction - target).square()).sqrt();
        var norm = Quadrature.IntegratePerSample(target.square()).sqrt();
        return (diff / norm).MoveToOuterDisposeScope();
    }
}
