using PdeOps.Physics.RandomFields;

namespace PdeOps.Physics.Tests.RandomFields;

public sealed class GaussianRandomFieldTests
{
    // Periodic 1D: the covariance of u(x) and u(y) is sum over k != 0 of sigma^2 (4 pi^2 k^2 + tau^2)^(-alpha) cos(2 pi k (x - y)).
    static double PeriodicCovariance(double alpha, double tau, double sigma, int maxFrequency, double lag)
    {
        double sum = 0;
        for (int k = 1; k <= maxFrequency; k++) sum += 2 * sigma * sigma * Math.Pow(4 * Math.PI * Math.PI * k * k + tau * tau, -alpha) * Math.Cos(2 * Math.PI * k * lag);
        return sum;
    }

    [Fact]
    public void PeriodicSamplesHaveTheCovarianceOfTheOperator()
    {
        const int s = 64, samples = 2000;
        var field = new GaussianRandomField(1, s, alpha: 2, tau: 5, sigma: 25, FieldBoundary.Periodic);
        var lags = new[] { 0, 1, 4, 8 };
        var estimate = new double[lags.Length];
        for (int n = 0; n < samples; n++)
        {
            var u = field.Sample1D(seed: 3, index: n);
            for (int l = 0; l < lags.Length; l++)
                for (int i = 0; i < s; i++) estimate[l] += u[i] * u[(i + lags[l]) % s] / (s * (double)samples);
        }
        double variance = PeriodicCovariance(2, 5, 25, (s - 1) / 2, 0);
        for (int l = 0; l < lags.Length; l++)
        {
            double expected = PeriodicCovariance(2, 5, 25, (s - 1) / 2, lags[l] / (double)s);
            // 2000 samples: the standard error of a covariance estimate is about variance * sqrt(2 / 2000) = 3% of the variance.
            Assert.True(Math.Abs(estimate[l] - expected) < 0.1 * variance, $"lag {lags[l]}: {estimate[l]} vs {expected}");
        }
    }

    [Fact]
    public void NeumannFieldHasTheFnoDarcyVariance()
    {
        // Zero-Neumann 2D, alpha 2, tau 3, sigma tau^(alpha - 1): the pointwise variance at the
        // centre is sum over k != 0 of lambda_k phi_k(x)^2 with phi = prod sqrt2 cos(pi k x).
        const int s = 32, samples = 800;
        var field = TwoPhaseCoefficient.FnoDarcyField(s);
        Assert.Equal(3.0, field.Sigma, 12);
        int c = s / 2;
        double x = (c + 0.5) / s, expected = 0;
        for (int ky = 0; ky < s; ky++)
            for (int kx = 0; kx < s; kx++)
            {
                if (kx == 0 && ky == 0) continue;
                double phi = (kx == 0 ? 1 : Math.Sqrt(2) * Math.Cos(Math.PI * kx * x)) * (ky == 0 ? 1 : Math.Sqrt(2) * Math.Cos(Math.PI * ky * x));
                expected += 9 * Math.Pow(Math.PI * Math.PI * (kx * kx + ky * ky) + 9, -2) * phi * phi;
            }
        double sum = 0, sumSquares = 0;
        for (int n = 0; n < samples; n++)
        {
            double v = field.Sample2D(1, n)[c, c];
            sum += v; sumSquares += v * v;
        }
        double mean = sum / samples, variance = sumSquares / samples - mean * mean;
        // Standard errors: mean sqrt(var / 800) = 3.5% of sigma; variance sqrt(2 / 800) = 5%.
        Assert.True(Math.Abs(mean) < 0.15 * Math.Sqrt(expected), $"mean {mean}");
        Assert.True(Math.Abs(variance / expected - 1) < 0.2, $"variance {variance} vs {expected}");
    }

    [Fact]
    public void SamplesArePureFunctionsOfSeedAndIndex()
    {
        var a = new GaussianRandomField(2, 17, 2.5, 7, boundary: FieldBoundary.Periodic);
        var b = new GaussianRandomField(2, 17, 2.5, 7, boundary: FieldBoundary.Periodic);
        Assert.Equal(a.Sample(5, 12), b.Sample(5, 12));
        Assert.NotEqual(a.Sample(5, 12), a.Sample(5, 13));
        Assert.NotEqual(a.Sample(5, 12), a.Sample(6, 12));
    }

    [Fact]
    public void ThreeDimensionalFieldsAreSmoothAndZeroMean()
    {
        var field = new GaussianRandomField(3, 12, alpha: 3, tau: 4, boundary: FieldBoundary.Periodic);
        var u = field.Sample3D(0, 0);
        Assert.Equal(new[] { 12, 12, 12 }, new[] { u.GetLength(0), u.GetLength(1), u.GetLength(2) });
        double mean = 0;
        foreach (double v in u) mean += v / u.Length;
        // The constant mode is left out: the grid mean of the retained periodic modes is exactly zero.
        Assert.True(Math.Abs(mean) < 1e-12, $"mean {mean}");
        Assert.Contains(u.Cast<double>(), v => v != 0);
    }

    [Fact]
    public void BadParametersAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianRandomField(4, 8, 2, 3));
        Assert.Throws<ArgumentException>(() => new GaussianRandomField(2, 8, -1, 3));
        Assert.Throws<InvalidOperationException>(() => new GaussianRandomField(2, 8, 2, 3).Sample1D(0, 0));
        // An amplitude tau^(alpha - d/2) beyond double range, refused by the check callers make before building fields.
        Assert.Contains("amplitude", Assert.Throws<ArgumentException>(() => GaussianRandomField.CheckParameters(2, 1e300, 3)).Message);
        Assert.Throws<ArgumentException>(() => new GaussianRandomField(2, 8, 1e300, 3));
        Assert.Equal(Math.Pow(3, 1.5), GaussianRandomField.CheckParameters(1, 2, 3), 12);
        Assert.Equal(0.5, GaussianRandomField.CheckParameters(2, 2, 3, sigma: 0.5));
        // Fields past an array's reach: s^d overflowed the sample's length and the product wrote past it.
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianRandomField(2, 200_002, 2, 3, maxModes: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GaussianRandomField(3, 2000, 2, 3, maxModes: 4));
    }
}
