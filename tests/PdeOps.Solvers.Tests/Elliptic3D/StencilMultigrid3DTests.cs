using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Elliptic3D;
using PdeOps.Solvers.Multigrid;
using Xunit.Abstractions;

namespace PdeOps.Solvers.Tests.Elliptic3D;

public class StencilMultigrid3DTests(ITestOutputHelper output)
{
    // Two-phase field shaped like the FNO Darcy coefficients: 12 where a smooth function is non-negative, else 3.
    static double TwoPhase(double x, double y, double z) =>
        Math.Sin(7.1 * x + 2.3) * Math.Cos(5.3 * y - 0.7) * Math.Cos(4.1 * z + 0.3) + 0.6 * Math.Sin(11.2 * x * y * z + 1.1) - 0.2 >= 0 ? 12 : 3;

    static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

    static EllipticProblem3D Poisson(int n, string bc, double reaction = 0) => EllipticProblem3D.FromFunctions(n, n, n,
        (_, _, _) => 1, (_, _, _) => reaction, (x, y, z) => Math.Sin(3 * x + 1) * Math.Cos(2 * y) + z, BoundaryConditions3D.Parse(bc));

    static EllipticProblem3D Darcy(int n) => EllipticProblem3D.FromFunctions(n, n, n,
        TwoPhase, (_, _, _) => 0, (_, _, _) => 1, BoundaryConditions3D.All(BoundaryKind.Dirichlet));

    [Theory]
    [InlineData("dirichlet")]
    [InlineData("neumann")]
    [InlineData("periodic")]
    [InlineData("d,n,p,p,n,d")]
    public void GalerkinCoarseOperatorsStaySymmetric(string boundaries)
    {
        var problem = EllipticProblem3D.FromFunctions(16, 16, 16, TwoPhase, (_, _, _) => 1, (_, _, _) => 1, BoundaryConditions3D.Parse(boundaries));
        var mg = new StencilMultigrid3D(Discretization3D.Assemble(problem).Operator);
        Assert.True(mg.LevelCount >= 3, $"{mg.LevelCount} levels");
        for (int l = 1; l < mg.LevelCount; l++)
        {
            Assert.True(mg.Operator(l).IsSymmetric(), $"{boundaries}: level {l} is not symmetric");
            Assert.True(mg.Operator(l).ActiveEntries.Length == StencilOperator3D.StencilSize, "Galerkin stencils have 27 points");
        }
    }

    [Theory]
    [InlineData("d,d,d,d,d,d", 16)]
    [InlineData("d,d,d,d,d,d", 18)] // odd counts pad
    [InlineData("n,d,d,n,p,p", 16)]
    [InlineData("p,p,p,p,p,p", 16)]
    public void GalerkinInteriorShortcutGivesTheGeneralPathsOperatorsExactly(string boundaries, int intervals)
    {
        var problem = EllipticProblem3D.FromFunctions(intervals, intervals, intervals, TwoPhase, (_, _, _) => 1, (_, _, _) => 1, BoundaryConditions3D.Parse(boundaries));
        // Seven-point fine stencils at the first coarsening, 27-point ones after it.
        var fine = Discretization3D.Assemble(problem).Operator;
        for (int level = 0; level < 2; level++)
        {
            var shortcut = new StencilOperator3D(fine.X.Coarsen(), fine.Y.Coarsen(), fine.Z.Coarsen());
            var general = new StencilOperator3D(fine.X.Coarsen(), fine.Y.Coarsen(), fine.Z.Coarsen());
            GalerkinCoarsening3D.Compute(fine, shortcut, threads: 2, interiorShortcut: true);
            GalerkinCoarsening3D.Compute(fine, general, threads: 1, interiorShortcut: false);
            for (int t = 0; t < StencilOperator3D.StencilSize; t++) Assert.Equal(general.Coefficients[t], shortcut.Coefficients[t]);
            fine = shortcut;
        }
    }

    [Fact]
    public void GalerkinOperatorOfConstantPoissonIsTheTrilinearProduct()
    {
        // With A = P^T A P computed independently as dense products on a small grid.
        var fine = Discretization3D.Assemble(Poisson(8, "d,n,p,p,n,d")).Operator;
        var coarse = new StencilOperator3D(fine.X.Coarsen(), fine.Y.Coarsen(), fine.Z.Coarsen());
        GalerkinCoarsening3D.Compute(fine, coarse, 1);
        var transfer = new GridTransfer3D(fine, coarse);
        var a = fine.ToDense();
        var c = coarse.ToDense();
        int nf = fine.Size, nc = coarse.Size;
        // Columns of P from prolonging unit vectors.
        var p = new double[nc][];
        for (int q = 0; q < nc; q++)
        {
            var e = new double[nc];
            e[q] = 1;
            p[q] = new double[nf];
            transfer.ProlongAdd(e, p[q], 1);
        }
        double worst = 0, scale = 0;
        for (int r = 0; r < nc; r++)
        {
            var ap = new double[nf];
            for (int i = 0; i < nf; i++)
                for (int j = 0; j < nf; j++) ap[i] += a[i, j] * p[r][j];
            for (int s = 0; s < nc; s++)
            {
                double v = 0;
                for (int i = 0; i < nf; i++) v += p[s][i] * ap[i];
                worst = Math.Max(worst, Math.Abs(v - c[s, r]));
                scale = Math.Max(scale, Math.Abs(v));
            }
        }
        Assert.True(worst <= 1e-12 * scale, $"max deviation {worst:E2} of scale {scale:E2}");
    }

