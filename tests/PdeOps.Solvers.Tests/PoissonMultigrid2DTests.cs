using PdeOps.Physics.Grids;
using PdeOps.Physics.Manufactured;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Tests;

public class PoissonMultigrid2DTests
{
    static readonly ManufacturedSolution2D Exact = ManufacturedSolution2D.PoissonSineProduct;

    static double MaxError(UniformGrid2D g, double[,] u)
    {
        double e = 0;
        for (int j = 0; j < g.Ny; j++)
            for (int i = 0; i < g.Nx; i++) e = Math.Max(e, Math.Abs(u[j, i] - Exact.Solution(g.X(i), g.Y(j))));
        return e;
    }

    // Error of the algebraically converged discrete solution against the exact one.
    static double DiscretisationError(UniformGrid2D g, double[,] f)
    {
        var converged = new double[g.Ny, g.Nx];
        new PoissonMultigrid2D(g, new MultigridOptions { RelativeTolerance = 1e-11 }).Solve(f, converged).EnsureConverged();
        return MaxError(g, converged);
    }

    static (double[,] U, SolveResult Result) SolveRandomGuess(int n, MultigridOptions options)
    {
        // A random initial guess excites every frequency, so the measured factor is the worst case.
        var g = UniformGrid2D.UnitSquare(n);
        var rng = new Random(7);
        var u = new double[n, n];
        for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) u[j, i] = rng.NextDouble() - 0.5;
        var result = new PoissonMultigrid2D(g, options).Solve(g.Sample(Exact.Forcing), u);
        return (u, result);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(63)]
    [InlineData(127)]
    [InlineData(255)]
    public void VCycleWithRedBlackGaussSeidelReducesResidualTenfoldPerCycle(int n)
    {
        var (_, result) = SolveRandomGuess(n, new MultigridOptions { RelativeTolerance = 1e-10 });
        Assert.True(result.Converged, result.Reason.ToString());
        // Worst single-cycle reduction after the first cycle (the first also removes the rough guess).
        var h = result.ResidualHistory;
        double worst = Enumerable.Range(2, h.Count - 2).Max(k => h[k] / h[k - 1]);
        Assert.True(worst <= 0.1, $"V(2,1) factor {worst:F3} at n={n}");
        Assert.True(result.ConvergenceFactor <= 0.1);
    }

    [Theory]
    [InlineData(CycleType.W)]
    [InlineData(CycleType.F)]
    public void WAndFCyclesConvergeAtLeastAsFastAsV(CycleType cycle)
    {
        var (_, v) = SolveRandomGuess(127, new MultigridOptions());
        var (_, other) = SolveRandomGuess(127, new MultigridOptions { Cycle = cycle });
        Assert.True(other.Converged);
        Assert.True(other.ConvergenceFactor <= v.ConvergenceFactor * 1.05, $"{cycle}: {other.ConvergenceFactor:F3} vs V {v.ConvergenceFactor:F3}");
    }

    [Fact]
    public void WeightedJacobiSmootherConvergesWithTheTwoGridRate()
    {
        // Damped Jacobi (w = 4/5) has smoothing factor 0.6 in 2D; three sweeps give about 0.6^3 = 0.22.
        var (_, result) = SolveRandomGuess(127, new MultigridOptions { Smoother = SmootherKind.WeightedJacobi });
        Assert.True(result.Converged);
        Assert.InRange(result.ConvergenceFactor, 0.01, 0.3);
    }

    [Fact]
    public void ObservedOrderOfAccuracyIsTwo()
    {
        var errors = new[] { 31, 63, 127 }.Select(n =>
        {
            var (u, r) = SolveRandomGuess(n, new MultigridOptions { RelativeTolerance = 1e-12 });
            Assert.True(r.Converged);
            return MaxError(UniformGrid2D.UnitSquare(n), u);
        }).ToArray();
        for (int k = 1; k < errors.Length; k++)
        {
            // h halves exactly: h = 1/32, 1/64, 1/128.
            double order = Math.Log2(errors[k - 1] / errors[k]);
            Assert.InRange(order, 1.9, 2.1);
        }
    }

    [Theory]
    [InlineData(127)]
    [InlineData(511)]
    public void FullMultigridReachesTheDiscretisationErrorWithOneExtraCycle(int n)
    {
        var g = UniformGrid2D.UnitSquare(n);
        var f = g.Sample(Exact.Forcing);
        double discretisation = DiscretisationError(g, f);

        var fmg = new double[n, n];
        var result = new PoissonMultigrid2D(g).SolveFmg(f, fmg, extraCycles: 1);
        Assert.True(result.Iterations <= 2);
        Assert.InRange(MaxError(g, fmg), 0.95 * discretisation, 1.05 * discretisation);
    }

    [Theory]
    [InlineData(255)]
    [InlineData(511)]
    public void FullMultigridWithFCyclesReachesTheDiscretisationErrorAlone(int n)
    {
        var g = UniformGrid2D.UnitSquare(n);
        var f = g.Sample(Exact.Forcing);
        double discretisation = DiscretisationError(g, f);
        var fmg = new double[n, n];
        var options = new MultigridOptions { Cycle = CycleType.F, PreSmoothing = 1, PostSmoothing = 1 };
        var result = new PoissonMultigrid2D(g, options).SolveFmg(f, fmg, extraCycles: 0);
        Assert.Equal(1, result.Iterations);
        Assert.InRange(MaxError(g, fmg), 0.95 * discretisation, 1.05 * discretisation);
    }

    [Fact]
    public void IterationLimitIsReportedAndCanBeTurnedIntoAnException()
    {
        var (_, result) = SolveRandomGuess(63, new MultigridOptions { RelativeTolerance = 1e-15, MaxCycles = 2 });
        Assert.False(result.Converged);
        Assert.Equal(ConvergenceReason.DivergedIterationLimit, result.Reason);
        Assert.Equal(2, result.Iterations);
        var e = Assert.Throws<SolverDidNotConvergeException>(() => result.EnsureConverged("poisson"));
        Assert.Contains("diverged_iteration_limit", e.Message);
    }

    [Fact]
    public void ThreadCountDoesNotChangeTheAnswer()
    {
        var (u1, _) = SolveRandomGuess(255, new MultigridOptions { Threads = 1, MaxCycles = 3, RelativeTolerance = 0 });
        var (u2, _) = SolveRandomGuess(255, new MultigridOptions { Threads = 4, MaxCycles = 3, RelativeTolerance = 0 });
        // Red-black ordering makes each colour's updates independent, so the result is bitwise identical.
        Assert.Equal(u1.Cast<double>(), u2.Cast<double>());
    }

    [Fact]
    public void NonDyadicGridsUseTheDirectCoarseSolver()
    {
        // n = 85 coarsens once to 42, which is even and cannot be halved again: the hierarchy
        // has two levels and the 42 x 42 coarsest level is solved exactly by banded Cholesky.
        var g = UniformGrid2D.UnitSquare(85);
        var u = new double[85, 85];
        var solver = new PoissonMultigrid2D(g);
        var result = solver.Solve(g.Sample(Exact.Forcing), u);
        Assert.True(result.Converged);
        Assert.Equal(2, solver.LevelCount);
        Assert.True(MaxError(g, u) < 2e-4);
    }
}

