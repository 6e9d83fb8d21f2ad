using System.Runtime.Intrinsics;
using PdeOps.Operators.Layers;
using PdeOps.Operators.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Tests;

/// <summary>The fused end of a Fourier layer (skip, sum, GELU) against libtorch's separate calls.</summary>
public class FusedSkipActivationTests
{
    [Theory]
    [InlineData(3, 17, 19, 32, 32, true)]   // 969 points: one chunk, an odd point at the end
    [InlineData(2, 41, 37, 8, 64, true)]    // 3034 points over three chunks, two register blocks
    [InlineData(2, 41, 37, 32, 32, false)]  // the last layer: no GELU
    [InlineData(1, 1, 1, 5, 32, true)]      // a single point
    public void FusedLayerEndEqualsTheCallsItReplaces(int batch, int h, int w, int inChannels, int outChannels, bool gelu)
    {
        Assert.True(Vector256.IsHardwareAccelerated, "this machine lacks 256-bit vectors, so the fused path would never run");
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var skip = new PointwiseLinear(inChannels, outChannels);
        using var noGrad = no_grad();
        // Spread enough that GELU sees both tails and its middle.
        var v = randn(batch, h, w, inChannels) * 3;
        var integral = randn(batch, h, w, outChannels) * 3;
        var sum = integral + skip.ForwardChannelsLast(v);
        var expected = gelu ? F.gelu(sum) : sum;
        Assert.True(FusedSkipActivation.Supports(integral, v, skip));
        var fused = FusedSkipActivation.Apply(integral, v, skip, gelu);
        Assert.Same(integral, fused); // written over the integral's memory
        Assert.Equal(expected.shape, fused.shape);
        Assert.InRange(FloatRounding.RelativeDifference(fused, expected), 0, 2e-6);
    }

    [Theory]
    [InlineData(2, 21, 23, 32, 4, true)]   // 966 points: a row straddles no chunk, odd rows
    [InlineData(1, 40, 94, 64, 12, true)]  // two register blocks, the FNO's padded Darcy row length
    [InlineData(3, 9, 8, 32, 3, false)]    // the last layer: no GELU
    public void FusedLayerEndFromRowSpectraEqualsTheCallsItReplaces(int batch, int h, int w, int channels, int modes, bool gelu)
    {
        using var scope = NewDisposeScope();
        manual_seed(23);
        using var spectral = new SpectralConv(channels, channels, [modes, modes], SpectralTransform.RetainedModeDft);
        using var skip = new PointwiseLinear(channels, channels);
        using var noGrad = no_grad();
        var v = randn(batch, h, w, channels) * 3;
        // The integral scaled to the skip's size, so that an error in either shows.
        spectral.Weight.mul_(skip.ForwardChannelsLast(v).abs().max() / spectral.ForwardChannelsLast(v).abs().max());
        var sum = spectral.ForwardChannelsLast(v) + skip.ForwardChannelsLast(v);
        var expected = gelu ? F.gelu(sum) : sum;
        Assert.True(spectral.TryRowSpectra(v, out var rows, out var inverseW));
        Assert.True(FusedSkipActivation.SupportsRows(rows, inverseW, v, skip));
        var fused = FusedSkipActivation.ApplyToRows(rows, inverseW, v, skip, gelu);
        Assert.Same(v, fused); // written over v
        Assert.InRange(FloatRounding.RelativeDifference(fused, expected), 0, 2e-6);
    }

    [Fact]
    public void RowSpectraAreOnlyGivenForRetainedModeTransformsInTwoDimensions()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var fft = new SpectralConv(8, 8, [3, 3], SpectralTransform.Fft);
        Assert.False(fft.TryRowSpectra(randn(1, 16, 16, 8), out _, out _));
        using var line = new SpectralConv(8, 8, [3], SpectralTransform.RetainedModeDft);
        Assert.False(line.TryRowSpectra(randn(1, 16, 8), out _, out _));
    }

    [Fact]
    public void GradientsOtherWidthsAndStridedFieldsKeepTheLibtorchPath()
    {
        using var scope = NewDisposeScope();
        using var skip = new PointwiseLinear(32, 32);
        using var narrow = new PointwiseLinear(48, 48);
        var v = randn(1, 5, 6, 32);
        var integral = randn(1, 5, 6, 32);
        Assert.False(FusedSkipActivation.Supports(integral, v, skip)); // gradients are recorded
        using var noGrad = no_grad();
        Assert.True(FusedSkipActivation.Supports(integral, v, skip));
        Assert.False(FusedSkipActivation.Supports(randn(1, 5, 6, 48), randn(1, 5, 6, 48), narrow)); // 48 is not a multiple of 32
        Assert.False(FusedSkipActivation.Supports(integral.to(ScalarType.Float64), v.to(ScalarType.Float64), skip));
        Assert.False(FusedSkipActivation.Supports(randn(1, 6, 5, 32).transpose(1, 2), v, skip)); // strided
        Assert.False(FusedSkipActivation.Supports(randn(1, 6, 5, 32), v, skip));                  // other points
    }

    // Width 32 and projection width 32: without gradients every layer end and the projection run fused.
    [Theory]
    [InlineData(0, SpectralTransform.RetainedModeDft, false)]
    [InlineData(5, SpectralTransform.RetainedModeDft, false)]
    [InlineData(5, SpectralTransform.RetainedModeDft, true)]   // the transforms read v weighted, the skip reads v
    [InlineData(5, SpectralTransform.Fft, false)]
    public void AnFnoPredictsTheSameWithTheFusedKernelsAsWhileRecordingGradients(int padding, SpectralTransform transform, bool trapezoidalEdges)
    {
        using var scope = NewDisposeScope();
        manual_seed(22);
        using var model = new FourierNeuralOperator(new FnoOptions
        {
            Width = 32,
            Modes = [4, 4],
            Layers = 3,
            ProjectionWidth = 32,
            Padding = padding,
            Transform = transform,
            TrapezoidalEdges = trapezoidalEdges,
        });
        model.eval();
        var input = randn(2, 1, 21, 23);
        var recorded = model.call(input).detach();
        Tensor fused;
        using (no_grad()) fused = model.call(input);
        Assert.InRange(FloatRounding.RelativeDifference(fused, recorded), 0, 2e-6);
    }
}
