using static TorchSharp.torch;

namespace PdeOps.Operators.Losses;

/// <summary>Mean squared error over every element of the batch (no quadrature, not resolution invariant).</summary>
public sealed class MseLoss : IOperatorLoss
{
    /// <inheritdoc />
    public string Name => "mse";

    /// <inheritdoc />
    public Tensor Compute(Tensor prediction, Tensor target)
    {
        LossShapes.Check(prediction, target);
        using var scope = NewDisposeScope();
        return (prediction - target).square().mean().MoveToOuterDisposeScope();
    }
}
