using System.Runtime.Intrinsics;
using PdeOps.Operators.Layers;
using PdeOps.Operators.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Tests;

/// <summary>The fused inference projection against libtorch's separate layers.</summary>
public class FusedPointwiseProjectionTests
{
    // The largest difference over the largest value: the sums run in another order, so float rounding only.
    private static double RelativeDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>() / (double)b.abs().max().item<float>();

    [Theory]
    [InlineData(3, 17, 19, 32, 128, 1)]  // 969 points: one chunk, an odd point at the end
    [InlineData(2, 41, 37, 8, 64, 3)]    // 3034 points over three chunks, three outputs
    [InlineData(1, 1, 1, 5, 32, 2)]      // a single point
    public void FusedProjectionEqualsTheLayersItReplaces(int batch, int h, int w, int inChannels, int width, int outChannels)
    {
        Assert.True(Vector256.IsHardwareAccelerated, "this machine lacks 256-bit vectors, so the fused path would never run");
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var hidden = new PointwiseLinear(inChannels, width);
        using var output = new PointwiseLinear(width, outChannels);
        using var noGrad = no_grad();
        // Inputs spread enough that GELU sees both tails and its middle.
        var v = randn(batch, h, w, inChannels) * 3;
        Assert.True(FusedPointwiseProjection.Supports(v, hidden, output));
        var fused = FusedPointwiseProjection.Apply(v, hidden, output);
        var layers = output.ForwardChannelsLast(F.gelu(hidden.ForwardChannelsLast(v)));
        Assert.Equal(layers.shape, fused.shape);
        Assert.InRange(RelativeDifference(fused, layers), 0, 2e-6);
    }

    [Fact]
    public void GeluMatchesLibtorchsExactGeluAcrossItsRange()
    {
        using var scope = NewDisposeScope();
        var x = linspace(-12, 12, 4001, dtype: ScalarType.Float32);
        var expected = F.gelu(x).data<float>().ToArray();
        var values = x.data<float>().ToArray();
        for (int k = 0; k + 8 <= values.Length; k += 8)
        {
            var g = FusedPointwiseProjection.Gelu(Vector256.Create(values.AsSpan(k, 8)));
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
            var e = FusedPointwiseProjection.ExpOfNegative(s);
            for (int lane = 0; lane < 8; lane++)
            {
                double exact = Math.Exp(-(double)s[lane]);
                if (s[lane] >= 87) Assert.Equal(0f, e[lane]);
                else Assert.InRange(Math.Abs(e[lane] - exact) / exact, 0, 2e-7);
            }
        }
    }

    [Fact]
    public void GradientsAndOtherWidthsKeepTheLibtorchPath()
    {
        using var scope = NewDisposeScope();
        using var hidden = new PointwiseLinear(4, 48);
        using var output = new PointwiseLinear(48, 1);
        var v = randn(1, 5, 5, 4);
        using (no_grad()) Assert.False(FusedPointwiseProjection.Supports(v, hidden, output)); // 48 is not a multiple of 32
        using var wide = new PointwiseLinear(4, 64);
        using var wideOut = new PointwiseLinear(64, 1);
        Assert.False(FusedPointwiseProjection.Supports(v, wide, wideOut)); // gradients are recorded
        using (no_grad()) Assert.False(FusedPointwiseProjection.Supports(v.to(ScalarType.Float64), wide, wideOut));
    }

    [Fact]
    public void AnFnoPredictsTheSameWithTheFusedProjectionAsWhileRecordingGradients()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var model = new FourierNeuralOperator(new FnoOptions { Width = 8, Modes = [4, 4], Layers = 2, ProjectionWidth = 32, Padding = 3 });
        model.eval();
        var input = randn(2, 1, 21, 23);
        var recorded = model.call(input).detach();
        Tensor fused;
        using (no_grad()) fused = model.call(input);
        Assert.InRange(RelativeDifference(fused, recorded), 0, 2e-6);
    }
}
