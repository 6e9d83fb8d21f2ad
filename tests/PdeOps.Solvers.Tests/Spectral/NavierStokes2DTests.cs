using PdeOps.Solvers.Spectral;
using Xunit.Abstractions;

namespace PdeOps.Solvers.Tests.Spectral;

public class NavierStokes2DTests(ITestOutputHelper output)
{
    static double MaxAbs(double[,] f) => f.Cast<double>().Max(Math.Abs);

    static double MaxDifference(double[,] a, double[,] b)
    {
        double d = 0;
        for (int j = 0; j < a.GetLength(0); j++)
            for (int i = 0; i < a.GetLength(1); i++) d = Math.Max(d, Math.Abs(a[j, i] - b[j, i]));
        return d;
    }

    /// <summary>A smooth, zero-mean field of a few Fourier modes with seeded pseudo-random amplitudes and phases.</summary>
    static double[,] SmoothField(int n, int seed, double amplitude)
    {
        var rng = new Random(seed);
        var modes = Enumerable.Range(0, 8).Select(_ => (kx: rng.Next(-3, 4), ky: rng.Next(1, 4), a: amplitude * (rng.NextDouble() - 0.5), phase: 2 * Math.PI * rng.NextDouble())).ToArray();
        return NavierStokes2D.Sample(n, n, (x, y) => modes.Sum(m => m.a * Math.Cos(2 * Math.PI * (m.kx * x + m.ky * y) + m.phase)));
    }

    [Fact]
    public void TaylorGreenVortexDecaysAtTheViscousRate()
    {
        // w = psi's eigenfunction of the Laplacian, so u . grad w = 0 exactly and only viscosity acts.
        const double nu = 0.01, t = 0.5;
        var w0 = NavierStokes2D.Sample(64, 64, (x, y) => 2 * (2 * Math.PI) * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * y));
        var result = NavierStokes2D.Solve(w0, new NavierStokesOptions
        {
            Viscosity = nu,
            TimeStep = 1e-3,
            FinalTime = t,
            RecordInterval = null,
            Forcing = NavierStokes2D.NoForcing,
        });
        double decay = Math.Exp(-2 * nu * 4 * Math.PI * Math.PI * t), error = 0;
        for (int j = 0; j < 64; j++)
            for (int i = 0; i < 64; i++) error = Math.Max(error, Math.Abs(result.Snapshots[0][j, i] - decay * w0[j, i]));
        double relative = error / (decay * MaxAbs(w0));
        output.WriteLine($"Taylor-Green relative max error at t = 0.5: {relative:E3}");
        Assert.True(relative < 1e-6, $"relative error {relative:E3}");
    }

    [Fact]
    public void ForcedFlowKeepsZeroMeanAndStaysFinite()
    {
        var w0 = SmoothField(64, 42, 6.0);
        var result = NavierStokes2D.Solve(w0, new NavierStokesOptions { Viscosity = 1e-3, TimeStep = 1e-3, FinalTime = 1, RecordInterval = 0.25 });
        Assert.Equal(4, result.Snapshots.Count);
        foreach (var w in result.Snapshots)
        {
            Assert.All(w.Cast<double>(), v => Assert.True(double.IsFinite(v)));
            double mean = w.Cast<double>().Average();
            Assert.True(Math.Abs(mean) < 1e-12 * MaxAbs(w0), $"mean {mean:E3}");
            Assert.True(MaxAbs(w) < 3 * MaxAbs(w0), "vorticity grew beyond what a weak forcing can supply");
        }
        // The flow did evolve: advection moved the field well beyond roundoff.
        Assert.True(MaxDifference(result.Snapshots[^1], w0) > 0.1 * MaxAbs(w0));
    }

    [Fact]
    public void ConvergesAtSecondOrderInTime()
    {
        var w0 = SmoothField(32, 7, 6.0);
        var options = new NavierStokesOptions { Viscosity = 1e-3, FinalTime = 0.5, RecordInterval = null };
        double[,] Run(double dt) => NavierStokes2D.Solve(w0, options with { TimeStep = dt }).Snapshots[0];
        var reference = Run(0.01 / 64);
        double[] dts = [0.01, 0.005, 0.0025];
        var errors = dts.Select(dt => MaxDifference(Run(dt), reference)).ToArray();
        output.WriteLine($"errors: {string.Join(", ", errors.Select(e => e.ToString("E3")))}; |w0| = {MaxAbs(w0):F2}");
        for (int i = 1; i < errors.Length; i++)
        {
            double order = Math.Log2(errors[i - 1] / errors[i]);
            Assert.True(order is > 1.8 and < 2.2, $"order {order:F2} between dt = {dts[i - 1]} and {dts[i]}");
        }
    }

    [Fact]
    public void RefusesWrongShapesAndNonFiniteInput()
    {
        var o = new NavierStokesOptions { TimeStep = 0.1, FinalTime = 1 };
        Assert.Throws<ArgumentException>(() => NavierStokes2D.Solve(new double[7, 8], o));
        var w0 = new double[8, 8];
        w0[2, 3] = double.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => NavierStokes2D.Solve(w0, o));
        Assert.Throws<ArgumentException>(() => NavierStokes2D.Solve(new double[8, 8], o with { ForcingField = new double[4, 4] }));
        Assert.Throws<ArgumentException>(() => NavierStokes2D.Solve(new double[8, 8], o with { RecordInterval = 0.25 }));
    }
}
