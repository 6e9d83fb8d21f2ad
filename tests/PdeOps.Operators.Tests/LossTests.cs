using PdeOps.Operators.Losses;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests;

/// <summary>The losses as function-space norms.</summary>
public class LossTests
{
    private static Tensor Grid2d(int n, GridConvention convention, out Tensor y)
    {
        var t = convention == GridConvention.Periodic ? arange(n, dtype: float64) / n : linspace(0, 1, n, dtype: float64);
        var x = t.view(1, n).expand(n, n);
        y = t.view(n, 1).expand(n, n);
        return x;
    }

    [Fact]
    public void RelativeL2OfTheTargetIsZeroAndOfTwiceTheTargetIsOne()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        var v = randn(3, 2, 16, 16);
        var loss = new RelativeL2Loss();
        Assert.Equal(0.0, loss.Compute(v, v).item<float>(), 6);
        Assert.Equal(1.0, loss.Compute(2 * v, v).item<float>(), 5);
        var perSample = loss.PerSample(v + v * arange(3).view(3, 1, 1, 1), v);
        Assert.Equal(new[] { 0f, 1f, 2f }, perSample.data<float>().ToArray().Select(f => MathF.Round(f, 4)));
    }

    [Fact]
    public void RelativeL2DoesNotDependOnTheResolution()
    {
        const GridConvention convention = GridConvention.Closed;
        // u = x^2 + y, v = x + y on the unit square: ||u - v|| / ||v|| = sqrt((1/30) / (7/6)) = 1/sqrt(35).
        // Both rules are second order, so the error at n points is O(1/n^2).
        using var scope = NewDisposeScope();
        var loss = new RelativeL2Loss(2, convention);
        double Rel(int n)
        {
            var x = Grid2d(n, convention, out var y);
            var u = (x.square() + y).view(1, 1, n, n);
            var v = (x + y).view(1, 1, n, n);
            return loss.Compute(u, v).item<double>();
        }
        double exact = 1 / Math.Sqrt(35);
        double coarse = Rel(65), fine = Rel(129);
        Assert.True(Math.Abs(coarse - exact) < 2.0 / (65 * 65), $"n=65: {coarse} vs {exact}");
        Assert.True(Math.Abs(fine - exact) < 2.0 / (129 * 129), $"n=129: {fine} vs {exact}");
        Assert.True(Math.Abs(coarse - fine) < 2.0 / (65 * 65));
    }

    [Fact]
    public void PeriodicRelativeL2IsExactForTrigonometricPolynomialsAtEveryResolution()
    {
        // v = 1 + sin(2 pi x) cos(2 pi y), u = v + sin(4 pi y) / 2: ||u - v||^2 = 1/8, ||v||^2 = 5/4.
        using var scope = NewDisposeScope();
        var loss = new RelativeL2Loss(2, GridConvention.Periodic);
        foreach (int n in new[] { 16, 24, 64 })
        {
            var x = Grid2d(n, GridConvention.Periodic, out var y);
            var v = (1 + (2 * Math.PI * x).sin() * (2 * Math.PI * y).cos()).view(1, 1, n, n);
            var u = v + (4 * Math.PI * y).sin().view(1, 1, n, n) / 2;
            Assert.Equal(Math.Sqrt(0.1), loss.Compute(u, v).item<double>(), 12);
        }
    }

    [Fact]
    public void RelativeH1OfTwoSineModesMatchesTheAnalyticValue()
    {
        // v = sin(2 pi x) sin(2 pi y), u = sin(4 pi x) sin(2 pi y) on the periodic unit square:
        // ||v||_H1^2 = (1 + 8 pi^2) / 4, ||u - v||_H1^2 = (2 + 28 pi^2) / 4 (the modes are orthogonal).
        // Central differences scale the derivative of mode k by sin(theta)/theta, theta = 2 pi k / n,
        // a relative error of about theta^2 / 6 = 4e-4 for k = 2, n = 256.
        using var scope = NewDisposeScope();
        int n = 256;
        var x = Grid2d(n, GridConvention.Periodic, out var y);
        var v = ((2 * Math.PI * x).sin() * (2 * Math.PI * y).sin()).view(1, 1, n, n);
        var u = ((4 * Math.PI * x).sin() * (2 * Math.PI * y).sin()).view(1, 1, n, n);
        double pi2 = Math.PI * Math.PI;
        double exact = Math.Sqrt((2 + 28 * pi2) / (1 + 8 * pi2));
        double h1 = new RelativeH1Loss(2, GridConvention.Periodic).Compute(u, v).item<double>();
        Assert.True(Math.Abs(h1 - exact) < 1e-3 * exact, $"{h1} vs {exact}");
        double l2 = new RelativeL2Loss(2, GridConvention.Periodic).Compute(u, v).item<double>();
        Assert.Equal(Math.Sqrt(2), l2, 10);
    }

    [Fact]
    public void ClosedGridDerivativesAreExactForQuadratics()
    {
        using var scope = NewDisposeScope();
        var q = new GridQuadrature(1, GridConvention.Closed, 2.0);
        var x = linspace(0, 2, 11, dtype: float64);
        var d = q.Derivative((x.square() * 3 + x).view(1, 1, 11), 0).view(11);
        Assert.True((d - (6 * x + 1)).abs().max().item<double>() < 1e-12);
    }

    [Fact]
    public void MseIsTheMeanSquare()
    {
        using var scope = NewDisposeScope();
        var a = zeros(2, 1, 4, 4);
        var b = full(new long[] { 2, 1, 4, 4 }, 3.0f);
        Assert.Equal(9.0, new MseLoss().Compute(a, b).item<float>(), 6);
        Assert.Throws<ArgumentException>(() => new MseLoss().Compute(a, zeros(2, 1, 4, 5)));
    }
}
