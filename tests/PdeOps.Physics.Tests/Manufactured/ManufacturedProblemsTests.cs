using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Tests.Manufactured;

public class ManufacturedProblemsTests
{
    static readonly ManufacturedProblems Problems = new(seed: 42, new ManufacturedLimits());

    [Fact]
    public void SamplesReadBackFromTextSatisfyTheirEquationExactly()
    {
        var random = new SampleRandom(1, 0);
        for (var i = 0; i < 12; i++)
        {
            var p = Problems.Supervised(i).Problem;
            // What a file stores: the operator, solution and source as text.
            var op = LinearOperator2D.Parse(p.Operator.ToString());
            var u = Expr.Parse(p.Exact!.ToString(), ["x", "y"]);
            var f = Expr.Parse(p.Source.ToString(), ["x", "y"]).Compile2D();
            var lu = op.Apply(u).Compile2D();
            var (xs, ys) = p.Domain.SampleInterior(50, random);
            for (var k = 0; k < xs.Length; k++)
            {
                var expected = f.Evaluate(xs[k], ys[k]);
                Assert.True(Math.Abs(lu.Evaluate(xs[k], ys[k]) - expected) <= 1e-10 * Math.Max(1, Math.Abs(expected)),
                    $"sample {i}: L u = {lu.Evaluate(xs[k], ys[k])}, f = {expected} at ({xs[k]}, {ys[k]})");
            }
        }
    }

    [Fact]
    public void TheSourceAgreesWithFiniteDifferencesOfTheSolution()
    {
        var random = new SampleRandom(2, 0);
        for (var i = 0; i < 8; i++)
        {
            var p = Problems.Supervised(i).Problem;
            var u = p.Exact!.Compile2D();
            var f = p.Source.Compile2D();
            var (xs, ys) = p.Domain.SampleInterior(10, random);
            for (var k = 0; k < xs.Length; k++)
            {
                var (x, y) = (xs[k], ys[k]);
                // Richardson extrapolation of central differences at h and h/2: fourth order.
                var fd = (4 * FiniteDifferenceOperator(p.Operator, u, x, y, 5e-5) - FiniteDifferenceOperator(p.Operator, u, x, y, 1e-4)) / 3;
                var exact = f.Evaluate(x, y);
                Assert.True(Math.Abs(fd - exact) <= 1e-4 * Math.Max(1, Math.Abs(exact)), $"sample {i}: finite differences {fd}, f {exact}");
            }
        }
    }

    static double FiniteDifferenceOperator(LinearOperator2D op, CompiledExpr2D u, double x, double y, double h)
    {
        double U(double dx, double dy) => u.Evaluate(x + dx, y + dy);
        return op.Apply(U(0, 0), (U(h, 0) - U(-h, 0)) / (2 * h), (U(0, h) - U(0, -h)) / (2 * h),
            (U(h, 0) - 2 * U(0, 0) + U(-h, 0)) / (h * h), (U(0, h) - 2 * U(0, 0) + U(0, -h)) / (h * h), 0);
    }

    [Fact]
    public void SampleIIsAPureFunctionOfSeedAndIndex()
    {
        var again = new ManufacturedProblems(seed: 42, new ManufacturedLimits());
        foreach (var i in new long[] { 0, 5, 17 })
        {
            var (a, b) = (Problems.Supervised(i).Problem, again.Supervised(i).Problem);
            Assert.Equal(a.Exact, b.Exact);
            Assert.Equal(a.Operator, b.Operator);
            Assert.Equal(a.Domain.ToString(), b.Domain.ToString());
            Assert.Equal(a.Conditions, b.Conditions);
        }
        Assert.NotEqual(Problems.Supervised(0).Problem.Exact, Problems.Supervised(1).Problem.Exact);
        Assert.NotEqual(Problems.Supervised(0).Problem.Exact, new ManufacturedProblems(43, new ManufacturedLimits()).Supervised(0).Problem.Exact);
    }

    [Fact]
    public void TheDistributionCoversTheRecipe()
    {
        var samples = Enumerable.Range(0, 60).Select(i => Problems.Supervised(i)).ToArray();
        Assert.Contains(samples, s => s.Draws > 1); // rejection is active
        var classes = samples.Select(s => s.Problem.Operator.Class).ToHashSet();
        Assert.Equal(3, classes.Count);
        Assert.Contains(samples, s => s.Problem.Domain.Holes.Count > 0);
        Assert.Contains(samples, s => s.Problem.Conditions.Any(c => c.Kind == BoundaryKind.Neumann && c.Segment.StartsWith("hole")));
        Assert.All(samples.Where(s => s.Problem.Operator.IsTimeDependent), s => Assert.Empty(s.Problem.On("top")));
    }

    [Fact]
    public void NeumannDataIsTheNormalDerivativeOfTheSolution()
    {
        var sample = Enumerable.Range(0, 60).Select(i => Problems.Supervised(i).Problem)
            .First(p => p.Conditions.Any(c => c.Kind == BoundaryKind.Neumann && c.Segment.StartsWith("hole")));
        var condition = sample.Conditions.First(c => c.Kind == BoundaryKind.Neumann && c.Segment.StartsWith("hole"));
        var segment = sample.Domain.SegmentNames.ToList().IndexOf(condition.Segment);
        var points = sample.Domain.BoundaryAlongArc(2000);
        var u = sample.Exact!.Compile2D();
        var checkedPoints = 0;
        for (var k = 0; k < points.Count; k++)
        {
            if (points.Segment[k] != segment) continue;
            var (x, y, nx, ny, h) = (points.X[k], points.Y[k], points.NormalX[k], points.NormalY[k], 1e-5);
            var fd = (u.Evaluate(x + h * nx, y + h * ny) - u.Evaluate(x - h * nx, y - h * ny)) / (2 * h);
            Assert.Equal(fd, condition.Evaluate(x, y, nx, ny), Math.Max(1e-5, 1e-6 * Math.Abs(fd)));
            checkedPoints++;
        }
        Assert.True(checkedPoints > 10);
    }