public class PoissonMultigridAllocationTests
{
    [Fact]
    public void CyclesAllocateNoArrays()
    {
        // Single-threaded, every sweep runs on this thread, so this thread's allocation counter
        // sees all of a cycle's allocations (other tests running in parallel do not disturb it).
        // One 255^2 level array weighs 0.5 MB; a cycle must allocate nothing of that kind. The row
        // partitions' closures cost a few hundred bytes a cycle (584 run alone, 1055 once in the
        // full suite), so the limit sits at 4 KB, below any level array from 31^2 up.
        int n = 255;
        var g = UniformGrid2D.UnitSquare(n);
        var f = g.Sample((x, y) => Math.Sin(3 * x) * Math.Cos(2 * y));
        var u = new double[n, n];
        var options = new MultigridOptions { RelativeTolerance = 0, Threads = 1 };
        var few = new PoissonMultigrid2D(g, options with { MaxCycles = 2 });
        var many = new PoissonMultigrid2D(g, options with { MaxCycles = 12 });
        few.Solve(f, u);
        many.Solve(f, u);
        long before = GC.GetAllocatedBytesForCurrentThread();
        few.Solve(f, u);
        long middle = GC.GetAllocatedBytesForCurrentThread();
        many.Solve(f, u);
        long after = GC.GetAllocatedBytesForCurrentThread();
        double perCycle = ((after - middle) - (middle - before)) / 10.0;
        Assert.True(perCycle < 4096, $"{perCycle:F0} bytes allocated per cycle");
    }
}
