using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Tests.Elliptic;

public class EnergyErrorBoundTests
{
    static EllipticProblem2D Darcy(int intervals, double[,] a)
    {
        int s = intervals + 1;
        var f = new double[s, s];
        for (int j = 0; j < s; j++)
            for (int i = 0; i < s; i++) f[j, i] = 1;
        return new EllipticProblem2D(intervals, intervals, a, new double[s, s], f, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
    }

    // A smooth plus an oscillating perturbation of the discrete solution: an approximation with a known error.
    static double[,] Perturbed(double[,] u, double amplitude)
    {
        int n = u.GetLength(0);
        var p = (double[,])u.Clone();
        for (int j = 1; j < n - 1; j++)
            for (int i = 1; i < n - 1; i++)
            {
                double x = i / (n - 1.0), y = j / (n - 1.0);
                p[j, i] += amplitude * (Math.Sin(Math.PI * x) * Math.Sin(2 * Math.PI * y) + 0.3 * Math.Sin(17 * Math.PI * x) * Math.Sin(11 * Math.PI * y));
            }
        return p;
    }

    static double EnergyNorm(DiscreteEllipticSystem system, double[] e) => Math.Sqrt(system.Operator.EnergySquared(e));

    [Fact]
    public void TheEnergyOfASineModeIsItsEigenvalueTimesItsSquaredNorm()
    {
        int m = 32, s = m + 1;
        var a = new double[s, s];
        var mode = new double[s, s];
        for (int j = 0; j < s; j++)
            for (int i = 0; i < s; i++)
            {
                a[j, i] = 1.5;
                mode[j, i] = Math.Sin(Math.PI * i / m) * Math.Sin(3 * Math.PI * j / m);
            }
        var problem = Darcy(m, a);
        var system = Discretization2D.Assemble(problem);
        var v = Discretization2D.ToUnknowns(system, mode);
        // A = 1.5 L, and the sine mode (1, 3) is an eigenvector of the five-point Dirichlet Laplacian L.
        double Axis(int k, double h) => 4 / (h * h) * Math.Pow(Math.Sin(k * Math.PI / (2.0 * m)), 2);
        double eigenvalue = 1.5 * (Axis(1, problem.Hx) + Axis(3, problem.Hy));
        double expected = eigenvalue * v.Sum(p => p * p);
        Assert.Equal(expected, system.Operator.EnergySquared(v), 1e-10 * expected);
    }

    [Fact]
    public void IsExactForTheLaplacian()
    {
        int m = 64, s = m + 1;
        var a = new double[s, s];
        for (int j = 0; j < s; j++)
            for (int i = 0; i < s; i++) a[j, i] = 2.5;
        var problem = Darcy(m, a);
        var exact = EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-13 });
        var system = Discretization2D.Assemble(problem);
        var x = Discretization2D.ToUnknowns(system, Perturbed(exact.U, 1e-3));
        var error = Discretization2D.ToUnknowns(system, exact.U).Zip(x, (p, q) => p - q).ToArray();
        double eta = new EnergyErrorBound(system).Estimate(x).EnergyBound;
        // A = 2.5 L: the bound sqrt(r^T L^-1 r / a_min) equals sqrt(r^T A^-1 r) = ||e||_A.
        Assert.Equal(EnergyNorm(system, error), eta, 1e-9 * eta + 1e-14);
    }

    [Fact]
    public void BoundsTheTwoPhaseErrorWithinTheStatedEfficiency()
    {
        int m = 96;
        var problem = Darcy(m, TwoPhaseCoefficient.Sample(m + 1, seed: 3, index: 0));
        var exact = EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-13 });
        var system = Discretization2D.Assemble(problem);
        var uh = Discretization2D.ToUnknowns(system, exact.U);
        var bound = new EnergyErrorBound(system);
        foreach (double amplitude in new[] { 1e-5, 1e-4, 1e-3 })
        {
            var x = Discretization2D.ToUnknowns(system, Perturbed(exact.U, amplitude));
            double trueError = EnergyNorm(system, uh.Zip(x, (p, q) => p - q).ToArray());
            var estimate = bound.Estimate(x);
            // Guaranteed: ||e||_A <= eta <= sqrt(a_max / a_min) ||e||_A = 2 ||e||_A for a in {3, 12}.
            Assert.InRange(estimate.EnergyBound / trueError, 1 - 1e-9, 2 + 1e-9);
            double relative = trueError / EnergyNorm(system, uh);
            Assert.True(estimate.RelativeBound >= relative, $"relative bound {estimate.RelativeBound} below the true {relative}");
            // Weighing the flux face by face gains over putting a_min on every face.
            var r = new double[x.Length];
            system.Operator.Residual(x, system.RightHandSide, r);
            double crude = bound.MinCoefficientBound(r) / trueError;
            Assert.True(estimate.EnergyBound / trueError < 0.9 * crude, $"efficiency {estimate.EnergyBound / trueError} with face coefficients against {crude} with a_min");
        }
    }

    // a = exp(sin 3x cos 2y) on the unit square, between 1/e and e, and a reaction c >= 0 that only adds to A.
    static EllipticProblem2D SmoothCoefficientWithReaction(int m)
    {
        int s = m + 1;
        var a = new double[s, s];
        var c = new double[s, s];
        var f = new double[s, s];
        for (int j = 0; j < s; j++)
            for (int i = 0; i < s; i++)
            {
                double x = i / (double)m, y = j / (double)m;
                a[j, i] = Math.Exp(Math.Sin(3 * x) * Math.Cos(2 * y));
                c[j, i] = 50 * x * y;
                f[j, i] = 1 + x;
            }
        return new EllipticProblem2D(m, m, a, c, f, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
    }

    [Theory]
    [InlineData(40, 28)]
    [InlineData(3, 5)] // rows shorter than a vector: no lane-by-lane interior
    [InlineData(12, 2)] // one row of unknowns, Dirichlet vertices above and below
    public void ItsResidualIsTheAssembledSystemsWithoutAssembly(int mx, int my)
    {
        // Non-zero Dirichlet data, a reaction term and a rectangular grid exercise every term of b - A x.
        var smooth = SmoothCoefficientWithReaction(40);
        var a = new double[my + 1, mx + 1];
        var c = new double[my + 1, mx + 1];
        var f = new double[my + 1, mx + 1];
        for (int j = 0; j <= my; j++)
            for (int i = 0; i <= mx; i++) (a[j, i], c[j, i], f[j, i]) = (smooth.A[j, i], smooth.C[j, i], smooth.F[j, i]);
        var problem = new EllipticProblem2D(mx, my, a, c, f, BoundaryConditions2D.All(BoundaryKind.Dirichlet),
            (side, x, y) => side == BoundarySide.North ? Math.Sin(3 * x) : 1 + x * y, lengthX: 1.5, lengthY: 1);
        var system = Discretization2D.Assemble(problem);
        var x = Enumerable.Range(0, system.Operator.Size).Select(k => Math.Cos(0.37 * k)).ToArray();
        var assembled = new double[x.Length];
        system.Operator.Residual(x, system.RightHandSide, assembled);
        var faceByFace = new double[x.Length];
        new EnergyErrorBound(problem).Residual(x, faceByFace);
        double scale = assembled.Max(Math.Abs);
        for (int k = 0; k < x.Length; k++) Assert.Equal(assembled[k], faceByFace[k], 1e-12 * scale);
    }

    [Fact]
    public void TheFluxBoundLiesBetweenTheTrueErrorAndTheMinimumCoefficientBound()
    {
        foreach (var problem in new[] { Darcy(96, TwoPhaseCoefficient.Sample(97, seed: 7, index: 2)), SmoothCoefficientWithReaction(80) })
        {
            var exact = EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-13 });
            var system = Discretization2D.Assemble(problem);
            var uh = Discretization2D.ToUnknowns(system, exact.U);
            var bound = new EnergyErrorBound(system);
            foreach (double amplitude in new[] { 1e-4, 1e-2 })
            {
                var x = Discretization2D.ToUnknowns(system, Perturbed(exact.U, amplitude));
                var r = new double[x.Length];
                system.Operator.Residual(x, system.RightHandSide, r);
                double trueError = EnergyNorm(system, uh.Zip(x, (p, q) => p - q).ToArray());
                double eta = bound.EnergyBound(r), crude = bound.MinCoefficientBound(r);
                Assert.True(eta >= trueError * (1 - 1e-9), $"eta {eta} below the true error {trueError}");
                Assert.True(eta <= crude * (1 + 1e-12), $"eta {eta} above the minimum-coefficient bound {crude}");
                // The relative bound: guaranteed, and within (1 + its own size) of eta / ||u_h||_A,
                // since its lower bound on ||u_h||_A is short by ||e||_A^2 / (2 ||u_h||_A) at most.
                double solutionNorm = EnergyNorm(system, uh);
                var estimate = bound.Estimate(x, r);
                Assert.True(estimate.RelativeBound >= trueError / solutionNorm);
                Assert.True(estimate.RelativeBound <= eta / solutionNorm * (1 + estimate.RelativeBound * estimate.RelativeBound),
                    $"relative bound {estimate.RelativeBound} against eta / ||u_h|| = {eta / solutionNorm}");
            }
        }
    }

    [Fact]
    public void CertifiedSolveMeetsTheToleranceAndAcceptsGoodApproximationsAsGiven()
    {
        int m = 128;
        var problem = Darcy(m, TwoPhaseCoefficient.Sample(m + 1, seed: 5, index: 1));
        var exact = EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-13 });
        var system = Discretization2D.Assemble(problem);
        var uh = Discretization2D.ToUnknowns(system, exact.U);
        double RelativeError(double[,] u) =>
            EnergyNorm(system, uh.Zip(Discretization2D.ToUnknowns(system, u), (p, q) => p - q).ToArray()) / EnergyNorm(system, uh);

        const double tolerance = 1e-3;
        var cold = CertifiedSolver2D.Solve(problem, null, tolerance);
        Assert.False(cold.AcceptedAsGiven);
        Assert.True(cold.FinalBound <= tolerance);
        Assert.True(RelativeError(cold.U) <= tolerance);

        var near = Perturbed(exact.U, 1e-7);
        var accepted = CertifiedSolver2D.Solve(problem, near, tolerance);
        Assert.True(accepted.AcceptedAsGiven);
        Assert.Equal(0, accepted.Iterations);
        Assert.Equal(near[m / 2, m / 3], accepted.U[m / 2, m / 3]);

        var warm = CertifiedSolver2D.Solve(problem, Perturbed(exact.U, 1e-3), 1e-6);
        var coldTight = CertifiedSolver2D.Solve(problem, null, 1e-6);
        Assert.True(RelativeError(warm.U) <= 1e-6);
        Assert.True(warm.Iterations < coldTight.Iterations, $"warm start {warm.Iterations} iterations, cold {coldTight.Iterations}");
    }

    // SolveInto writes the answer Solve returns into the caller's field, which may hold the approximation
    // itself; the boundary takes the Dirichlet data whatever the approximation held there.
    [Theory]
    [InlineData(1e-7, true)]
    [InlineData(1e-2, false)]
    public void SolveIntoWritesTheSameAnswerIntoTheCallersField(double perturbation, bool acceptedAsGiven)
    {
        int m = 64;
        var problem = Darcy(m, TwoPhaseCoefficient.Sample(m + 1, seed: 6, index: 2));
        var exact = EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-13 });
        var approximation = Perturbed(exact.U, perturbation);
        for (int v = 0; v <= m; v++) (approximation[0, v], approximation[v, m]) = (0.5, -0.5);
        const double tolerance = 1e-4;
        var allocated = CertifiedSolver2D.Solve(problem, approximation, tolerance);
        Assert.Equal(acceptedAsGiven, allocated.AcceptedAsGiven);

        var field = (double[,])approximation.Clone();
        var inPlace = CertifiedSolver2D.SolveInto(problem, field, tolerance, field);
        Assert.Same(field, inPlace.U);
        Assert.Equal(allocated.U.Cast<double>(), field.Cast<double>());
        Assert.Equal((allocated.AcceptedAsGiven, allocated.FinalBound, allocated.Iterations), (inPlace.AcceptedAsGiven, inPlace.FinalBound, inPlace.Iterations));
        Assert.Equal(0.0, field[0, m / 2]);
        Assert.Equal(0.0, field[m / 2, m]);

        Assert.Throws<ArgumentException>(() => CertifiedSolver2D.SolveInto(problem, approximation, tolerance, new double[m, m + 1]));
        Assert.Throws<ArgumentNullException>(() => CertifiedSolver2D.SolveInto(problem, approximation, tolerance, null!));
        Assert.Throws<ArgumentNullException>(() => CertifiedSolver2D.Solve(null!, approximation, tolerance));
    }

    // Outside the generator's Darcy class (a reaction term, non-zero boundary data, a rectangle) the
    // general multigrid finishes the solve; inside it the generator's. Either way the tolerance holds.
    [Theory]
    [InlineData("darcy")]
    [InlineData("reaction")]
    [InlineData("boundary data")]
    [InlineData("rectangle")]
    public void CertifiedSolveMeetsTheToleranceOnEveryKindOfDirichletProblem(string kind)
    {
        int mx = kind == "rectangle" ? 96 : 64, my = 64;
        var two = TwoPhaseCoefficient.Sample(mx + 1, seed: 4, index: 3);
        var a = new double[my + 1, mx + 1];
        var c = new double[my + 1, mx + 1];
        var f = new double[my + 1, mx + 1];
        for (int j = 0; j <= my; j++)
            for (int i = 0; i <= mx; i++) (a[j, i], c[j, i], f[j, i]) = (two[j, i], kind == "reaction" ? 20.0 * i / mx : 0, 1);
        Func<BoundarySide, double, double, double>? data = kind == "boundary data" ? (_, x, y) => 0.05 * (x + y) : null;
        var problem = new EllipticProblem2D(mx, my, a, c, f, BoundaryConditions2D.All(BoundaryKind.Dirichlet), data);
        var system = Discretization2D.Assemble(problem);
        var uh = Discretization2D.ToUnknowns(system, EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-12 }).U);
        foreach (double tolerance in new[] { 0.3, 1e-4 })
        {
            var answer = CertifiedSolver2D.Solve(problem, null, tolerance, new EllipticSolverOptions { Multigrid = new() { Threads = 1 } });
            var error = uh.Zip(Discretization2D.ToUnknowns(system, answer.U), (p, q) => p - q).ToArray();
            double relative = EnergyNorm(system, error) / EnergyNorm(system, uh);
            Assert.True(answer.FinalBound <= tolerance && relative <= answer.FinalBound, $"{kind}, tolerance {tolerance}: bound {answer.FinalBound}, true error {relative}");
            Assert.InRange(answer.Iterations, 1, 30);
        }
    }

    [Fact]
    public void SolveFromStartsAtTheGivenGuess()
    {
        int m = 64;
        var problem = Darcy(m, TwoPhaseCoefficient.Sample(m + 1, seed: 2, index: 0));
        var options = new EllipticSolverOptions { RelativeTolerance = 1e-9 };
        var cold = EllipticSolver2D.Solve(problem, options);
        var fromZero = EllipticSolver2D.SolveFrom(problem, new double[m + 1, m + 1], options);
        Assert.Equal(cold.Result.Iterations, fromZero.Result.Iterations);
        // From the converged answer the relative residual (to ||b||) already holds: no iteration.
        var fromAnswer = EllipticSolver2D.SolveFrom(problem, cold.U, options);
        Assert.Equal(0, fromAnswer.Result.Iterations);
        Assert.Throws<ArgumentException>(() => EllipticSolver2D.SolveFrom(problem, new double[m, m + 1], options));
    }

    [Fact]
    public void PooledStorageLeavesNoTraceInTheNextBound()
    {
        // The bound rents its face coefficients and work vectors: stale values in the pool (here NaN,
        // in every array of the sizes it asks for) must not reach an estimate.
        var problem = SmoothCoefficientWithReaction(48);
        var system = Discretization2D.Assemble(problem);
        var solution = EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-12 });
        var x = Discretization2D.ToUnknowns(system, Perturbed(solution.U, 1e-3));
        var r = new double[x.Length];
        system.Operator.Residual(x, system.RightHandSide, r);
        (ErrorBoundEstimate FromResidual, ErrorBoundEstimate Own, double Eta) Measure()
        {
            using var bound = new EnergyErrorBound(problem);
            return (bound.Estimate(x, r), bound.Estimate(x), bound.EnergyBound(r));
        }
        var clean = Measure();
        var poisoned = Enumerable.Range(0, 16).Select(_ => System.Buffers.ArrayPool<double>.Shared.Rent(x.Length)).ToArray();
        foreach (var array in poisoned)
        {
            Array.Fill(array, double.NaN);
            System.Buffers.ArrayPool<double>.Shared.Return(array);
        }
        Assert.Equal(clean, Measure());
        Assert.Equal(clean.Eta, clean.FromResidual.EnergyBound);
        Assert.InRange(clean.Own.RelativeBound, 1e-6, 1);
        Assert.Equal(clean.FromResidual.RelativeBound, clean.Own.RelativeBound, 1e-9);
    }

    [Fact]
    public void ADisposedBoundRefusesWork()
    {
        var problem = SmoothCoefficientWithReaction(16);
        var bound = new EnergyErrorBound(problem);
        var x = new double[15 * 15];
        bound.Dispose();
        bound.Dispose();
        Assert.Throws<ObjectDisposedException>(() => bound.Estimate(x));
        Assert.Throws<ObjectDisposedException>(() => bound.Residual(x, new double[x.Length]));
        Assert.Throws<ObjectDisposedException>(() => bound.EnergyBound(x));
    }

    [Fact]
    public void RefusesProblemsOutsideItsReach()
    {
        int m = 16, s = m + 1;
        var a = new double[s, s];
        for (int j = 0; j < s; j++)
            for (int i = 0; i < s; i++) a[j, i] = 1;
        var neumann = new EllipticProblem2D(m, m, a, new double[s, s], new double[s, s], BoundaryConditions2D.Parse("d,n,d,d"));
        var e = Assert.Throws<ArgumentException>(() => new EnergyErrorBound(Discretization2D.Assemble(neumann)));
        Assert.Contains("Dirichlet", e.Message);
        Assert.Throws<ArgumentException>(() => CertifiedSolver2D.Solve(Darcy(m, a), null, 1.5));
    }
}
