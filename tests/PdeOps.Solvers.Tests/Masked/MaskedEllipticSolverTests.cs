using PdeOps.Physics.Pde;
using PdeOps.Physics.Symbolic;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Tests.Masked;

public class MaskedEllipticSolverTests
{
    const string Domain = "square - disk(0.35, 0.3, 0.27) - disk(-0.4, -0.35, 0.22) - rect(-0.7, 0.35, 0.3, 0.25, 20)";
    const string Exact = "sin(2*x + 0.5)*cos(1.5*y) + x*y^2";

    static Problem2D Manufactured(string pde, bool neumannHoles)
    {
        var u = Expr.Parse(Exact, ["x", "y"]);
        var op = LinearOperator2D.Parse(pde);
        var flux = $"nx*({u.Derivative("x")}) + ny*({u.Derivative("y")})";
        return Problem2D.FromText(pde, op.Apply(u).ToString(), Domain, [Exact], neumannHoles ? ["hole1, hole2, hole3: " + flux] : [], Exact);
    }

    static (double MaxError, int Iterations) Error(Problem2D problem, int intervals)
    {
        var solution = MaskedEllipticSolver.Solve(problem, intervals);
        Assert.True(solution.Result.Converged, $"{intervals}: {solution.Result.Reason} after {solution.Result.Iterations}");
        var exact = problem.Exact!.Compile2D();
        var d = solution.Discretization;
        double max = 0;
        for (var j = 0; j <= intervals; j++)
            for (var i = 0; i <= intervals; i++)
                if (d.Roles[j, i] == VertexRole.Interior)
                    max = Math.Max(max, Math.Abs(solution.U[j, i] - exact.Evaluate(d.Coordinate(i), d.Coordinate(j))));
        return (max, solution.Result.Iterations);
    }

    [Theory]
    [InlineData("uxx + uyy")]
    [InlineData("-uxx - 2*uyy + 3*u + 0.5*ux")]
    public void ShortleyWellerDirichletHolesConvergeAtSecondOrder(string pde)
    {
        var problem = Manufactured(pde, neumannHoles: false);
        var errors = new[] { 32, 64, 128 }.Select(n => Error(problem, n).MaxError).ToArray();
        for (var k = 1; k < errors.Length; k++)
        {
            var order = Math.Log2(errors[k - 1] / errors[k]);
            Assert.True(order >= 1.8, $"{pde}: observed order {order:F2} (max errors {string.Join(", ", errors.Select(e => e.ToString("E2")))})");
        }
    }

    [Fact]
    public void NeumannHolesConvergeAtFirstOrder()
    {
        var problem = Manufactured("uxx + uyy", neumannHoles: true);
        var errors = new[] { 32, 64, 128, 256 }.Select(n => Error(problem, n).MaxError).ToArray();
        var order = Math.Log2(errors[1] / errors[3]) / 2;
        Assert.True(order >= 0.9, $"observed order {order:F2} (max errors {string.Join(", ", errors.Select(e => e.ToString("E2")))})");
    }

    [Fact]
    public void MultigridPreconditionedGmresNeedsAboutAsManyIterationsOnEveryGrid()
    {
        var problem = Manufactured("uxx + uyy", neumannHoles: true);
        var iterations = new[] { 64, 128, 256 }.Select(n => Error(problem, n).Iterations).ToArray();
        Assert.All(iterations, k => Assert.InRange(k, 1, 40));
        Assert.True(iterations[^1] <= 2 * iterations[0] + 5, $"iterations {string.Join(", ", iterations)}");
    }

    [Fact]
    public void ProblemsOutsideItsReachAreRefused()
    {
        var wave = Problem2D.FromText("uyy - uxx", "0", "square", ["0"], ["bottom: 0"]);
        Assert.Contains("elliptic", Assert.Throws<ArgumentException>(() => MaskedEllipticSolver.Solve(wave, 16)).Message);
        var neumannSide = Problem2D.FromText("uxx + uyy", "1", "square", ["0"], ["left: 0"]);
        Assert.Contains("'left'", Assert.Throws<ArgumentException>(() => MaskedEllipticSolver.Solve(neumannSide, 16)).Message);
    }

    [Fact]
    public void ValueAtInterpolatesBilinearlyAndKeepsToTheDomainNextToHoles()
    {
        // A linear u is met exactly by the Shortley–Weller rows and by bilinear interpolation.
        const string linear = "1 + 0.5*x - 2*y";
        var problem = Problem2D.FromText("uxx + uyy", "0", Domain, [linear], [], linear);
        const int intervals = 64;
        var solution = MaskedEllipticSolver.Solve(problem, intervals);
        var exact = problem.Exact!.Compile2D();
        var (h, slope) = (2.0 / intervals, Math.Sqrt(0.25 + 4));
        var (xs, ys) = problem.Domain.SampleInterior(2000, new PdeOps.Physics.RandomFields.SampleRandom(3, 0));
        var inOpenCells = 0;
        for (var k = 0; k < xs.Length; k++)
        {
            var (value, truth) = (solution.ValueAt(xs[k], ys[k]), exact.Evaluate(xs[k], ys[k]));
            var distance = problem.Domain.Holes.Min(hole => Math.Abs(hole.SignedDistance(xs[k], ys[k])));
            if (distance > Math.Sqrt(2) * h)
            {
                // Every vertex of the cell lies in the domain.
                Assert.Equal(truth, value, 1e-6); // the solve stops at a relative residual of 1e-10
                inOpenCells++;
            }
            else Assert.True(Math.Abs(value - truth) <= 3 * h * slope, $"({xs[k]}, {ys[k]}): {value} against {truth}");
        }
        Assert.True(inOpenCells > 1000, $"{inOpenCells} of 2000 points away from the holes");
    }

    [Fact]
    public void AVertexAHairFromAHoleKeepsTheSolveWellConditioned()
    {
        // A drawn training domain: at 128 intervals a vertex lies within rounding of the
        // rectangle's lower edge (y = 0.171875 = 75/128 · 2 − 1), where the Shortley–Weller weight
        // 1/t grows without bound and once left multigrid's coarsest matrix numerically singular.
        const string domain = "square - triangle(-0.011699, 0.412635, -0.36916, -0.180852, -0.578279, -0.329352) - rect(-0.670294, 0.171875, 0.103958, 0.412878)";
        var u = Expr.Parse(Exact, ["x", "y"]);
        var problem = Problem2D.FromText("-1.67765*uxx - 1.50228*uyy", LinearOperator2D.Parse("-1.67765*uxx - 1.50228*uyy").Apply(u).ToString(), domain,
            [Exact], [], Exact);
        var errors = new[] { 32, 64, 128 }.Select(n => Error(problem, n).MaxError).ToArray();
        Assert.True(errors[2] < errors[0] / 8, $"max errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
    }
}
