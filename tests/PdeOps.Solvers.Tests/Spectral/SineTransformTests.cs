using PdeOps.Solvers.Spectral;

namespace PdeOps.Solvers.Tests.Spectral;

public class SineTransformTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(420)]
    [InlineData(419)]
    public void MatchesTheDefiningSumAndIsItsOwnInverse(int n)
    {
        var random = new Random(n);
        var x = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var s = new double[n];
        var transform = new SineTransform(n);
        transform.Apply(x, s);
        double scale = Math.Sqrt(2.0 / (n + 1));
        for (int k = 1; k <= n; k += Math.Max(1, n / 17))
        {
            double direct = 0;
            for (int j = 1; j <= n; j++) direct += x[j - 1] * Math.Sin(Math.PI * j * k / (n + 1));
            Assert.Equal(scale * direct, s[k - 1], 1e-12);
        }
        var back = new double[n];
        transform.Apply(s, back);
        for (int j = 0; j < n; j++) Assert.Equal(x[j], back[j], 1e-12);
    }
}
