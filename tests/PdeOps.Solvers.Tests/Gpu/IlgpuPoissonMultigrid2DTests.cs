using ILGPU;
using ILGPU.Runtime;
using PdeOps.Physics.Grids;
using PdeOps.Physics.Manufactured;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Gpu;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Tests.Gpu;

/// <summary>One ILGPU context and CPU accelerator shared by the tests of a class.</summary>
public sealed class CpuAcceleratorFixture : IDisposable
{
    public CpuAcceleratorFixture()
    {
        Context = IlgpuDevices.CreateContext();
        Accelerator = IlgpuDevices.Create(Context, IlgpuDeviceKind.Cpu);
    }

    public Context Context { get; }
    public Accelerator Accelerator { get; }

    public void Dispose()
    {
        Accelerator.Dispose();
        Context.Dispose();
    }
}

public class IlgpuPoissonMultigrid2DTests(CpuAcceleratorFixture fixture) : IClassFixture<CpuAcceleratorFixture>
{
    static readonly ManufacturedSolution2D Exact = ManufacturedSolution2D.PoissonSineProduct;
    readonly Accelerator _accelerator = fixture.Accelerator;

    // Double agrees with the CPU path to rounding. Float stores u in single precision with a
    // double-evaluated residual, so it stays within a few eps_float (6e-8) of the double answer;
    // 1e-5 is the acceptance bound of the GPU issue.
    static double Tolerance(GpuPrecision precision) => precision == GpuPrecision.Double ? 1e-10 : 1e-5;

