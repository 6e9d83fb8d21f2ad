using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Diffusion;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Tests.Diffusion;

public sealed class DirichletDiffusionSolver2DTests
{
    static double[,] Filled(int n, double v)
    {
        var f = new double[n, n];
        for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) f[j, i] = v;
        return f;
    }

    // 65 vertices: 63 unknowns per axis (standard coarsening); 86: 84 unknowns (even, the odd-interval path);
    // 106: the 421-grid's third level.
    [Theory]
    [InlineData(65)]
    [InlineData(86)]
    [InlineData(106)]
    public void AgreesWithTheGeneralSolverOnTwoPhaseCoefficients(int s)
    {
        var a = TwoPhaseCoefficient.Sample(s, seed: 7, index: 2);
        var f = Filled(s, 1);
        var fast = new DirichletDiffusionSolver2D(new DirichletDiffusionOptions { RelativeTolerance = 1e-12 }).Solve(a, f);
        var problem = new EllipticProblem2D(s - 1, s - 1, a, new double[s, s], f, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
        var reference = EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-12 });
        Assert.True(fast.Result.Converged);
        double maxU = reference.U.Cast<double>().Max(), maxDiff = 0;
        for (int j = 0; j < s; j++) for (int i = 0; i < s; i++) maxDiff = Math.Max(maxDiff, Math.Abs(fast.U[j, i] - reference.U[j, i]));
        Assert.True(maxDiff < 1e-9 * maxU, $"max difference {maxDiff:E2} (max u {maxU:E2})");
    }

    [Theory]
    [InlineData(129)]
    [InlineData(211)]
    public void IterationsStayFewOnJumpingCoefficients(int s)
    {
        var solver = new DirichletDiffusionSolver2D(new DirichletDiffusionOptions { RelativeTolerance = 1e-8 });
        for (int index = 0; index < 3; index++)
        {
            var result = solver.Solve(TwoPhaseCoefficient.Sample(s, 1, index), Filled(s, 1)).Result;
            // A V(1,1) Galerkin preconditioner reduces the residual by about 10x per CG iteration, whatever h.
            Assert.True(result.Converged && result.Iterations <= 12, $"{result.Iterations} iterations at {s}");
        }
    }

    [Fact]
    public void SecondOrderAccurateForAManufacturedSolution()
    {
        // u = sin(pi x) sin(pi y), a = 1 + x: f = -div(a grad u).
        double Error(int m)
        {
            int s = m + 1;
            var a = new double[s, s];
            var f = new double[s, s];
            for (int j = 0; j < s; j++)
                for (int i = 0; i < s; i++)
                {
                    double x = (double)i / m, y = (double)j / m, sx = Math.Sin(Math.PI * x), sy = Math.Sin(Math.PI * y);
                    a[j, i] = 1 + x;
                    f[j, i] = (1 + x) * 2 * Math.PI * Math.PI * sx * sy - Math.PI * Math.Cos(Math.PI * x) * sy;
                }
            var u = new DirichletDiffusionSolver2D(new DirichletDiffusionOptions { RelativeTolerance = 1e-12 }).Solve(a, f).U;
            double error = 0;
            for (int j = 0; j < s; j++)
                for (int i = 0; i < s; i++) error = Math.Max(error, Math.Abs(u[j, i] - Math.Sin(Math.PI * i / m) * Math.Sin(Math.PI * j / m)));
            return error;
        }
        double e1 = Error(32), e2 = Error(64), e3 = Error(128);
        Assert.InRange(Math.Log2(e1 / e2), 1.8, 2.2);
        Assert.InRange(Math.Log2(e2 / e3), 1.8, 2.2);
    }

    [Fact]
    public void BadInputIsRejected()
    {
        var solver = new DirichletDiffusionSolver2D();
        Assert.Throws<ArgumentException>(() => solver.Solve(Filled(5, 1), Filled(6, 1)));
        Assert.Throws<ArgumentException>(() => solver.Solve(Filled(5, -1), Filled(5, 1)));
        var f = Filled(5, 1);
        f[2, 2] = double.NaN;
        Assert.Throws<ArgumentException>(() => solver.Solve(Filled(5, 1), f));
    }

    [Fact]
    public void SolveUntilHandsTheCallerTheIterateAndItsResidualInTheGeneralLayout()
    {
        int s = 86;
        var a = TwoPhaseCoefficient.Sample(s, seed: 3, index: 1);
        var f = Filled(s, 1);
        var problem = new EllipticProblem2D(s - 1, s - 1, a, new double[s, s], f, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
        var system = Discretization2D.Assemble(problem);
        var reference = Discretization2D.ToUnknowns(system, EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-12 }).U);
        // Start from a guess that is neither zero nor the answer, and stop after the third call.
        var x = reference.Select((v, k) => 0.5 * v + 1e-3 * Math.Sin(0.3 * k)).ToArray();
        var start = (double[])x.Clone();
        int calls = 0;
        double worstResidualGap = 0;
        var result = new DirichletDiffusionSolver2D().SolveUntil(a, f, x, (iterate, residual) =>
        {
            if (calls == 0) Assert.Equal(start, iterate);
            // The recursively updated residual is b - A x of Discretization2D's system, to rounding.
            var direct = new double[iterate.Length];
            system.Operator.Residual(iterate, system.RightHandSide, direct);
            double scale = direct.Max(Math.Abs);
            worstResidualGap = Math.Max(worstResidualGap, direct.Zip(residual, (p, q) => Math.Abs(p - q)).Max() / scale);
            return ++calls == 3;
        });
        Assert.Equal(ConvergenceReason.ConvergedErrorBound, result.Reason);
        Assert.Equal(2, result.Iterations);
        Assert.True(worstResidualGap < 1e-9, $"residual differs from b - A x by {worstResidualGap:E2} (relative)");
        // Two iterations of multigrid-preconditioned CG cut the error by orders of magnitude, and x holds the last iterate.
        double Error(double[] u) => Math.Sqrt(reference.Zip(u, (p, q) => (p - q) * (p - q)).Sum());
        Assert.True(Error(x) < 1e-2 * Error(start), $"error {Error(x):E2} from {Error(start):E2}");
        Assert.Throws<ArgumentException>(() => new DirichletDiffusionSolver2D().SolveUntil(a, f, new double[10], (_, _) => true));
    }
}
