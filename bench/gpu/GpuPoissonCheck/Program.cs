// Runs the 2D Poisson problem -lap u = 2 pi^2 sin(pi x) sin(pi y) on the unit square with FMG + 1
// V(2,1) cycle on an ILGPU accelerator (double and single precision) and on the CPU path
// (PoissonMultigrid2D), and prints one JSON object: device, median times of 5 runs, max error
// against the exact solution, and the relative difference ||u_gpu - u_cpu|| / ||u_cpu||.
// Usage: GpuPoissonCheck --device cuda|cpu [--n 1023 --n 2047] [--runs 5] [--precision double|single|both]
using System.Diagnostics;
using System.Text.Json;
using PdeOps.Physics.Grids;
using PdeOps.Physics.Manufactured;
using PdeOps.Solvers.Gpu;
using PdeOps.Solvers.Multigrid;

string? device = null;
var sizes = new List<int>();
int runs = 5;
string precisionArg = "both";
for (int a = 0; a < args.Length; a++)
{
    string Next() => a + 1 < args.Length ? args[++a] : throw new ArgumentException($"{args[a]} needs a value");
    try
    {
        switch (args[a])
        {
            case "--device": device = Next(); break;
            case "--n": sizes.Add(int.Parse(Next())); break;
            case "--runs": runs = int.Parse(Next()); break;
            case "--precision": precisionArg = Next(); break;
            default: return Usage($"unknown argument {args[a]}");
        }
    }
    catch (Exception e) when (e is ArgumentException or FormatException) { return Usage(e.Message); }
}
if (device is not ("cuda" or "cpu")) return Usage("--device must be cuda or cpu");
if (runs < 1 || sizes.Any(n => n < 3)) return Usage("--runs must be >= 1 and --n >= 3");
if (sizes.Count == 0) sizes.AddRange([1023, 2047]);
GpuPrecision[] precisions = precisionArg switch
{
    "double" => [GpuPrecision.Double],
    "single" => [GpuPrecision.Single],
    "both" => [GpuPrecision.Double, GpuPrecision.Single],
    _ => [],
};
if (precisions.Length == 0) return Usage("--precision must be double, single or both");

using var context = IlgpuDevices.CreateContext();
ILGPU.Runtime.Accelerator accelerator;
try { accelerator = IlgpuDevices.Create(context, device == "cuda" ? IlgpuDeviceKind.Cuda : IlgpuDeviceKind.Cpu); }
catch (AcceleratorUnavailableException e) { Console.Error.WriteLine($"error: {e.Message}"); return 1; }

var exact = ManufacturedSolution2D.PoissonSineProduct;
var results = new List<Dictionary<string, object>>();
using (accelerator)
{
    foreach (int n in sizes)
    {
        var grid = UniformGrid2D.UnitSquare(n);
        var f = grid.Sample(exact.Forcing);
        var cpuSolver = new PoissonMultigrid2D(grid);
        var uCpu = new double[n, n];
        var cpuRun = cpuSolver.SolveFmg(f, uCpu, 1); // warm-up (JIT), then timed runs
        double cpuMedian = Median(runs, () => cpuRun = cpuSolver.SolveFmg(f, uCpu, 1));
        double cpuErr = MaxError(grid, uCpu);
        foreach (var precision in precisions)
        {
            using var gpuSolver = new IlgpuPoissonMultigrid2D(accelerator, grid, precision: precision);
            var uGpu = new double[n, n];
            var gpuRun = gpuSolver.SolveFmg(f, uGpu, 1);
            double gpuMedian = Median(runs, () => gpuRun = gpuSolver.SolveFmg(f, uGpu, 1));
            double gpuErr = MaxError(grid, uGpu);
            results.Add(new Dictionary<string, object>
            {
                ["n"] = n,
                ["precision"] = precision.ToString().ToLowerInvariant(),
                ["levels"] = gpuSolver.LevelCount,
                ["coarse_solve"] = gpuSolver.CoarseSolve.ToString(),
                ["gpu_setup_s"] = gpuSolver.SetupSeconds,
                ["gpu_fmg1v_median_s"] = gpuMedian,
                ["gpu_fmg1v_solve_seconds_last"] = gpuRun.SolveSeconds,
                ["cpu_fmg1v_median_s"] = cpuMedian,
                ["cpu_threads"] = cpuSolver.Options.Threads,
                ["speedup_cpu_over_gpu"] = cpuMedian / gpuMedian,
                ["max_err_gpu"] = gpuErr,
                ["max_err_cpu"] = cpuErr,
                ["rel_diff_gpu_vs_cpu"] = RelativeDifference(uGpu, uCpu),
                ["gpu_relative_residual"] = gpuRun.RelativeResidual,
                ["cpu_relative_residual"] = cpuRun.RelativeResidual,
                ["iterations"] = gpuRun.Iterations,
            });
        }
    }

    var report = new Dictionary<string, object>
    {
        ["benchmark"] = "gpu-poisson-fmg",
        ["device"] = device,
        ["accelerator"] = $"{accelerator.AcceleratorType}: {accelerator.Name}",
        ["machine"] = $"{Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
        ["command"] = "GpuPoissonCheck " + string.Join(' ', args),
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd"),
        ["timing"] = $"median wall seconds of {runs} runs of SolveFmg(extraCycles: 1), V(2,1) red-black Gauss-Seidel, after one warm-up run; GPU times include upload of f and download of u",
        ["results"] = results,
    };
    Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
}
return 0;

static int Usage(string message)
{
    Console.Error.WriteLine($"error: {message}");
    Console.Error.WriteLine("usage: GpuPoissonCheck --device cuda|cpu [--n N ...] [--runs 5] [--precision double|single|both]");
    return 2;
}

static double Median(int runs, Action run)
{
    var times = new double[runs];
    for (int r = 0; r < runs; r++)
    {
        var watch = Stopwatch.StartNew();
        run();
        times[r] = watch.Elapsed.TotalSeconds;
    }
    Array.Sort(times);
    return runs % 2 == 1 ? times[runs / 2] : 0.5 * (times[runs / 2 - 1] + times[runs / 2]);
}

static double MaxError(UniformGrid2D g, double[,] u)
{
    var exact = ManufacturedSolution2D.PoissonSineProduct;
    double e = 0;
    for (int j = 0; j < g.Ny; j++)
        for (int i = 0; i < g.Nx; i++) e = Math.Max(e, Math.Abs(u[j, i] - exact.Solution(g.X(i), g.Y(j))));
    return e;
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