    static double[,] RandomGuess(int n, int seed)
    {
        var rng = new Random(seed);
        var u = new double[n, n];
        for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) u[j, i] = rng.NextDouble() - 0.5;
        return u;
    }

    static double RelativeDifference(double[,] a, double[,] reference)
    {
        double num = 0, den = 0;
        for (int j = 0; j < a.GetLength(0); j++)
            for (int i = 0; i < a.GetLength(1); i++)
            {
                double d = a[j, i] - reference[j, i];
                num += d * d;
                den += reference[j, i] * reference[j, i];
            }
        return Math.Sqrt(num / den);
    }

    static double MaxError(UniformGrid2D g, double[,] u)
    {
        double e = 0;
        for (int j = 0; j < g.Ny; j++)
            for (int i = 0; i < g.Nx; i++) e = Math.Max(e, Math.Abs(u[j, i] - Exact.Solution(g.X(i), g.Y(j))));
        return e;
    }

    (double[,] Gpu, double[,] Cpu, SolveResult GpuResult, SolveResult CpuResult) SolveBoth(
        int n, MultigridOptions options, GpuPrecision precision, int? fmgExtraCycles = null)
    {
        var g = UniformGrid2D.UnitSquare(n);
        var f = g.Sample(Exact.Forcing);
        var cpu = RandomGuess(n, 7);
        var gpu = RandomGuess(n, 7);
        var cpuSolver = new PoissonMultigrid2D(g, options);
        using var gpuSolver = new IlgpuPoissonMultigrid2D(_accelerator, g, options, precision);
        var cpuResult = fmgExtraCycles is int e1 ? cpuSolver.SolveFmg(f, cpu, e1) : cpuSolver.Solve(f, cpu);
        var gpuResult = fmgExtraCycles is int e2 ? gpuSolver.SolveFmg(f, gpu, e2) : gpuSolver.Solve(f, gpu);
        return (gpu, cpu, gpuResult, cpuResult);
    }

    [Theory]
    [InlineData(CycleType.V, GpuPrecision.Double)]
    [InlineData(CycleType.W, GpuPrecision.Double)]
    [InlineData(CycleType.F, GpuPrecision.Double)]
    [InlineData(CycleType.V, GpuPrecision.Single)]
    [InlineData(CycleType.W, GpuPrecision.Single)]
    [InlineData(CycleType.F, GpuPrecision.Single)]
    public void CyclesMatchTheCpuPathAfterTheSameNumberOfCycles(CycleType cycle, GpuPrecision precision)
    {
        var options = new MultigridOptions { Cycle = cycle, MaxCycles = 3, RelativeTolerance = 0 };
        var (gpu, cpu, gpuResult, cpuResult) = SolveBoth(63, options, precision);
        Assert.Equal(3, gpuResult.Iterations);
        Assert.Equal(cpuResult.Reason, gpuResult.Reason);
        double diff = RelativeDifference(gpu, cpu);
        Assert.True(diff < Tolerance(precision), $"{cycle} {precision}: relative difference {diff:E2}");
        for (int k = 0; k < cpuResult.ResidualHistory.Count; k++)
            Assert.Equal(cpuResult.ResidualHistory[k], gpuResult.ResidualHistory[k], cpuResult.ResidualHistory[k] * 1e-3);
    }

    [Theory]
    [InlineData(GpuPrecision.Double)]
    [InlineData(GpuPrecision.Single)]
    public void WeightedJacobiCyclesMatchTheCpuPath(GpuPrecision precision)
    {
        var options = new MultigridOptions { Smoother = SmootherKind.WeightedJacobi, MaxCycles = 3, RelativeTolerance = 0 };
        var (gpu, cpu, _, _) = SolveBoth(31, options, precision);
        Assert.True(RelativeDifference(gpu, cpu) < Tolerance(precision));
    }

    [Theory]
    [InlineData(CycleType.V, GpuPrecision.Double)]
    [InlineData(CycleType.F, GpuPrecision.Double)]
    [InlineData(CycleType.V, GpuPrecision.Single)]
    public void FullMultigridMatchesTheCpuPath(CycleType cycle, GpuPrecision precision)
    {
        var options = new MultigridOptions { Cycle = cycle };
        var (gpu, cpu, gpuResult, cpuResult) = SolveBoth(63, options, precision, fmgExtraCycles: 1);
        Assert.Equal(cpuResult.Iterations, gpuResult.Iterations);
        Assert.Equal(ConvergenceReason.CompletedFixedSchedule, gpuResult.Reason);
        double diff = RelativeDifference(gpu, cpu);
        Assert.True(diff < Tolerance(precision), $"FMG {cycle} {precision}: relative difference {diff:E2}");
    }

    [Fact]
    public void NonDyadicGridSolvesTheCoarsestLevelByHostCholeskyAndMatchesTheCpuPath()
    {
        // n = 41 coarsens once to 20 (even): two levels, a 20 x 20 coarsest level.
        var options = new MultigridOptions { MaxCycles = 3, RelativeTolerance = 0 };
        var (gpu, cpu, _, _) = SolveBoth(41, options, GpuPrecision.Double);
        Assert.True(RelativeDifference(gpu, cpu) < 1e-10);
        using var solver = new IlgpuPoissonMultigrid2D(_accelerator, UniformGrid2D.UnitSquare(41));
        Assert.Equal(2, solver.LevelCount);
        Assert.Equal(GpuCoarseSolve.HostBandedCholesky, solver.CoarseSolve);
        var fmg = SolveBoth(41, new MultigridOptions(), GpuPrecision.Double, fmgExtraCycles: 1);
        Assert.True(RelativeDifference(fmg.Gpu, fmg.Cpu) < 1e-10);
    }

    [Fact]
    public void VCycleReducesTheResidualTenfoldPerCycle()
    {
        var g = UniformGrid2D.UnitSquare(63);
        var u = RandomGuess(63, 7);
        using var solver = new IlgpuPoissonMultigrid2D(_accelerator, g);
        Assert.Equal(GpuCoarseSolve.SingleUnknownSweep, solver.CoarseSolve);
        var result = solver.Solve(g.Sample(Exact.Forcing), u);
        Assert.Equal(ConvergenceReason.ConvergedRelativeTolerance, result.Reason);
        var h = result.ResidualHistory;
        double worst = Enumerable.Range(2, h.Count - 2).Max(k => h[k] / h[k - 1]);
        Assert.True(worst <= 0.1, $"V(2,1) factor {worst:F3}");
        Assert.True(result.ConvergenceFactor <= 0.1);
        Assert.True(result.SetupSeconds > 0 && result.SolveSeconds > 0);
    }

    [Theory]
    [InlineData(GpuPrecision.Double)]
    [InlineData(GpuPrecision.Single)]
    public void FullMultigridWithOneVCycleReachesTheDiscretisationError(GpuPrecision precision)
    {
        int n = 63;
        var g = UniformGrid2D.UnitSquare(n);
        var f = g.Sample(Exact.Forcing);
        var converged = new double[n, n];
        using (var reference = new IlgpuPoissonMultigrid2D(_accelerator, g, new MultigridOptions { RelativeTolerance = 1e-11 }))
            reference.Solve(f, converged).EnsureConverged();
        double discretisation = MaxError(g, converged);

        var fmg = new double[n, n];
        using var solver = new IlgpuPoissonMultigrid2D(_accelerator, g, precision: precision);
        var result = solver.SolveFmg(f, fmg, extraCycles: 1);
        Assert.Equal(2, result.Iterations);
        Assert.InRange(MaxError(g, fmg), 0.95 * discretisation, 1.05 * discretisation);
    }

    [Fact]
    public void IterationLimitIsReported()
    {
        var g = UniformGrid2D.UnitSquare(31);
        var u = RandomGuess(31, 3);
        using var solver = new IlgpuPoissonMultigrid2D(_accelerator, g, new MultigridOptions { RelativeTolerance = 1e-15, MaxCycles = 2 });
        var result = solver.Solve(g.Sample(Exact.Forcing), u);
        Assert.Equal(ConvergenceReason.DivergedIterationLimit, result.Reason);
        Assert.Equal(2, result.Iterations);
        Assert.Equal(3, result.ResidualHistory.Count);
    }

    [Fact]
    public void DisposeFreesTheBuffersAndMayBeRepeated()
    {
        var g = UniformGrid2D.UnitSquare(31);
        var solver = new IlgpuPoissonMultigrid2D(_accelerator, g);
        solver.Dispose();
        solver.Dispose();
        Assert.Throws<ObjectDisposedException>(() => solver.Solve(new double[31, 31], new double[31, 31]));
        Assert.Throws<ObjectDisposedException>(() => solver.SolveFmg(new double[31, 31], new double[31, 31]));
    }

    [Fact]
    public void WrongFieldShapeIsRejected()
    {
        using var solver = new IlgpuPoissonMultigrid2D(_accelerator, UniformGrid2D.UnitSquare(31));
        var e = Assert.Throws<ArgumentException>(() => solver.Solve(new double[31, 30], new double[31, 31]));
        Assert.Contains("31 x 31", e.Message);
    }
}
