using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using TorchSharp;
using Xunit.Abstractions;
using static PdeOps.Operators.Tests.Convergent.RefinementStudy;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Tests.Convergent;

/// <summary>
/// Every layer that claims to keep its meaning under refinement converges at its order on grids
/// of 32 to 256 points and keeps its non-local part, while the plain stencil it replaces collapses
/// to a pointwise map.
/// </summary>
[Collection("torch random state")]
public class ConvergentLayerTests(ITestOutputHelper output)
{
    const GridConvention Periodic = GridConvention.Periodic;
    static readonly ReferenceGrid2d Reference = new(32, 32, Periodic);

    void Report(string name, double[] differences, double[] nonLocal) =>
        output.WriteLine($"{name}: successive differences {Join(differences)}; non-local part {Join(nonLocal)}");

    static string Join(double[] values) => string.Join(", ", values.Select(d => d.ToString("E2")));

    static Tensor CircularConv(Tensor x, Tensor kernel, Tensor? bias = null)
    {
        long p = (kernel.shape[2] - 1) / 2;
        return F.conv2d(F.pad(x, new[] { p, p, p, p }, PaddingModes.Circular), kernel, bias);
    }

    static Func<Tensor, Tensor> PointwiseBySum(Tensor kernel, Tensor? bias) =>
        x => F.conv2d(x, kernel.sum(new long[] { 2, 3 }, keepdim: true), bias);

    /// <summary>
    /// Asserts the plain layer's non-local part falls like h (below 1/4 of its reference size at 8x
    /// finer) while the converted one's settles at no less than <paramref name="kept"/> of it.
    /// </summary>
    static void AssertKeepsWhatPlainLoses(double[] converted, double[] plain, double kept = 0.9)
    {
        Assert.All(converted, r => Assert.InRange(r, kept, 1.1));
        Assert.True(Math.Abs(converted[^1] - converted[^2]) < 0.02, $"the non-local part should settle, got {Join(converted)}");
        Assert.True(plain[^1] < 0.25, $"the plain stencil's non-local part should vanish like h, got {plain[^1]:E2} of its size at the reference grid");
    }

    static void AssertOrder(double[] differences, double order)
    {
        foreach (var observed in Orders(differences))
            Assert.True(observed >= order, $"observed order {observed:F2} below {order} ({Join(differences)})");
    }