    [Fact]
    public void RestrictionIsTheTransposeOfProlongation()
    {
        var fine = Discretization3D.Assemble(Poisson(8, "d,n,p,p,n,d")).Operator;
        var coarse = new StencilOperator3D(fine.X.Coarsen(), fine.Y.Coarsen(), fine.Z.Coarsen());
        var transfer = new GridTransfer3D(fine, coarse);
        var rng = new Random(3);
        var u = Enumerable.Range(0, coarse.Size).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var v = Enumerable.Range(0, fine.Size).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var pu = new double[fine.Size];
        var rv = new double[coarse.Size];
        transfer.ProlongAdd(u, pu, 2);
        transfer.Restrict(v, rv, 2);
        double left = Dot(pu, v), right = Dot(u, rv);
        Assert.True(Math.Abs(left - right) <= 1e-12 * Math.Abs(left), $"{left} vs {right}");
    }

    [Fact]
    public void MultigridPreconditionerIsSymmetric()
    {
        var op = Discretization3D.Assemble(Darcy(16)).Operator;
        var mg = new StencilMultigrid3D(op);
        var rng = new Random(7);
        var r = Enumerable.Range(0, op.Size).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var s = Enumerable.Range(0, op.Size).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var mr = new double[op.Size];
        var ms = new double[op.Size];
        mg.Apply(r, mr);
        mg.Apply(s, ms);
        double left = Dot(mr, s), right = Dot(r, ms);
        Assert.True(Math.Abs(left - right) <= 1e-10 * Math.Abs(left), $"<Mr, s> = {left}, <r, Ms> = {right}");
    }

    [Fact]
    public void CgWithMultigridConvergesFastOnTwoPhaseCoefficients()
    {
        var solution = EllipticSolver3D.Solve(Darcy(32), new EllipticSolverOptions { Krylov = KrylovKind.Cg, RelativeTolerance = 1e-10 });
        var r = solution.Result;
        output.WriteLine($"PCG two-phase 32^3: {r.Iterations} iterations, factor {r.ConvergenceFactor:F3}, setup {r.SetupSeconds:F2} s, solve {r.SolveSeconds:F2} s");
        Assert.True(r.Converged, r.Reason.ToString());
        Assert.True(r.Iterations <= 15, $"{r.Iterations} iterations");
    }

    [Theory]
    [InlineData("dirichlet", 0.0)]
    [InlineData("neumann", 1.0)]
    [InlineData("periodic", 1.0)]
    public void VCycleConvergesWithSmallFactorOnPoisson(string boundaries, double reaction)
    {
        var solution = EllipticSolver3D.Solve(Poisson(32, boundaries, reaction),
            new EllipticSolverOptions { Krylov = KrylovKind.None, RelativeTolerance = 1e-10, MaxIterations = 40 });
        var r = solution.Result;
        output.WriteLine($"V(2,2) {boundaries} 32^3: {r.Iterations} cycles, factor {r.ConvergenceFactor:F3}");
        Assert.True(r.Converged, r.Reason.ToString());
        Assert.True(r.ConvergenceFactor <= 0.2, $"factor {r.ConvergenceFactor:F3}");
    }

    public static TheoryData<CycleType, SmootherKind, KrylovKind> Variants => new()
    {
        { CycleType.W, SmootherKind.GaussSeidel, KrylovKind.None },
        { CycleType.F, SmootherKind.GaussSeidel, KrylovKind.None },
        { CycleType.V, SmootherKind.WeightedJacobi, KrylovKind.Cg },
        { CycleType.V, SmootherKind.GaussSeidel, KrylovKind.Gmres },
        { CycleType.V, SmootherKind.GaussSeidel, KrylovKind.BiCgStab },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryCycleSmootherAndKrylovChoiceReachesTheTolerance(CycleType cycle, SmootherKind smoother, KrylovKind krylov)
    {
        var options = new EllipticSolverOptions
        {
            Krylov = krylov,
            RelativeTolerance = 1e-10,
            MaxIterations = 40,
            Multigrid = new MultigridOptions { Cycle = cycle, Smoother = smoother },
        };
        var solution = EllipticSolver3D.Solve(Darcy(16), options);
        var r = solution.Result;
        output.WriteLine($"{cycle} {smoother} {krylov}: {r.Iterations} iterations, factor {r.ConvergenceFactor:F3}");
        Assert.True(r.Converged, r.Reason.ToString());
        // Residual checked independently of the solver's own bookkeeping.
        var system = solution.System;
        var x = new double[system.Operator.Size];
        for (int k = 0; k < system.Operator.Nz; k++)
            for (int j = 0; j < system.Operator.Ny; j++)
                for (int i = 0; i < system.Operator.Nx; i++)
                    x[i + system.Operator.Nx * (j + system.Operator.Ny * k)] = solution.U[k + 1, j + 1, i + 1];
        double residual = Math.Sqrt(system.Operator.Residual(x, system.RightHandSide, new double[x.Length]));
        Assert.True(residual <= 2e-10 * Math.Sqrt(Dot(system.RightHandSide, system.RightHandSide)), $"residual {residual:E2}");
    }

    [Fact]
    public void ChebyshevSmootherIsRejectedWithAClearMessage()
    {
        var op = Discretization3D.Assemble(Poisson(8, "dirichlet")).Operator;
        var e = Assert.Throws<ArgumentException>(() => new StencilMultigrid3D(op, new MultigridOptions { Smoother = SmootherKind.Chebyshev }));
        Assert.Contains("3D", e.Message);
    }
}
