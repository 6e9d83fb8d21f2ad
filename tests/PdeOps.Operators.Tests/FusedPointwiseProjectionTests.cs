using System.Runtime.Intrinsics;
using PdeOps.Operators.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Tests;

/// <summary>The fused inference projection against libtorch's separate layers.</summary>
public class FusedPointwiseProjectionTests
{
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
        Assert.InRange(FloatRounding.RelativeDifference(fused, layers), 0, 2e-6);
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
}
