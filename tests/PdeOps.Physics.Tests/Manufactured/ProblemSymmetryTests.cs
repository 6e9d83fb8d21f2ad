using PdeOps.Physics.Geometry;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;

namespace PdeOps.Physics.Tests.Manufactured;

public class ProblemSymmetryTests
{
    static readonly LinearOperator2D Elliptic = new(0.5, 1.5, -0.7, 1, 2, 0.3);
    static readonly LinearOperator2D Heat = new(0, 0, -1, 0.1, 0);

    [Fact]
    public void TheGroupsKeepTheProblemClass()
    {
        Assert.Equal([ProblemSymmetry.Identity], ProblemSymmetry.Of(Elliptic, SymmetryAveraging.None));
        Assert.Equal([ProblemSymmetry.Identity, new(false, false, false, true)], ProblemSymmetry.Of(Heat, SymmetryAveraging.Sign));
        var full = ProblemSymmetry.Of(Elliptic, SymmetryAveraging.Full);
        Assert.Equal(16, full.Distinct().Count());
        Assert.Equal(ProblemSymmetry.Identity, full[0]);
        // Where y is time, a map may not move the initial line y = -1: x -> -x alone.
        var timeDependent = ProblemSymmetry.Of(Heat, SymmetryAveraging.Full);
        Assert.Equal(4, timeDependent.Count);
        Assert.All(timeDependent, g => Assert.False(g.Transpose || g.NegateY));
    }

    // u = sin(x + 2y) + x^2 y with its derivatives.
    static (double U, double Ux, double Uy, double Uxx, double Uyy, double Uxy) U(double x, double y)
    {
        double s = Math.Sin(x + 2 * y), c = Math.Cos(x + 2 * y);
        return (s + x * x * y, c + 2 * x * y, 2 * c + x * x, -s + 2 * y, -4 * s, -2 * s + 2 * x);
    }

    [Fact]
    public void TheTransformedOperatorAppliedToTheTransformedSolutionGivesTheTransformedSource()
    {
        // v(p) = s u(g^-1 p) must satisfy L_g v = s (L u)(g^-1 p); v's derivatives by central differences.
        const double h = 1e-3;
        foreach (var g in ProblemSymmetry.Of(Elliptic, SymmetryAveraging.Full))
        {
            var a = g.Matrix(); // orthogonal: g^-1 p = A^T p
            double V(double x, double y) => g.Sign * U(a[0] * x + a[2] * y, a[1] * x + a[3] * y).U;
            var op = g.Apply(Elliptic);
            foreach (var (x, y) in new[] { (0.3, -0.4), (-0.8, 0.6) })
            {
                double v = V(x, y), vx = (V(x + h, y) - V(x - h, y)) / (2 * h), vy = (V(x, y + h) - V(x, y - h)) / (2 * h);
                double vxx = (V(x + h, y) - 2 * v + V(x - h, y)) / (h * h), vyy = (V(x, y + h) - 2 * v + V(x, y - h)) / (h * h);
                double vxy = (V(x + h, y + h) - V(x + h, y - h) - V(x - h, y + h) + V(x - h, y - h)) / (4 * h * h);
                var d = U(a[0] * x + a[2] * y, a[1] * x + a[3] * y);
                var expected = g.Sign * Elliptic.Apply(d.U, d.Ux, d.Uy, d.Uxx, d.Uyy, d.Uxy);
                Assert.Equal(expected, op.Apply(v, vx, vy, vxx, vyy, vxy), 4);
            }
        }
    }

    [Fact]
    public void PermutingTheChannelsRendersTheTransformedProblem()
    {
        // g = transpose, then x -> -x, data negated: g(x, y) = (-y, x), g^-1(x', y') = (y', -x').
        var g = new ProblemSymmetry(true, true, false, true);
        var problem = Problem2D.FromText("uxx + 2*uyy + ux", "x + 3*y^2 + x*y", "square - disk(0.3, 0.2, 0.25)", ["x - 2*y"], ["hole1: 0.5"]);
        var image = Problem2D.FromText("2*uxx + uyy + uy", "-(y + 3*x^2 - y*x)", "square - disk(-0.2, 0.3, 0.25)", ["-(y + 2*x)"], ["hole1: -0.5"]);
        Assert.Equal(g.Apply(problem.Operator), image.Operator);
        const int n = 65;
        var permuted = g.Apply(ProblemRendering.Render(problem, n));
        var rendered = ProblemRendering.Render(image, n);
        for (var c = 0; c < 5; c++)
        {
            var differing = Enumerable.Range(0, n * n).Count(k => Math.Abs(permuted.Channels[c][k] - rendered.Channels[c][k]) > 0.02);
            Assert.True(differing <= n * n / 200, $"channel {RenderedProblem.ChannelNames[c]}: {differing} of {n * n} points differ");
        }
        // The source is evaluated at the grid's points, which the permutation maps exactly.
        Assert.Equal(rendered.Channels[4], permuted.Channels[4], (p, q) => Math.Abs(p - q) <= 1e-5f * (1 + Math.Abs(p)));
    }

    [Fact]
    public void AnAnswerToTheImageAnswersTheProblem()
    {
        const int n = 33;
        static double Exact(double x, double y) => Math.Exp(x) * (y + 0.3 * y * y);
        var u = new double[n, n];
        for (var j = 0; j < n; j++) for (var i = 0; i < n; i++) u[j, i] = Exact(Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n));
        foreach (var g in ProblemSymmetry.Of(Elliptic, SymmetryAveraging.Full))
        {
            var a = g.Matrix();
            var v = new double[n, n];
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++)
                {
                    double x = Domain2D.Coordinate(i, n), y = Domain2D.Coordinate(j, n);
                    v[j, i] = g.Sign * Exact(a[0] * x + a[2] * y, a[1] * x + a[3] * y);
                }
            var back = g.Answer(v);
            for (var j = 0; j < n; j++) for (var i = 0; i < n; i++) Assert.Equal(u[j, i], back[j, i], 12);
            var (mx, my) = g.Map(0.25, -0.5);
            Assert.Equal((a[0] * 0.25 + a[1] * -0.5, a[2] * 0.25 + a[3] * -0.5), (mx, my));
        }
    }
}
