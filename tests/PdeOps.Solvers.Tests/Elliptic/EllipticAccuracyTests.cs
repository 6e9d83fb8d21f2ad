using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Tests.Elliptic;

public class EllipticAccuracyTests
{
    // Smooth, non-polynomial data with variable coefficients.
    static readonly ManufacturedElliptic2D General = new(
        (x, y) => Math.Sin(2 * x + 1) * Math.Cos(3 * y) + x * x,
        (x, y) => 1 + 0.5 * x * y + 0.2 * Math.Sin(3 * x),
        (x, y) => 1.0);

    static readonly ManufacturedElliptic2D Periodic = new(
        (x, y) => Math.Sin(2 * Math.PI * x) * Math.Cos(2 * Math.PI * y) + 0.5 * Math.Cos(4 * Math.PI * x),
        (x, y) => 2 + Math.Sin(2 * Math.PI * x) * Math.Cos(2 * Math.PI * y),
        (x, y) => 1.0);

    static double MaxError(ManufacturedElliptic2D m, BoundaryConditions2D bc, int intervals)
    {
        var problem = m.Problem(intervals, intervals, bc);
        var solution = EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-12 });
        Assert.True(solution.Result.Converged, solution.Result.Reason.ToString());
        double h = 1.0 / intervals, worst = 0;
        for (int j = 0; j <= intervals; j++)
            for (int i = 0; i <= intervals; i++)
                worst = Math.Max(worst, Math.Abs(solution.U[j, i] - m.Solution(i * h, j * h)));
        return worst;
    }

    public static TheoryData<string, string> Cases => new()
    {
        { "general", "dirichlet" },
        { "general", "neumann" },
        { "general", "d,n,n,d" },
        { "general", "n,d,d,n" },
        { "periodic", "periodic" },
        { "periodic", "p,p,d,n" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ObservedOrderIsTwoOverThreeRefinements(string solution, string boundaries)
    {
        var m = solution == "periodic" ? Periodic : General;
        var bc = BoundaryConditions2D.Parse(boundaries);
        var errors = new[] { 16, 32, 64 }.Select(n => MaxError(m, bc, n)).ToArray();
        for (int k = 1; k < errors.Length; k++)
        {
            double order = Math.Log2(errors[k - 1] / errors[k]);
            Assert.True(order is >= 1.9 and <= 2.1, $"{boundaries}: errors {string.Join(", ", errors.Select(e => e.ToString("E3")))}, order {order:F3}");
        }
    }

    [Fact]
    public void FineOperatorIsSymmetricForEveryBoundaryKind()
    {
        foreach (var bc in new[] { "dirichlet", "neumann", "periodic", "d,n,p,p" })
        {
            var m = bc.Contains('p') ? Periodic : General;
            var system = Discretization2D.Assemble(m.Problem(16, 16, BoundaryConditions2D.Parse(bc)));
            Assert.True(system.Operator.IsSymmetric(), bc);
        }
    }
}