    [Fact]
    public void KernelInterpolationConvergesAtFirstOrderAndKeepsTheStencilsReach()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var layer = new FixedSupportConv2d(2, 3, 3, Reference, Periodic);
        layer.to(float64);
        var converted = Outputs(x => layer.call(x));
        var plain = Outputs(x => CircularConv(x, layer.Weight, layer.Bias));
        var pointwise = PointwiseBySum(layer.Weight, layer.Bias);
        var (convertedLocal, plainLocal) = (NonLocalPart(converted, pointwise), NonLocalPart(plain, pointwise));
        Report("kernel interpolation", SuccessiveDifferences(converted), convertedLocal);
        Report("plain 3x3", SuccessiveDifferences(plain), plainLocal);
        Assert.True(Relative(converted[0], plain[0]) < 1e-12, "on the reference grid the layer is the convolution");
        AssertOrder(SuccessiveDifferences(converted), 0.9);
        // Reading the taps as samples of a piecewise-linear kernel keeps its sum exactly but 2/3 of
        // its first moment (measured: about 2/3 of the non-local part), on every grid finer than the reference.
        AssertKeepsWhatPlainLoses(convertedLocal, plainLocal, kept: 0.6);
    }

    [Fact]
    public void DifferentialKernelConvergesAtFirstOrderToTheDirectionalDerivative()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var layer = new DifferentialConv2d(2, 3, 3, Periodic, PaddingModes.Circular, hasBias: false);
        layer.to(float64);
        // The limit: sum_j c_j (j . grad f) with j = (row, column) offsets, from the exact gradient of the test field.
        var errors = Grids.Select(n =>
        {
            using var noGrad = no_grad();
            var f = Field(n);
            var exact = DirectionalDerivative(layer.Weight, n);
            return Relative(layer.call(f), exact);
        }).ToArray();
        output.WriteLine($"differential kernel: error against the exact derivative {Join(errors)}");
        AssertOrder(errors, 0.9);
        Assert.True(errors[^1] < 0.02, $"error {errors[^1]:E2} at 256 points");
    }

    [Fact]
    public void ConvertedConvolutionKeepsItsDifferentialPart()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var plainLayer = nn.Conv2d(2, 3, 3, padding: 1, padding_mode: PaddingModes.Circular);
        plainLayer.to(float64);
        using var converted = DifferentialConv2d.FromConvolution(plainLayer.weight, plainLayer.bias, PaddingModes.Circular, 1, Reference, Periodic);
        AssertConvertedConvolution("differential kernel", plainLayer, converted, order: 0.9);
    }

    /// <summary>
    /// Asserts that <paramref name="converted"/> is <paramref name="plainLayer"/> on the reference
    /// grid, converges at <paramref name="order"/> or better, and keeps the non-local part that the
    /// plain layer loses.
    /// </summary>
    void AssertConvertedConvolution(string name, nn.Module<Tensor, Tensor> plainLayer, StencilLayer2d converted, double order)
    {
        var outputs = Outputs(x => converted.call(x));
        var plain = Outputs(x => plainLayer.call(x));
        var pointwise = PointwiseBySum(converted.Weight, converted.Bias);
        var (convertedLocal, plainLocal) = (NonLocalPart(outputs, pointwise), NonLocalPart(plain, pointwise));
        Report(name, SuccessiveDifferences(outputs), convertedLocal);
        Report("plain", SuccessiveDifferences(plain), plainLocal);
        Assert.True(Relative(outputs[0], plain[0]) < 1e-12, "on the reference grid the layer is the convolution");
        AssertOrder(SuccessiveDifferences(outputs), order);
        AssertKeepsWhatPlainLoses(convertedLocal, plainLocal);
    }

    [Fact]
    public void MomentScaledStencilConvergesAndKeepsItsPhysicalMoments()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var plainLayer = nn.Conv2d(2, 3, 3, padding: 1, padding_mode: PaddingModes.Circular);
        plainLayer.to(float64);
        using var converted = MomentScaledConv2d.FromConvolution(plainLayer.weight, plainLayer.bias, PaddingModes.Circular, 1, Reference, Periodic);
        AssertConvertedConvolution("moment scaled", plainLayer, converted, order: 1.8);
        // Its stencil on the finer grid has the reference stencil's moments up to second order in physical units.
        var fine = converted.StencilOn(64, 64);
        var offsets = arange(-1, 2, dtype: float64);
        foreach (var (p, q) in new[] { (0, 0), (1, 0), (0, 1), (2, 0), (1, 1), (0, 2) })
        {
            Tensor Moment(Tensor c, double h) => (c * (offsets * h).pow(p).view(1, 1, 3, 1) * (offsets * h).pow(q).view(1, 1, 1, 3)).sum(new long[] { 2, 3 });
            Assert.True(allclose(Moment(fine, 1.0 / 64), Moment(plainLayer.weight, 1.0 / 32), rtol: 1e-9, atol: 1e-12), $"moment ({p}, {q})");
        }
    }

    [Fact]
    public void DiscoConvolutionConvergesAtSecondOrderWhileAStencilBuiltOnceCollapses()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var layer = new DiscoConv2d(2, 3, radius: 3.0 / 32, rings: 3, directions: 4, Periodic);
        layer.to(float64);
        var disco = Outputs(x => layer.call(x));
        // The known pitfall: the stencil built for the reference grid and reused on the others.
        var once = einsum("oik,kab->oiab", layer.Weight, layer.StencilsOn(32, 32).to(float64));
        var plain = Outputs(x => CircularConv(x, once));
        var pointwise = PointwiseBySum(once, null);
        var (discoLocal, plainLocal) = (NonLocalPart(disco, pointwise), NonLocalPart(plain, pointwise));
        Report("disco", SuccessiveDifferences(disco), discoLocal);
        Report("built once", SuccessiveDifferences(plain), plainLocal);
        AssertOrder(SuccessiveDifferences(disco), 1.8);
        AssertKeepsWhatPlainLoses(discoLocal, plainLocal);
    }

    [Fact]
    public void ResampledStridedConvolutionIsExactOnTheReferenceGridAndConverges()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var strided = nn.Conv2d(2, 3, 3, stride: 2, padding: 1, padding_mode: PaddingModes.Circular);
        strided.to(float64);
        using var layer = ResampledLayer.OfConvolution(strided, Periodic);
        var outputs = Outputs(x => layer.call(x));
        Assert.Equal(new long[] { 16, 32, 64, 128 }, outputs.Select(o => o.shape[2]).ToArray());
        using (no_grad())
            Assert.True(Relative(outputs[0], strided.call(Field(32))) < 1e-12);
        var plain = Outputs(x => strided.call(x));
        var differences = SuccessiveDifferences(outputs);
        Report("resampled", differences, []);
        Report("plain strided", SuccessiveDifferences(plain), []);
        // Nested periodic grids sample the reference grid exactly, so the outputs agree at shared points.
        Assert.All(differences, d => Assert.True(d < 1e-12));
        Assert.True(SuccessiveDifferences(plain)[0] > 1e-2);
    }

    /// <summary>sum over taps c[o, i, a, b] of ((a - m) d/dy + (b - m) d/dx) f_i, in physical units, from the exact derivatives of <see cref="RefinementStudy.Field"/>.</summary>
    static Tensor DirectionalDerivative(Tensor weight, long n)
    {
        var x = arange(n, dtype: float64) / n;
        var (gx, gy) = (x.view(1, n).expand(n, n), x.view(n, 1).expand(n, n));
        double tau = 2 * Math.PI;
        var dax = tau * cos(tau * gx) * cos(tau * gy) - 0.5 * 2 * tau * sin(2 * tau * gx + tau * gy);
        var day = -tau * sin(tau * gx) * sin(tau * gy) - 0.5 * tau * sin(2 * tau * gx + tau * gy);
        var e = exp(sin(tau * (gx - gy)));
        var dbx = e * tau * cos(tau * (gx - gy));
        var dby = -e * tau * cos(tau * (gx - gy)) - 0.3 * tau * cos(tau * gy);
        var dx = stack(new[] { dax, dbx });
        var dy = stack(new[] { day, dby });
        long m = weight.shape[2] / 2;
        var offsets = arange(-m, m + 1, dtype: float64);
        var cy = (weight * offsets.view(1, 1, -1, 1)).sum(new long[] { 2, 3 });
        var cx = (weight * offsets.view(1, 1, 1, -1)).sum(new long[] { 2, 3 });
        return (einsum("oi,ihw->ohw", cy, dy) + einsum("oi,ihw->ohw", cx, dx)).unsqueeze(0);
    }
}
