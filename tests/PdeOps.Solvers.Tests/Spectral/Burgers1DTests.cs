using PdeOps.Solvers.Spectral;
using Xunit.Abstractions;

namespace PdeOps.Solvers.Tests.Spectral;

public class Burgers1DTests(ITestOutputHelper output)
{
    const double A = 2.0; // phi = A + exp(-nu (2 pi)^2 t) cos(2 pi x) stays positive for A > 1

    /// <summary>Cole-Hopf: u = -2 nu phi_x / phi with phi solving the heat equation phi_t = nu phi_xx.</summary>
    static double Exact(double x, double t, double nu)
    {
        double decay = Math.Exp(-nu * 4 * Math.PI * Math.PI * t);
        return 4 * Math.PI * nu * decay * Math.Sin(2 * Math.PI * x) / (A + decay * Math.Cos(2 * Math.PI * x));
    }

    static double MaxErrorAt(int n, double nu, double dt, double t)
    {
        var x = Burgers1D.Grid(n);
        var u0 = x.Select(xi => Exact(xi, 0, nu)).ToArray();
        var result = Burgers1D.Solve(u0, new BurgersOptions { Viscosity = nu, GridPoints = n, TimeStep = dt, FinalTime = t });
        var u = result.Snapshots[^1];
        return x.Select((xi, i) => Math.Abs(u[i] - Exact(xi, t, nu))).Max();
    }

    [Fact]
    public void MatchesColeHopfSolution()
    {
        double error = MaxErrorAt(256, 0.1, 1e-3, 0.5);
        output.WriteLine($"Cole-Hopf max error at t = 0.5, n = 256, dt = 1e-3: {error:E3}");
        Assert.True(error < 1e-8, $"max error {error:E3}");
    }

    [Fact]
    public void ConvergesAtFourthOrderInTime()
    {
        // 128 points resolve this solution to roundoff (its Fourier modes decay like 0.27^k), so the error is temporal.
        double[] dts = [0.1, 0.05, 0.025, 0.0125];
        var errors = dts.Select(dt => MaxErrorAt(128, 0.1, dt, 0.5)).ToArray();
        output.WriteLine($"errors: {string.Join(", ", errors.Select(e => e.ToString("E3")))}");
        for (int i = 1; i < errors.Length; i++)
        {
            double order = Math.Log2(errors[i - 1] / errors[i]);
            Assert.True(order is > 3.5 and < 4.5, $"order {order:F2} between dt = {dts[i - 1]} and {dts[i]}; errors {string.Join(", ", errors.Select(e => e.ToString("E3")))}");
        }
    }

    [Fact]
    public void ReturnsRequestedSnapshotsInOrder()
    {
        int n = 64;
        var u0 = Burgers1D.Grid(n).Select(x => Exact(x, 0, 0.1)).ToArray();
        var result = Burgers1D.Solve(u0, new BurgersOptions { GridPoints = n, TimeStep = 0.01, FinalTime = 0.2, SnapshotTimes = [0, 0.1, 0.2] });
        Assert.Equal([0, 0.1, 0.2], result.Times.Select(t => Math.Round(t, 12)));
        Assert.Equal(u0, result.Snapshots[0]);
        Assert.Equal(20, result.Steps);
    }

    [Fact]
    public void RefusesNonFiniteInputAndWrongLength()
    {
        var o = new BurgersOptions { GridPoints = 16, TimeStep = 0.1, FinalTime = 1 };
        var u0 = new double[16];
        u0[3] = double.NaN;
        Assert.Throws<ArgumentException>(() => Burgers1D.Solve(u0, o));
        Assert.Throws<ArgumentException>(() => Burgers1D.Solve(new double[8], o));
        Assert.Throws<ArgumentException>(() => Burgers1D.Solve(new double[16], o with { SnapshotTimes = [0.05] }));
    }

    [Fact]
    public void ReportsBlowUpWithSpecificException()
    {
        // Inviscid, huge amplitude and a step far beyond the advective limit: the explicit stages blow up.
        int n = 64;
        var u0 = Burgers1D.Grid(n).Select(x => 1e6 * Math.Sin(2 * Math.PI * x)).ToArray();
        var ex = Assert.Throws<SimulationDivergedException>(() =>
            Burgers1D.Solve(u0, new BurgersOptions { Viscosity = 0, GridPoints = n, TimeStep = 0.1, FinalTime = 100 }));
        Assert.Equal(PdeOps.Solvers.Common.ConvergenceReason.DivergedNaN, ex.Reason);
    }
}
