using PdeOps.Operators.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests;

/// <summary>The Fourier layers against direct torch.fft computations.</summary>
public class SpectralConvTests
{
    /// <summary>Sets every mode's weight to the identity matrix (real part 1 on the diagonal).</summary>
    private static void SetIdentity(Tensor weight)
    {
        using var noGrad = no_grad();
        long c = weight.shape[1];
        weight.zero_();
        var identity = eye(c, dtype: weight.dtype);
        weight.select(3, 0).copy_(identity.expand(weight.shape[0], c, c));
    }

    /// <summary>irfft2 of the rfft2 spectrum with everything but the two retained corners zeroed.</summary>
    private static Tensor LowPass2d(Tensor x, int m1, int m2)
    {
        long h = x.shape[2], w = x.shape[3];
        var spec = fft.rfft2(x);
        var mask = zeros(h, w / 2 + 1, dtype: x.dtype);
        mask.narrow(0, 0, m1).narrow(1, 0, m2).fill_(1.0);
        mask.narrow(0, h - m1, m1).narrow(1, 0, m2).fill_(1.0);
        return fft.irfft2(spec * mask, s: new[] { h, w });
    }

    [Theory]
    [InlineData(SpectralTransform.Fft, 24, 20)]
    [InlineData(SpectralTransform.RetainedModeDft, 24, 20)]
    [InlineData(SpectralTransform.RetainedModeDft, 23, 19)]
    public void IdentityWeightsGiveTheLowPassFilter2d(SpectralTransform transform, int h, int w)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var layer = new SpectralConv(3, 3, [5, 4], transform);
        layer.to(float64);
        SetIdentity(layer.Weight);
        var x = randn(2, 3, h, w, dtype: float64);
        var expected = LowPass2d(x, 5, 4);
        using var noGrad = no_grad();
        var y = layer.call(x);
        Assert.Equal(x.shape, y.shape);
        double err = (y - expected).abs().max().ToDouble();
        Assert.True(err < 1e-12, $"max difference {err}");
    }

    [Fact]
    public void IdentityWeightsGiveTheLowPassFilter1dAnd3d()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var l1 = new SpectralConv(2, 2, [6]);
        l1.to(float64);
        SetIdentity(l1.Weight);
        var x1 = randn(3, 2, 30, dtype: float64);
        var s1 = fft.rfft(x1);
        s1.narrow(2, 6, s1.shape[2] - 6).zero_();
        var e1 = fft.irfft(s1, 30);
        using var l3 = new SpectralConv(2, 2, [3, 2, 3]);
        l3.to(float64);
        SetIdentity(l3.Weight);
        var x3 = randn(new long[] { 1, 2, 10, 9, 8 }, dtype: float64);
        var s3 = fft.rfftn(x3, dim: new long[] { -3, -2, -1 });
        var mask = zeros(new long[] { 10, 9, 5 }, dtype: float64);
        foreach (long d0 in new long[] { 0, 7 })
            foreach (long h0 in new long[] { 0, 7 })
                mask.narrow(0, d0, 3).narrow(1, h0, 2).narrow(2, 0, 3).fill_(1.0);
        var e3 = fft.irfftn(s3 * mask, s: new long[] { 10, 9, 8 }, dim: new long[] { -3, -2, -1 });
        using var noGrad = no_grad();
        Assert.True((l1.call(x1) - e1).abs().max().ToDouble() < 1e-12);
        Assert.True((l3.call(x3) - e3).abs().max().ToDouble() < 1e-12);
    }

    [Theory]
    [InlineData(SpectralTransform.Fft)]
    [InlineData(SpectralTransform.RetainedModeDft)]
    public void RetainedModeProductEqualsEinsumOnAZeroFilledSpectrum(SpectralTransform transform)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        int cin = 4, cout = 5, m1 = 4, m2 = 3, h = 17, w = 16;
        using var layer = new SpectralConv(cin, cout, [m1, m2], transform);
        var x = randn(2, cin, h, w);
        // Full-spectrum weights (in, out, H, W/2+1): the layer's modes in the two corners, zeros elsewhere.
        var wc = view_as_complex(layer.Weight.detach()).view(2 * m1, m2, cin, cout).permute(2, 3, 0, 1);
        var full = zeros(new long[] { cin, cout, h, w / 2 + 1 }, dtype: ScalarType.ComplexFloat32);
        full.narrow(2, 0, m1).narrow(3, 0, m2).copy_(wc.narrow(2, 0, m1));
        full.narrow(2, h - m1, m1).narrow(3, 0, m2).copy_(wc.narrow(2, m1, m1));
        var expected = fft.irfft2(einsum("bixy,ioxy->boxy", fft.rfft2(x), full), s: new long[] { h, w });
        using var noGrad = no_grad();
        var y = layer.call(x);
        double err = (y - expected).abs().max().ToDouble();
        Assert.True(err < 1e-5, $"max difference {err}");
    }

    [Theory]
    [InlineData(73)]
    [InlineData(64)]
    public void RetainedModeDftEqualsFullFftValuesAndGradients(int n)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var viaFft = new SpectralConv(6, 6, [12, 12], SpectralTransform.Fft);
        using var viaDft = new SpectralConv(6, 6, [12, 12], SpectralTransform.RetainedModeDft);
        using (no_grad()) viaDft.Weight.copy_(viaFft.Weight);
        var x = randn(2, 6, n, n);
        var xa = x.clone().requires_grad_();
        var xb = x.clone().requires_grad_();
        var ya = viaFft.call(xa);
        var yb = viaDft.call(xb);
        double scale = ya.abs().max().ToDouble();
        Assert.True((ya - yb).abs().max().ToDouble() < 1e-5 * scale);
        var g = randn_like(ya);
        ya.backward(new[] { g });
        yb.backward(new[] { g });
        double gScale = viaFft.Weight.grad!.abs().max().ToDouble();
        Assert.True((viaFft.Weight.grad! - viaDft.Weight.grad!).abs().max().ToDouble() < 1e-4 * gScale);
        Assert.True((xa.grad! - xb.grad!).abs().max().ToDouble() < 1e-4 * xa.grad!.abs().max().ToDouble());
    }

    [Fact]
    public void AutoUsesRetainedModeDftAtAwkwardSizesOrForFewModes()
    {
        using var few = new SpectralConv(1, 1, [12, 12]);
        Assert.True(few.UsesRetainedModeDft(64, 64));
        Assert.True(few.UsesRetainedModeDft(73, 73));
        using var many = new SpectralConv(1, 1, [30, 30]);
        Assert.False(many.UsesRetainedModeDft(64, 64));
        Assert.False(many.UsesRetainedModeDft(72, 70));
        Assert.True(many.UsesRetainedModeDft(73, 73));
        Assert.True(many.UsesRetainedModeDft(64, 85));
    }

    [Fact]
    public void TooCoarseAGridIsRejectedWithTheModeCount()
    {
        using var scope = NewDisposeScope();
        using var layer = new SpectralConv(1, 1, [8, 8]);
        var e = Assert.Throws<ArgumentException>(() => layer.call(randn(1, 1, 12, 32)));
        Assert.Contains("8 retained modes", e.Message);
    }
}
