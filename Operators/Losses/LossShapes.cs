using static TorchSharp.torch;

namespace PdeOps.Operators.Losses;

/// <summary>Shape checks and the batch reduction the losses share.</summary>
internal static class LossShapes
{
    public static void Check(Tensor prediction, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (!prediction.shape.SequenceEqual(target.shape))
            throw new ArgumentException(
                $"prediction ({string.Join(", ", prediction.shape)}) and target ({string.Join(", ", target.shape)}) differ in shape");
    }

    public static Tensor Mean(Tensor perSample)
    {
        using var scope = NewDisposeScope();
        return perSample.mean().MoveToOuterDisposeScope();
    }
}
