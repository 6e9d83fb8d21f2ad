using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Elliptic3D;
using Xunit.Abstractions;

namespace PdeOps.Solvers.Tests.Elliptic3D;

public class EllipticAccuracy3DTests(ITestOutputHelper output)
{
    // Smooth, non-polynomial data with variable coefficients; c = 1 keeps pure Neumann problems regular.
    static readonly ManufacturedElliptic3D General = new(
        (x, y, z) => Math.Sin(2 * x + 1) * Math.Cos(1.5 * y) * Math.Cos(z - 0.5) + x * z,
        (x, y, z) => 1 + 0.5 * x * y + 0.2 * Math.Sin(3 * z),
        (x, y, z) => 1.0);

    static readonly ManufacturedElliptic3D Periodic = new(
        (x, y, z) => Math.Sin(2 * Math.PI * x) * Math.Cos(2 * Math.PI * y) * Math.Cos(2 * Math.PI * z) + 0.5 * Math.Cos(2 * Math.PI * (x + z)),
        (x, y, z) => 2 + Math.Sin(2 * Math.PI * x) * Math.Cos(2 * Math.PI * y) * Math.Sin(2 * Math.PI * z),
        (x, y, z) => 1.0);

    // Periodic in x and y only; z is Dirichlet below and Neumann above.
    static readonly ManufacturedElliptic3D Mixed = new(
        (x, y, z) => Math.Sin(2 * Math.PI * x) * Math.Cos(2 * Math.PI * y) * Math.Exp(z) + Math.Sin(1.3 * z + 0.4),
        (x, y, z) => 1.5 + 0.5 * Math.Cos(2 * Math.PI * x) * z,
        (x, y, z) => 0.0);

    static double MaxError(ManufacturedElliptic3D m, BoundaryConditions3D bc, int intervals)
    {
        var problem = m.Problem(intervals, intervals, intervals, bc);
        var solution = EllipticSolver3D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-12 });
        Assert.True(solution.Result.Converged, solution.Result.Reason.ToString());
        double h = 1.0 / intervals, worst = 0;
        for (int k = 0; k <= intervals; k++)
            for (int j = 0; j <= intervals; j++)
                for (int i = 0; i <= intervals; i++)
                    worst = Math.Max(worst, Math.Abs(solution.U[k, j, i] - m.Solution(i * h, j * h, k * h)));
        return worst;
    }

    public static TheoryData<string, string> Cases => new()
    {
        { "general", "dirichlet" },
        { "general", "neumann" },
        { "periodic", "periodic" },
        { "mixed", "p,p,p,p,d,n" },
        { "general", "d,n,n,d,n,d" },
    };

    static ManufacturedElliptic3D Named(string name) => name switch
    {
        "periodic" => Periodic,
        "mixed" => Mixed,
        _ => General,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ObservedOrderIsTwoOverThreeRefinements(string solution, string boundaries)
    {
        var bc = BoundaryConditions3D.Parse(boundaries);
        var errors = new[] { 8, 16, 32 }.Select(n => MaxError(Named(solution), bc, n)).ToArray();
        output.WriteLine($"{boundaries}: max errors {string.Join(", ", errors.Select(e => e.ToString("E3")))}, "
            + $"orders {Math.Log2(errors[0] / errors[1]):F3}, {Math.Log2(errors[1] / errors[2]):F3}");
        for (int k = 1; k < errors.Length; k++)
        {
            double order = Math.Log2(errors[k - 1] / errors[k]);
            Assert.True(order is >= 1.9 and <= 2.1, $"{boundaries}: errors {string.Join(", ", errors.Select(e => e.ToString("E3")))}, order {order:F3}");
        }
    }

    [Theory]
    [InlineData("dirichlet")]
    [InlineData("neumann")]
    [InlineData("periodic")]
    [InlineData("d,n,p,p,n,d")]
    public void FineOperatorIsSymmetric(string boundaries)
    {
        var m = boundaries.Contains('p') ? Periodic : General;
        var system = Discretization3D.Assemble(m.Problem(8, 6, 10, BoundaryConditions3D.Parse(boundaries)));
        Assert.True(system.Operator.IsSymmetric(), boundaries);
    }
}
