using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Datasets.Tests.Generation;

/// <summary>Each family on a tiny grid, checked against a property its equation guarantees.</summary>
public sealed class FamilyTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-family-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    FieldFileReader Generate(string family, int res, int? fine, params (string, double)[] parameters)
    {
        string path = Path.Combine(_dir, family + ".h5");
        DatasetGeneration.Run(new GenerationRequest
        {
            Family = family,
            Samples = 2,
            Resolution = res,
            FineResolution = fine,
            Seed = 1,
            Precision = StoragePrecision.Float64,
            Parameters = parameters.ToDictionary(p => p.Item1, p => p.Item2),
        }, path, new GenerationRunOptions { Threads = 2 });
        return new FieldFileReader(path);
    }

    [Fact]
    public void BurgersConservesTheMean()
    {
        // Periodic Burgers is a conservation law: the mean of u is constant in time.
        using var f = Generate("burgers", 128, 128, ("snapshots", 4), ("time_step", 1e-3));
        Assert.Equal(new ulong[] { 2, 4, 128 }, f.Dimensions("solution"));
        var u0 = (double[])f.ReadSamples("initial_condition", 0, 1);
        var u = (double[])f.ReadSamples("solution", 0, 1);
        double mean0 = u0.Average(), amplitude = u0.Max(v => Math.Abs(v));
        Assert.True(amplitude > 0.01, "the initial condition is not trivial");
        for (int k = 0; k < 4; k++)
            Assert.True(Math.Abs(u.Skip(k * 128).Take(128).Average() - mean0) < 1e-10 * amplitude, $"snapshot {k}");
        Assert.Equal(new[] { 0.25, 0.5, 0.75, 1.0 }, f.ReadFlatDouble("t").Values);
    }

    [Fact]
    public void NavierStokesKeepsZeroMeanVorticity()
    {
        using var f = Generate("navier-stokes", 16, 32, ("final_time", 0.2), ("record_interval", 0.1), ("time_step", 1e-3));
        Assert.Equal(new ulong[] { 2, 2, 16, 16 }, f.Dimensions("vorticity"));
        var w = (double[])f.ReadSamples("vorticity", 1, 1);
        double scale = w.Max(v => Math.Abs(v));
        Assert.True(scale > 0.1);
        // Subsampling a zero-mean smooth field keeps its mean near zero, not exactly: compare with the amplitude.
        Assert.True(Math.Abs(w.Take(256).Average()) < 0.05 * scale);
    }

    [Fact]
    public void HeatDecaysUnderTheMaximumPrinciple()
    {
        using var f = Generate("heat", 17, 33, ("final_time", 0.1), ("time_step", 0.01), ("snapshots", 5));
        Assert.Equal(new ulong[] { 2, 5, 17, 17 }, f.Dimensions("solution"));
        var u0 = (double[])f.ReadSamples("initial_condition", 0, 1);
        var u = (double[])f.ReadSamples("solution", 0, 1);
        double previous = u0.Max(Math.Abs);
        for (int k = 0; k < 5; k++)
        {
            double current = u.Skip(k * 289).Take(289).Max(Math.Abs);
            Assert.True(current < previous, $"snapshot {k}: {current} >= {previous}");
            previous = current;
        }
    }

    [Fact]
    public void PoissonAndHelmholtzSolutionsSatisfyTheirDiscreteEquations()
    {
        using (var f = Generate("poisson", 33, null))
            Assert.True(Residual("forcing", f, reaction: null) < 1e-7);
        using (var f = Generate("helmholtz", 33, null, ("omega", 8)))
        {
            var c = (double[])f.ReadSamples("wave_speed", 0, 1);
            Assert.All(c, v => Assert.InRange(v, 0.75, 1.25));
            Assert.True(Residual("wave_speed", f, reaction: speed => -64 / (speed * speed)) < 1e-6);
        }
    }

    // Relative residual of sample 0's stored solution in the general solver's discretisation.
    static double Residual(string input, FieldFileReader file, Func<double, double>? reaction)
    {
        int s = (int)file.Dimensions("solution")[1], m = s - 1;
        var inputValues = (double[])file.ReadSamples(input, 0, 1);
        var u = (double[])file.ReadSamples("solution", 0, 1);
        var a = new double[s, s];
        var c = new double[s, s];
        var rhs = new double[s, s];
        for (int j = 0; j < s; j++)
            for (int i = 0; i < s; i++)
            {
                a[j, i] = 1;
                c[j, i] = reaction?.Invoke(inputValues[j * s + i]) ?? 0;
                double dx = (double)i / m - 0.5, dy = (double)j / m - 0.5;
                rhs[j, i] = reaction is null ? inputValues[j * s + i] : Math.Exp(-(dx * dx + dy * dy) / (2 * 0.05 * 0.05)) / (2 * Math.PI * 0.05 * 0.05);
            }
        var system = Discretization2D.Assemble(new EllipticProblem2D(m, m, a, c, rhs, BoundaryConditions2D.All(BoundaryKind.Dirichlet)));
        var x = new double[system.Operator.Size];
        for (int j = 1; j < m; j++) for (int i = 1; i < m; i++) x[(j - 1) * (m - 1) + i - 1] = u[j * s + i];
        var r = new double[x.Length];
        double rr = system.Operator.Residual(x, system.RightHandSide, r);
        return Math.Sqrt(rr) / Math.Sqrt(system.RightHandSide.Sum(v => v * v));
    }
}
