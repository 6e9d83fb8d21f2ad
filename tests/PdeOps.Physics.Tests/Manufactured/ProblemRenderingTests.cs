using PdeOps.Physics.Geometry;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Tests.Manufactured;

public class ProblemRenderingTests
{
    [Fact]
    public void ChannelsMarkTheBoundaryWithItsDataAndEncodeTheSource()
    {
        var problem = Problem2D.FromText("uxx + uyy", "-50*x*y", "square - disk(0.2, 0.1, 0.4)", ["x + 2*y"], ["hole1: nx"]);
        const int n = 65;
        var r = ProblemRendering.Render(problem, n);
        Assert.Equal(5, r.Channels.Length);
        double X(int i) => Domain2D.Coordinate(i, n);
        int At(int j, int i) => j * n + i;
        // The outer boundary is Dirichlet, with the value of x + 2y nearby.
        Assert.Equal(1f, r.Channels[0][At(0, 10)]);
        Assert.Equal(X(10) - 2, r.Channels[2][At(0, 10)], 0.01); // from a boundary point within h/8
        Assert.Equal(0f, r.Channels[1][At(0, 10)]);
        // A point on the circle: Neumann with the normal's x component, which points into the hole.
        var (ci, cj) = ((int)Math.Round((0.2 + 0.4 + 1) / (2.0 / (n - 1))), (int)Math.Round((0.1 + 1) / (2.0 / (n - 1))));
        Assert.Equal(1f, r.Channels[1][At(cj, ci)]);
        Assert.Equal(-1, r.Channels[3][At(cj, ci)], 1);
        // Far from every curve nothing is marked.
        Assert.Equal(0f, r.Channels[0][At(50, 12)]);
        Assert.Equal(0f, r.Channels[1][At(50, 12)]);
        // The source channel is sign(f) log(1 + |f|) on the domain and 0 inside the hole, where f is no data.
        var f = -50 * X(50) * X(12);
        Assert.Equal(Math.Sign(f) * Math.Log(1 + Math.Abs(f)), r.Channels[4][At(50, 12)], 5);
        Assert.True(Math.Abs(-50 * X(42) * X(48)) > 5);
        Assert.Equal(0f, r.Channels[4][At(42, 48)]);
        var marked = r.Channels[0].Count(v => v == 1);
        Assert.InRange(marked, 4 * (n - 1), 4 * 4 * n); // a band a few points wide along the square's sides
    }

    [Fact]
    public void RenderingIntoArraysGivesTheChannelsAndTheSolution()
    {
        var plain = Problem2D.FromText("uxx + 0.5*uyy - u", "x*y", "square - disk(0.2, 0.1, 0.4)", ["x + 2*y"], ["hole1: nx"]);
        var problem = new Problem2D(plain.Operator, plain.Source, plain.Domain, plain.Conditions, Expr.Parse("sin(3*x)*exp(-y) + x*y"));
        const int n = 40;
        var rendered = ProblemRendering.Render(problem, n);
        // Arrays that held other values: everything must be overwritten.
        var (channels, solution) = (Enumerable.Repeat(7.0, 5 * n * n).ToArray(), Enumerable.Repeat(7.0, n * n).ToArray());
        ProblemRendering.RenderInto(problem, n, channels, solution);
        for (var c = 0; c < 5; c++)
            for (var k = 0; k < n * n; k++) Assert.Equal(rendered.Channels[c][k], (float)channels[c * n * n + k]);
        for (var j = 0; j < n; j++)
            for (var i = 0; i < n; i++)
            {
                var (x, y) = (Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n));
                Assert.Equal(Math.Sin(3 * x) * Math.Exp(-y) + x * y, solution[j * n + i], 1e-13);
            }
        // Without an exact solution the solution array reads 0.
        ProblemRendering.RenderInto(plain, n, channels, solution);
        Assert.All(solution, v => Assert.Equal(0, v));
        Assert.Throws<ArgumentException>(() => ProblemRendering.RenderInto(problem, n, new double[5 * n * n - 1]));
        Assert.Throws<ArgumentException>(() => ProblemRendering.RenderInto(problem, n, channels, new double[n]));
        Assert.Throws<ArgumentException>(() => ProblemRendering.RenderInto(problem, n, channels, mask: new double[n]));
        // The closure mask it fills is the domain's.
        var (mask, expected) = (Enumerable.Repeat(7.0, n * n).ToArray(), new double[n * n]);
        ProblemRendering.RenderInto(problem, n, channels, mask: mask);
        problem.Domain.ClosureMask(n, expected);
        Assert.Equal(expected, mask);
    }
}