    [Fact]
    public void PhysicsOnlySamplesArePosedWithoutASolution()
    {
        for (var i = 0; i < 20; i++)
        {
            var p = Problems.PhysicsOnly(i).Problem;
            Assert.Null(p.Exact);
            Assert.IsType<Constant>(p.Source);
            Assert.All(p.Conditions, c => Assert.IsType<Constant>(c.Data));
        }
    }

    [Fact]
    public void ZeroSidesSamplesVanishOnTheSquaresSidesAndSatisfyTheirEquation()
    {
        var random = new SampleRandom(2, 0);
        var sides = Enumerable.Range(0, 21).Select(k => -1 + k / 10.0).ToArray();
        for (var i = 0; i < 8; i++)
        {
            var p = Problems.Supervised(i, zeroOnSides: true).Problem;
            var u = p.Exact!.Compile2D();
            foreach (var t in sides)
                foreach (var (x, y) in new[] { (t, -1.0), (t, 1.0), (-1.0, t), (1.0, t) })
                    Assert.Equal(0, u.Evaluate(x, y), 1e-9);
            var (f, lu) = (p.Source.Compile2D(), p.Operator.Apply(p.Exact!).Compile2D());
            var (xs, ys) = p.Domain.SampleInterior(50, random);
            for (var k = 0; k < xs.Length; k++)
                Assert.Equal(f.Evaluate(xs[k], ys[k]), lu.Evaluate(xs[k], ys[k]), 1e-9 * Math.Max(1, Math.Abs(f.Evaluate(xs[k], ys[k]))));
            // It is not the plain sample of that index, whose solution does not vanish there.
            Assert.NotEqual(Problems.Supervised(i).Problem.Exact!.ToString(), p.Exact!.ToString());
        }
        Assert.Equal(Problems.Supervised(3).Problem.Exact!.ToString(), Problems.Supervised(3, zeroOnSides: false).Problem.Exact!.ToString());
    }

    [Fact]
    public void AMixTakesEachKindAtItsShare()
    {
        string Solution(ManufacturedSample s) => s.Problem.Exact?.ToString() ?? "none";
        Assert.Equal(Solution(Problems.Supervised(5)), Solution(Problems.Mixed(5, 0)));
        Assert.Equal(Solution(Problems.Supervised(5, zeroOnSides: true)), Solution(Problems.Mixed(5, 0, 1)));
        Assert.Null(Problems.Mixed(5, 1, 1).Problem.Exact);
        // Shares: of 400 samples at 0.25 and 0.5, about 100 physics-only and 150 vanishing on the sides.
        var mix = Enumerable.Range(0, 400).Select(i => Problems.Mixed(i, 0.25, 0.5)).ToList();
        int physics = mix.Count(s => s.Problem.Exact is null);
        int zeroSides = mix.Count(s => s.Problem.Exact is { } u && u.Compile2D().Evaluate(1, 0.3) == 0 && u.Compile2D().Evaluate(-0.2, -1) == 0);
        Assert.InRange(physics, 70, 130);
        Assert.InRange(zeroSides, 115, 185);
    }

    [Fact]
    public void SolvableSamplesAreEllipticPhysicsOnlyProblemsWithDirichletSides()
    {
        static string Text(Problem2D p) => $"{p.Operator} | {p.Source} | {p.Domain} | {string.Join("; ", p.Conditions.Select(c => $"{c.Segment} {c.Kind} {c.Data}"))}";
        for (var i = 0; i < 24; i++)
        {
            var p = Problems.Solvable(i).Problem;
            Assert.Null(p.Exact);
            Assert.Equal(PdeClass.Elliptic, p.Operator.Class);
            Assert.Equal(0, p.Operator.Uxy);
            Assert.IsType<Constant>(p.Source);
            foreach (var side in new[] { "bottom", "right", "top", "left" })
                Assert.Contains(p.On(side), c => c.Kind == BoundaryKind.Dirichlet && c.Data is Constant);
            Assert.Equal(Text(p), Text(Problems.Solvable(i).Problem));
            Assert.NotEqual(Text(p), Text(Problems.Solvable(i, attempt: 1).Problem));
        }
    }

    [Fact]
    public void ADrawnSourceReplacesTheConstantOfTheSameSolvableProblem()
    {
        for (var i = 0; i < 12; i++)
        {
            var (plain, drawn) = (Problems.Solvable(i).Problem, Problems.Solvable(i, drawnSource: true).Problem);
            Assert.Equal(plain.Operator.ToString(), drawn.Operator.ToString());
            Assert.Equal(plain.Domain.ToString(), drawn.Domain.ToString());
            Assert.Equal(plain.Conditions.Select(c => c.Data.ToString()), drawn.Conditions.Select(c => c.Data.ToString()));
            Assert.IsNotType<Constant>(drawn.Source);
            var f = drawn.Source.Compile2D();
            var (xs, ys) = drawn.Domain.SampleInterior(200, new SampleRandom(9, i));
            Assert.All(xs.Zip(ys), p => Assert.InRange(Math.Abs(f.Evaluate(p.First, p.Second)), 0, 1e4));
        }
    }
}
