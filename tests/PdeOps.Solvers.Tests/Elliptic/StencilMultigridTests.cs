using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Tests.Elliptic;

public class StencilMultigridTests
{
    /// <summary>A deterministic 12/3 coefficient with blob-shaped inclusions, like the FNO Darcy fields.</summary>
    public static double[,] DarcyLikeCoefficient(int intervals, double high = 12, double low = 3)
    {
        var a = new double[intervals + 1, intervals + 1];
        for (int j = 0; j <= intervals; j++)
            for (int i = 0; i <= intervals; i++)
            {
                double x = (double)i / intervals, y = (double)j / intervals;
                double field = Math.Sin(7.1 * x + 2.3) * Math.Cos(5.3 * y - 0.7) + 0.6 * Math.Sin(11.2 * x * y + 1.1) - 0.2;
                a[j, i] = field >= 0 ? high : low;
            }
        return a;
    }

    static EllipticProblem2D Darcy(int intervals, double high = 12, double low = 3)
    {
        var a = DarcyLikeCoefficient(intervals, high, low);
        var zero = new double[intervals + 1, intervals + 1];
        var one = new double[intervals + 1, intervals + 1];
        foreach (var idx in Enumerable.Range(0, one.Length)) one[idx / (intervals + 1), idx % (intervals + 1)] = 1;
        return new EllipticProblem2D(intervals, intervals, a, zero, one, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    public void DarcyWithMultigridPreconditionedCgConvergesInFewIterations(int intervals)
    {
        var s = EllipticSolver2D.Solve(Darcy(intervals), new EllipticSolverOptions { RelativeTolerance = 1e-10 });
        Assert.True(s.Result.Converged);
        Assert.True(s.Result.Iterations <= 15, $"{s.Result.Iterations} iterations");
    }

    [Fact]
    public void DirichletGridsWithOddIntervalCountsKeepCoarsening()
    {
        // 180 intervals: 90, 45, then 23, 12, 6, 3 (odd counts coarsen too, with a Dirichlet high end): seven levels.
        var system = Discretization2D.Assemble(Darcy(180));
        var mg = new StencilMultigrid2D(system.Operator);
        Assert.Equal(7, mg.LevelCount);
        Assert.True(mg.CoarsestSize <= DenseLu.MaxSize);
        var s = EllipticSolver2D.Solve(Darcy(180), new EllipticSolverOptions { RelativeTolerance = 1e-10 });
        Assert.True(s.Result.Converged);
        Assert.True(s.Result.Iterations <= 15, $"{s.Result.Iterations} iterations");
    }

    [Fact]
    public void BandedLuSolvesTheNinePointSystemToRoundOff()
    {
        var mg = new StencilMultigrid2D(Discretization2D.Assemble(Darcy(64)).Operator);
        var coarse = mg.Operator(1); // a nine-point Galerkin operator
        var rng = new Random(5);
        var b = Enumerable.Range(0, coarse.Size).Select(_ => rng.NextDouble()).ToArray();
        var x = new double[coarse.Size];
        new BandedLu(coarse).Solve(b, x);
        var r = new double[coarse.Size];
        double residual = Math.Sqrt(coarse.Residual(x, b, r)), scale = Math.Sqrt(b.Sum(v => v * v));
        Assert.True(residual < 1e-10 * scale, $"relative residual {residual / scale:E2}");
    }

    [Theory]
    [InlineData(BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, 40)]
    [InlineData(BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, 42)] // odd counts pad
    [InlineData(BoundaryKind.Neumann, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet, BoundaryKind.Neumann, 40)]
    [InlineData(BoundaryKind.Periodic, BoundaryKind.Periodic, BoundaryKind.Dirichlet, BoundaryKind.Neumann, 40)]
    [InlineData(BoundaryKind.Periodic, BoundaryKind.Periodic, BoundaryKind.Periodic, BoundaryKind.Periodic, 40)]
    public void GalerkinInteriorShortcutGivesTheGeneralPathsOperatorsExactly(BoundaryKind west, BoundaryKind east, BoundaryKind south, BoundaryKind north, int intervals)
    {
        var darcy = Darcy(intervals);
        var problem = new EllipticProblem2D(intervals, intervals, darcy.A, darcy.C, darcy.F, new BoundaryConditions2D(west, east, south, north));
        // Five-point fine stencils at the first coarsening, nine-point ones after it.
        var fine = Discretization2D.Assemble(problem).Operator;
        for (int level = 0; level < 3; level++)
        {
            var shortcut = new StencilOperator2D(fine.X.Coarsen(), fine.Y.Coarsen());
            var general = new StencilOperator2D(fine.X.Coarsen(), fine.Y.Coarsen());
            GalerkinCoarsening.Compute(fine, shortcut, threads: 2, interiorShortcut: true);
            GalerkinCoarsening.Compute(fine, general, threads: 1, interiorShortcut: false);
            for (int k = 0; k < 9; k++) Assert.Equal(general.Coefficients[k], shortcut.Coefficients[k]);
            Assert.Contains(general.Coefficients[StencilOperator2D.Centre], v => v != 0);
            fine = shortcut;
        }
    }

    [Fact]
    public void GalerkinCoarseOperatorsStaySymmetric()
    {
        var system = Discretization2D.Assemble(Darcy(64));
        var mg = new StencilMultigrid2D(system.Operator);
        for (int l = 0; l < mg.LevelCount; l++) Assert.True(mg.Operator(l).IsSymmetric(), $"level {l}");
        Assert.True(mg.LevelCount >= 4);
    }

    [Theory]
    [InlineData(SmootherKind.GaussSeidel, 0.1)]
    [InlineData(SmootherKind.Chebyshev, 0.2)]
    [InlineData(SmootherKind.WeightedJacobi, 0.35)]
    public void MultigridAloneConvergesOnPoissonAtTheSmootherRate(SmootherKind smoother, double bound)
    {
        var zero = new double[129, 129];
        var one = new double[129, 129];
        for (int j = 0; j < 129; j++) for (int i = 0; i < 129; i++) one[j, i] = 1;
        var problem = new EllipticProblem2D(128, 128, one, zero, one, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
        var options = new EllipticSolverOptions
        {
            Krylov = KrylovKind.None,
            Multigrid = new MultigridOptions { Smoother = smoother },
            RelativeTolerance = 1e-9,
        };
        var s = EllipticSolver2D.Solve(problem, options);
        Assert.True(s.Result.Converged);
        Assert.True(s.Result.ConvergenceFactor <= bound, $"{smoother}: factor {s.Result.ConvergenceFactor:F3}");
    }

    [Fact]
    public void HighContrastCoefficientStillConverges()
    {
        var s = EllipticSolver2D.Solve(Darcy(128, 1e4, 1), new EllipticSolverOptions { RelativeTolerance = 1e-10 });
        Assert.True(s.Result.Converged, s.Result.Reason.ToString());
        Assert.True(s.Result.Iterations <= 40, $"{s.Result.Iterations} iterations");
    }

    [Theory]
    [InlineData(KrylovKind.Gmres)]
    [InlineData(KrylovKind.BiCgStab)]
    public void NonSymmetricKrylovMethodsAgreeWithCg(KrylovKind kind)
    {
        var p = Darcy(64);
        var cg = EllipticSolver2D.Solve(p, new EllipticSolverOptions { RelativeTolerance = 1e-11 });
        var other = EllipticSolver2D.Solve(p, new EllipticSolverOptions { Krylov = kind, RelativeTolerance = 1e-11 });
        Assert.True(other.Result.Converged, other.Result.Reason.ToString());
        double diff = 0, scale = 0;
        foreach (var (a, b) in cg.U.Cast<double>().Zip(other.U.Cast<double>())) { diff = Math.Max(diff, Math.Abs(a - b)); scale = Math.Max(scale, Math.Abs(a)); }
        Assert.True(diff < 1e-8 * scale);
    }

    [Fact]
    public void SingularPureNeumannProblemIsRefusedWithAReason()
    {
        var one = new double[17, 17];
        for (int j = 0; j < 17; j++) for (int i = 0; i < 17; i++) one[j, i] = 1;
        var problem = new EllipticProblem2D(16, 16, one, new double[17, 17], one, BoundaryConditions2D.All(BoundaryKind.Neumann));
        var e = Assert.Throws<InvalidOperationException>(() => EllipticSolver2D.Solve(problem));
        Assert.Contains("singular", e.Message);
    }
}
