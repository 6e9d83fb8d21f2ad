using static TorchSharp.torch;

namespace PdeOps.Operators.Losses;

/// <summary>A training or evaluation loss between a predicted and a target batch of fields.</summary>
public interface IOperatorLoss
{
    /// <summary>Short name for logs and reports, e.g. "relative_l2".</summary>
    string Name { get; }

    /// <summary>
    /// The loss of <paramref name="prediction"/> against <paramref name="target"/>, both
    /// (batch, channels, n1, ..., nd) of the same shape, as a scalar tensor (differentiable).
    /// </summary>
    Tensor Compute(Tensor prediction, Tensor target);
}
