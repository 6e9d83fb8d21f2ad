using PdeOps.Operators.Layers;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Tests;

/// <summary>The 3x3 convolution kernels against libtorch's convolution in double precision, forward and backward.</summary>
public class Convolution3x3Tests
{
    // Single-precision sums of 9 x 32 products against double precision: a few units of float rounding.
    private const double Tolerance = 5e-6;

    // The largest difference over the largest value of the double-precision reference.
    private static double RelativeError(Tensor fused, Tensor reference) =>
        (fused.to(ScalarType.Float64) - reference).abs().max().item<double>() / reference.abs().max().item<double>();

    [Theory]
    [InlineData(2, 9, 11, 1)]   // odd widths: a pair of points repeats at the row's end
    [InlineData(1, 6, 5, 0)]    // valid convolution of a padded field
    [InlineData(3, 4, 7, 2)]    // full convolution (the input gradient's form)
    [InlineData(2, 1, 1, 1)]    // a single point: only the centre tap meets the field
    public void ForwardAndGradientsAgreeWithLibtorchInDoublePrecision(int batch, int height, int width, int padding)
    {
        using var scope = NewDisposeScope();
        manual_seed(31);
        var input = ChannelsLastMemory.Of(randn(batch, 32, height, width)).requires_grad_(true);
        var weight = (randn(32, 32, 3, 3) * 0.1).requires_grad_(true);
        Assert.True(Convolution3x3.Supports(input, weight, padding));
        var output = Convolution3x3.Conv2d(input, weight, padding);

        var input64 = input.detach().to(ScalarType.Float64).requires_grad_(true);
        var weight64 = weight.detach().to(ScalarType.Float64).requires_grad_(true);
        var expected = F.conv2d(input64, weight64, null, new long[] { 1, 1 }, new long[] { padding, padding });
        Assert.Equal(expected.shape, output.shape);
        Assert.InRange(RelativeError(output, expected), 0, Tolerance);

        // Gradients of a random linear functional of the output.
        var probe = randn_like(expected);
        (output * probe.to(ScalarType.Float32)).sum().backward();
        (expected * probe).sum().backward();
        Assert.InRange(RelativeError(input.grad!, input64.grad!), 0, Tolerance);
        Assert.InRange(RelativeError(weight.grad!, weight64.grad!), 0, Tolerance);
    }

    [Fact]
    public void TheStencilGradientIsTheSameFromRunToRun()
    {
        using var scope = NewDisposeScope();
        manual_seed(32);
        var input = ChannelsLastMemory.Of(randn(4, 32, 17, 13));
        var gradient = ChannelsLastMemory.Of(randn(4, 32, 17, 13));
        var first = Convolution3x3.WeightGradient(input, gradient, 1);
        for (int run = 0; run < 3; run++)
            Assert.True(allclose(first, Convolution3x3.WeightGradient(input, gradient, 1), rtol: 0, atol: 0));
    }

    [Fact]
    public void OtherConvolutionsKeepLibtorch()
    {
        using var scope = NewDisposeScope();
        var input = ChannelsLastMemory.Of(randn(1, 32, 8, 8));
        var weight = randn(32, 32, 3, 3);
        Assert.False(Convolution3x3.Supports(input, randn(32, 16, 3, 3), 1));                                      // channels disagree
        Assert.False(Convolution3x3.Supports(ChannelsLastMemory.Of(randn(1, 64, 8, 8)), randn(32, 64, 3, 3), 1));   // 64 input channels
        Assert.False(Convolution3x3.Supports(input, randn(64, 32, 3, 3), 1));                                      // 64 output channels
        Assert.False(Convolution3x3.Supports(randn(1, 32, 8, 8), weight, 1));                                      // channels-first memory
        Assert.False(Convolution3x3.Supports(input.to(ScalarType.Float64), weight.to(ScalarType.Float64), 1));
        Assert.False(Convolution3x3.Supports(input, weight, 3));
        // Where the kernels do not apply, libtorch answers.
        var wide = randn(64, 32, 3, 3);
        var expected = F.conv2d(input, wide, null, new long[] { 1, 1 }, new long[] { 1, 1 });
        Assert.True(allclose(expected, Convolution3x3.Conv2d(input, wide, 1), rtol: 0, atol: 0));
    }
}
