using PdeOps.Physics.Problems;
using PdeOps.Solvers.TimeStepping;

namespace PdeOps.Solvers.Tests.TimeStepping;

public class HeatSolverTests
{
    // u = exp(-2 pi^2 t) sin(pi x) sin(pi y) solves u_t = lap u with u = 0 on the boundary.
    static double Exact(double x, double y, double t) => Math.Exp(-2 * Math.PI * Math.PI * t) * Math.Sin(Math.PI * x) * Math.Sin(Math.PI * y);

    static double ErrorAtTime(int intervals, HeatScheme scheme, int steps, double finalTime = 0.1)
    {
        var one = new double[intervals + 1, intervals + 1];
        var u0 = new double[intervals + 1, intervals + 1];
        double h = 1.0 / intervals;
        for (int j = 0; j <= intervals; j++)
            for (int i = 0; i <= intervals; i++) { one[j, i] = 1; u0[j, i] = Exact(i * h, j * h, 0); }
        var spatial = new EllipticProblem2D(intervals, intervals, one, new double[intervals + 1, intervals + 1], new double[intervals + 1, intervals + 1],
            BoundaryConditions2D.All(BoundaryKind.Dirichlet));
        var run = HeatSolver2D.Solve(spatial, u0, new HeatOptions { TimeStep = finalTime / steps, Steps = steps, Scheme = scheme, RelativeTolerance = 1e-12 });
        double worst = 0;
        for (int j = 0; j <= intervals; j++)
            for (int i = 0; i <= intervals; i++) worst = Math.Max(worst, Math.Abs(run.Final[j, i] - Exact(i * h, j * h, finalTime)));
        return worst;
    }

    [Fact]
    public void CrankNicolsonIsSecondOrderInSpaceAndTime()
    {
        // Refine h and dt together: the error must fall fourfold per refinement.
        var errors = new[] { (16, 4), (32, 8), (64, 16) }.Select(c => ErrorAtTime(c.Item1, HeatScheme.CrankNicolson, c.Item2)).ToArray();
        for (int k = 1; k < errors.Length; k++)
            Assert.InRange(Math.Log2(errors[k - 1] / errors[k]), 1.9, 2.1);
    }

    [Fact]
    public void BackwardEulerIsFirstOrderInTime()
    {
        // On a fine grid the temporal error dominates: halving dt halves the error.
        var errors = new[] { 4, 8, 16 }.Select(steps => ErrorAtTime(64, HeatScheme.BackwardEuler, steps)).ToArray();
        for (int k = 1; k < errors.Length; k++)
            Assert.InRange(Math.Log2(errors[k - 1] / errors[k]), 0.85, 1.1);
    }
}
