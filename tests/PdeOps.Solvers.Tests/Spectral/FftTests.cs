using System.Numerics;
using PdeOps.Solvers.Spectral;

namespace PdeOps.Solvers.Tests.Spectral;

public class FftTests
{
    static Complex[] RandomComplex(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => new Complex(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5)).ToArray();
    }

    static double[] RandomReal(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
    }

    /// <summary>The textbook O(n^2) DFT with angles reduced exactly (j k mod n) so it is accurate to roundoff.</summary>
    static Complex[] NaiveDft(IReadOnlyList<Complex> x)
    {
        int n = x.Count;
        var result = new Complex[n];
        for (int k = 0; k < n; k++)
        {
            Complex acc = 0;
            for (int j = 0; j < n; j++)
            {
                double angle = -2 * Math.PI * ((long)j * k % n) / n;
                acc += x[j] * new Complex(Math.Cos(angle), Math.Sin(angle));
            }
            result[k] = acc;
        }
        return result;
    }

    static double RelativeError(IReadOnlyList<Complex> a, IReadOnlyList<Complex> b, int count)
    {
        double diff = 0, norm = 0;
        for (int i = 0; i < count; i++)
        {
            diff = Math.Max(diff, (a[i] - b[i]).Magnitude);
            norm = Math.Max(norm, b[i].Magnitude);
        }
        return diff / norm;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(1024)]
    [InlineData(12)]
    [InlineData(60)]
    [InlineData(375)]
    [InlineData(7)]
    [InlineData(73)]
    [InlineData(98)]
    [InlineData(210)]
    [InlineData(1001)]
    [InlineData(23 * 4)]
    public void ComplexForwardMatchesNaiveDft(int n)
    {
        var x = RandomComplex(n, n);
        var y = (Complex[])x.Clone();
        new ComplexFftPlan(n).Forward(y);
        Assert.True(RelativeError(y, NaiveDft(x), n) < 1e-12, $"n = {n}: {RelativeError(y, NaiveDft(x), n):E2}");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(360)]
    [InlineData(8192)]
    [InlineData(77)]
    public void ComplexInverseUndoesForwardAndKeepsParseval(int n)
    {
        var x = RandomComplex(n, 3);
        var y = (Complex[])x.Clone();
        var plan = new ComplexFftPlan(n);
        plan.Forward(y);
        double timeEnergy = x.Sum(v => v.Magnitude * v.Magnitude), freqEnergy = y.Sum(v => v.Magnitude * v.Magnitude) / n;
        Assert.True(Math.Abs(timeEnergy - freqEnergy) < 1e-12 * timeEnergy);
        plan.Inverse(y);
        Assert.True(RelativeError(y, x, n) < 1e-13);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(256)]
    [InlineData(30)]
    [InlineData(250)]
    [InlineData(9)]
    [InlineData(1)]
    public void RealForwardMatchesNaiveDftAndRoundTrips(int n)
    {
        var x = RandomReal(n, 11);
        var plan = new RealFftPlan(n);
        var spectrum = new Complex[plan.SpectrumLength];
        plan.Forward(x, spectrum);
        var reference = NaiveDft(x.Select(v => new Complex(v, 0)).ToArray());
        Assert.True(RelativeError(spectrum, reference, plan.SpectrumLength) < 1e-12);

        var back = new double[n];
        plan.Inverse(spectrum, back);
        for (int j = 0; j < n; j++) Assert.True(Math.Abs(back[j] - x[j]) < 1e-13, $"n = {n}, j = {j}");
    }

    [Fact]
    public void RealParsevalOnHalfSpectrum()
    {
        const int n = 4096;
        var x = RandomReal(n, 5);
        var plan = new RealFftPlan(n);
        var s = new Complex[plan.SpectrumLength];
        plan.Forward(x, s);
        // Interior modes appear twice in the full spectrum; k = 0 and k = n/2 once.
        double freq = Sq(s[0]) + Sq(s[n / 2]);
        for (int k = 1; k < n / 2; k++) freq += 2 * Sq(s[k]);
        double time = x.Sum(v => v * v);
        Assert.True(Math.Abs(time - freq / n) < 1e-12 * time);

        static double Sq(Complex c) => c.Real * c.Real + c.Imaginary * c.Imaginary;
    }

    [Theory]
    [InlineData(8, 16, 1)]
    [InlineData(12, 10, 2)]
    [InlineData(32, 32, 2)]
    [InlineData(6, 9, 1)]
    public void Real2DMatchesNaiveDftAndRoundTrips(int ny, int nx, int threads)
    {
        var field = RandomReal(ny * nx, 17);
        var plan = new RealFft2DPlan(ny, nx, threads);
        var spectrum = new Complex[plan.SpectrumSize];
        plan.Forward(field, spectrum);

        // Naive 2D DFT: transform rows, then columns, each with the naive 1D DFT.
        var full = new Complex[ny, nx];
        for (int j = 0; j < ny; j++)
        {
            var row = NaiveDft(Enumerable.Range(0, nx).Select(i => new Complex(field[j * nx + i], 0)).ToArray());
            for (int i = 0; i < nx; i++) full[j, i] = row[i];
        }
        double diff = 0, norm = 0;
        for (int i = 0; i < plan.SpectrumNx; i++)
        {
            var column = NaiveDft(Enumerable.Range(0, ny).Select(j => full[j, i]).ToArray());
            for (int j = 0; j < ny; j++)
            {
                diff = Math.Max(diff, (column[j] - spectrum[j * plan.SpectrumNx + i]).Magnitude);
                norm = Math.Max(norm, column[j].Magnitude);
            }
        }
        Assert.True(diff < 1e-12 * norm, $"{diff / norm:E2}");

        var copy = (Complex[])spectrum.Clone();
        var back = new double[ny * nx];
        plan.Inverse(spectrum, back);
        Assert.Equal(copy, spectrum);
        for (int k = 0; k < back.Length; k++) Assert.True(Math.Abs(back[k] - field[k]) < 1e-13);
    }
}
