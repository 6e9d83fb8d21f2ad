using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests;

/// <summary>Proves that libtorch's natives load and compute: FFTs, complex numbers and autograd.</summary>
public class TorchNativeTests
{
    [Fact]
    public void LibTorchVersionIsTheOneTorchSharpShips() =>
        Assert.Equal("2.10.0", TorchRuntime.LibTorchVersion);

    [Fact]
    public void Rfft2ThenIrfft2ReturnsTheInput()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var x = randn(3, 4, 24, 17, dtype: float64);
        var spectrum = fft.rfft2(x);
        Assert.Equal(new long[] { 3, 4, 24, 9 }, spectrum.shape);
        Assert.True(spectrum.is_complex());
        var back = fft.irfft2(spectrum, s: new long[] { 24, 17 });
        double err = (back - x).abs().max().item<double>();
        Assert.True(err < 1e-12, $"round-trip error {err}");
    }

    [Fact]
    public void Rfft2OfACosineHasOneMode()
    {
        // cos(2 pi 3 x / n) along the last axis: all energy in mode 3, amplitude n * m / 2.
        using var scope = NewDisposeScope();
        int n = 16, m = 8;
        var x = arange(n, dtype: float64).mul(2 * Math.PI * 3 / n).cos().expand(m, n).contiguous();
        var s = fft.rfft2(x).abs();
        Assert.Equal(n * m / 2.0, s[0, 3].item<double>(), 9);
        Assert.True(s.sum().item<double>() - s[0, 3].item<double>() < 1e-9);
    }

    [Fact]
    public void SecondDerivativeThroughAutogradMatchesCalculus()
    {
        // y = x^3 + sin x: dy/dx = 3x^2 + cos x, d2y/dx2 = 6x - sin x.
        using var scope = NewDisposeScope();
        var x = linspace(-2, 2, 9, dtype: float64).requires_grad_();
        var y = x.pow(3) + x.sin();
        var dy = autograd.grad(new[] { y.sum() }, new[] { x }, create_graph: true)[0];
        var d2y = autograd.grad(new[] { dy.sum() }, new[] { x })[0];
        var xs = x.detach();
        var expected1 = 3 * xs.pow(2) + xs.cos();
        var expected2 = 6 * xs - xs.sin();
        Assert.True((dy.detach() - expected1).abs().max().item<double>() < 1e-12);
        Assert.True((d2y - expected2).abs().max().item<double>() < 1e-12);
    }
}
