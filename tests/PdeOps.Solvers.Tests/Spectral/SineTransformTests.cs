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

    [Theory]
    [InlineData(1, 5)]
    [InlineData(7, 9)]     // N = 8: the packed real FFT
    [InlineData(8, 4)]     // N = 9: the odd-length real FFT
    [InlineData(419, 11)]  // N = 420 = 4 3 5 7: every butterfly, two groups of four and three rows alone
    [InlineData(12, 3)]    // fewer rows than a group
    public void ManyRowsGiveEachRowsTransformToTheBitInPlaceOrNot(int n, int rows)
    {
        var random = new Random(n * 7 + rows);
        var x = Enumerable.Range(0, n * rows).Select(_ => random.NextDouble() - 0.5).ToArray();
        var transform = new SineTransform(n);
        var expected = new double[x.Length];
        for (int r = 0; r < rows; r++) transform.Apply(x.AsSpan(r * n, n), expected.AsSpan(r * n, n));
        var result = new double[x.Length];
        transform.ApplyRows(x, result);
        Assert.Equal(expected, result);
        var inPlace = (double[])x.Clone();
        transform.ApplyRows(inPlace, inPlace);
        Assert.Equal(expected, inPlace);
        Assert.Throws<ArgumentException>(() => transform.ApplyRows(x, result.AsSpan(1)));
        if (n > 1) Assert.Throws<ArgumentException>(() => transform.ApplyRows(x.AsSpan(1), result.AsSpan(1)));
    }
}
