using static TorchSharp.torch;

namespace PdeOps.Operators.Tests;

/// <summary>How far a fused kernel's result is from the libtorch calls it replaces.</summary>
internal static class FloatRounding
{
    /// <summary>The largest difference over the largest value: fused sums run in another order, so they differ by float rounding only.</summary>
    public static double RelativeDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>() / (double)b.abs().max().item<float>();
}
