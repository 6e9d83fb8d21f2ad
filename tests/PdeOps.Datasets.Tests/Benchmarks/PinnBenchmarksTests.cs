using PdeOps.Datasets.Benchmarks;
using PdeOps.Physics.Geometry;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Datasets.Tests.Benchmarks;

public class PinnBenchmarksTests
{
    [Theory]
    [InlineData("heat")]
    [InlineData("helmholtz")]
    [InlineData("wave")]
    public void ExactSolutionsSatisfyTheEquationAndTheirConditions(string name)
    {
        var p = PinnBenchmarks.Get(name).Problem;
        var u = p.Exact!;
        var residual = (p.Operator.Apply(u) - p.Source).Compile2D();
        var random = new SampleRandom(1, 0);
        var (x, y) = p.Domain.SampleInterior(200, random);
        var scale = Math.Max(1, x.Zip(y).Max(q => Math.Abs(p.Source.Compile2D().Evaluate(q.First, q.Second))));
        for (var k = 0; k < x.Length; k++) Assert.True(Math.Abs(residual.Evaluate(x[k], y[k])) < 1e-9 * scale, $"{name}: L u - f = {residual.Evaluate(x[k], y[k])}");
        var edge = p.Domain.SampleBoundary(400, random);
        var (exact, ux, uy) = (u.Compile2D(), u.Derivative("x").Compile2D(), u.Derivative("y").Compile2D());
        for (var k = 0; k < edge.Count; k++)
            foreach (var c in p.On(p.Domain.SegmentNames[edge.Segment[k]]))
            {
                var (px, py, nx, ny) = (edge.X[k], edge.Y[k], edge.NormalX[k], edge.NormalY[k]);
                var expected = c.Kind == BoundaryKind.Dirichlet ? exact.Evaluate(px, py) : nx * ux.Evaluate(px, py) + ny * uy.Evaluate(px, py);
                Assert.Equal(expected, c.Evaluate(px, py, nx, ny), 9);
            }
    }

    [Theory]
    [InlineData("poisson-holes")]
    [InlineData("poisson-gauss")]
    public void SolvedReferencesAreConvergedToWellBelowPinnAccuracy(string name)
    {
        var benchmark = PinnBenchmarks.Get(name);
        var reference = benchmark.Reference(65);
        var coarse = MaskedEllipticSolver.Solve(benchmark.Problem, 128);
        double difference = 0, norm = 0;
        for (var j = 0; j < 65; j++)
            for (var i = 0; i < 65; i++)
            {
                if (reference.Mask[j, i] == 0 || double.IsNaN(coarse.U[2 * j, 2 * i])) continue;
                difference = Math.Max(difference, Math.Abs(reference.U[j, i] - coarse.U[2 * j, 2 * i]));
                norm = Math.Max(norm, Math.Abs(reference.U[j, i]));
            }
        // Second order: the 512-interval reference is 16 times closer than this 128-interval solve.
        Assert.True(difference / norm < 1e-2, $"{name}: 128 and 512 intervals differ by {difference / norm:E2} relative");
        Assert.Contains("Shortley-Weller", reference.Method);
        Assert.True(reference.Mask.Cast<double>().Count(m => m > 0) > 65 * 65 / 2);
    }

    [Fact]
    public void TheSevenAreNamedAndUnknownNamesListThem()
    {
        Assert.Equal(["heat", "helmholtz", "helmholtz-holes", "poisson-holes", "poisson-l", "poisson-gauss", "wave"], PinnBenchmarks.All.Select(b => b.Name));
        Assert.Contains("poisson-l", Assert.Throws<ArgumentException>(() => PinnBenchmarks.Get("laplace")).Message);
        Assert.Equal(Domain2D.Parse("square - rect(0, 0, 1, 1)").ToString(), PinnBenchmarks.Get("poisson-l").Problem.Domain.ToString());
    }
}
