using System.Runtime.Intrinsics;
using PdeOps.Operators.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Tests;

/// <summary>The vector GELU of the fused inference kernels against libtorch's and the exact exponential.</summary>
public class VectorGeluTests
{
    [Fact]
    public void GeluMatchesLibtorchsExactGeluAcrossItsRange()
    {
        using var scope = NewDisposeScope();
        var x = linspace(-12, 12, 4001, dtype: ScalarType.Float32);
        var expected = F.gelu(x).data<float>().ToArray();
        var values = x.data<float>().ToArray();
        for (int k = 0; k + 8 <= values.Length; k += 8)
        {
            var g = VectorGelu.Apply(Vector256.Create(values.AsSpan(k, 8)));
            for (int lane = 0; lane < 8; lane++)
                Assert.InRange(Math.Abs(g[lane] - expected[k + lane]), 0, 2e-7 * Math.Max(1, Math.Abs(values[k + lane])));
        }
    }

    [Fact]
    public void ExpOfNegativeHasFloatAccuracyAndVanishesBeyondTheFloatRange()
    {
        for (int k = 0; k < 4000; k += 8)
        {
            var s = Vector256.Create([.. Enumerable.Range(k, 8).Select(j => j * 0.025f)]);
            var e = VectorGelu.ExpOfNegative(s);
            for (int lane = 0; lane < 8; lane++)
            {
                double exact = Math.Exp(-(double)s[lane]);
                if (s[lane] >= 87) Assert.Equal(0f, e[lane]);
                else Assert.InRange(Math.Abs(e[lane] - exact) / exact, 0, 2e-7);
            }
        }
    }
}
