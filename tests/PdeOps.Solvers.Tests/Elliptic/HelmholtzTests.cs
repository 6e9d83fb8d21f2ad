using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Tests.Elliptic;

public class HelmholtzTests
{
    // Variable wave number k = 12 (1 + 0.3 x y): k^2 up to 270, far above the first Dirichlet eigenvalue 2 pi^2 ~ 20.
    static double WaveNumber(double x, double y) => 12 * (1 + 0.3 * x * y);

    static readonly ManufacturedElliptic2D Manufactured = new(
        (x, y) => Math.Sin(Math.PI * x) * Math.Sin(2 * Math.PI * y) + 0.3 * x * y * y,
        (x, y) => 1 + 0.25 * Math.Cos(x + y),
        (x, y) => -WaveNumber(x, y) * WaveNumber(x, y));

    [Theory]
    [InlineData(KrylovKind.Gmres)]
    [InlineData(KrylovKind.BiCgStab)]
    public void IndefiniteProblemConvergesAtSecondOrder(KrylovKind krylov)
    {
        var bc = BoundaryConditions2D.All(BoundaryKind.Dirichlet);
        var errors = new List<double>();
        foreach (int n in new[] { 32, 64, 128 })
        {
            var s = HelmholtzSolver2D.Solve(Manufactured.Problem(n, n, bc), new EllipticSolverOptions { Krylov = krylov, RelativeTolerance = 1e-11, MaxIterations = 300 });
            Assert.True(s.Result.Converged, $"{krylov} n={n}: {s.Result.Reason} after {s.Result.Iterations}");
            double h = 1.0 / n, worst = 0;
            for (int j = 0; j <= n; j++)
                for (int i = 0; i <= n; i++) worst = Math.Max(worst, Math.Abs(s.U[j, i] - Manufactured.Solution(i * h, j * h)));
            errors.Add(worst);
        }
        for (int k = 1; k < errors.Count; k++)
            Assert.InRange(Math.Log2(errors[k - 1] / errors[k]), 1.9, 2.1);
    }

    [Fact]
    public void CgIsRefusedForTheIndefiniteOperator() =>
        Assert.Throws<ArgumentException>(() => HelmholtzSolver2D.Solve(Manufactured.Problem(8, 8, BoundaryConditions2D.All(BoundaryKind.Dirichlet)),
            new EllipticSolverOptions { Krylov = KrylovKind.Cg }));
}
