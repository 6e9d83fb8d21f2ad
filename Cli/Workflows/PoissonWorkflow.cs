using PdeOps.Physics.Grids;
using PdeOps.Physics.Manufactured;
using PdeOps.Plotting;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Gpu;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Cli.Workflows;

/// <summary>What a Poisson solve produced: the solution, the solver's report and the error against the exact solution.</summary>
public sealed record PoissonOutcome(UniformGrid2D Grid, double[,] Forcing, double[,] Solution, SolveResult Result, double MaxError, string Device = "cpu");

/// <summary>
/// Solves the built-in exact Poisson case -lap u = 2 pi^2 sin(pi x) sin(pi y), u = 0 on the
/// boundary of the unit square, and writes the solution to HDF5 and a heat map.
/// </summary>
public static class PoissonWorkflow
{
    /// <summary>Solves on an n x n interior grid; <paramref name="fmgExtraCycles"/> &gt;= 0 selects FMG followed by that many cycles.</summary>
    /// <param name="n">Interior points per axis.</param>
    /// <param name="options">Cycle, smoother, tolerance and threads.</param>
    /// <param name="fmgExtraCycles">-1 for plain cycling; otherwise FMG followed by this many cycles.</param>
    /// <param name="device">cpu (native), gpu (CUDA through ILGPU) or ilgpu-cpu (the GPU kernels on ILGPU's CPU accelerator).</param>
    /// <param name="precision">Arithmetic of the ILGPU path.</param>
    public static PoissonOutcome Solve(int n, MultigridOptions options, int fmgExtraCycles = -1, string device = "cpu",
        GpuPrecision precision = GpuPrecision.Double)
    {
        var exact = ManufacturedSolution2D.PoissonSineProduct;
        var grid = UniformGrid2D.UnitSquare(n);
        var f = grid.Sample(exact.Forcing);
        var u = new double[n, n];
        SolveResult result;
        string deviceName = "cpu";
        var choice = IlgpuDevices.Choose(device switch { "gpu" => IlgpuDeviceKind.Cuda, "ilgpu-cpu" => IlgpuDeviceKind.Cpu, _ => null });
        if (choice.FallbackReason is { } reason)
        {
            Console.Error.WriteLine($"pdeops: {reason}; falling back to --device cpu");
            deviceName = "cpu (fallback: no CUDA device)";
        }
        if (choice.Kind is not { } kind)
        {
            var solver = new PoissonMultigrid2D(grid, options);
            result = fmgExtraCycles >= 0 ? solver.SolveFmg(f, u, fmgExtraCycles) : solver.Solve(f, u);
        }
        else
        {
            using var context = IlgpuDevices.CreateContext();
            using var accelerator = IlgpuDevices.Create(context, kind);
            using var solver = new IlgpuPoissonMultigrid2D(accelerator, grid, options, precision);
            result = fmgExtraCycles >= 0 ? solver.SolveFmg(f, u, fmgExtraCycles) : solver.Solve(f, u);
            deviceName = $"{accelerator.AcceleratorType} {accelerator.Name} ({precision.ToString().ToLowerInvariant()})";
        }
        double maxErr = ExactError.Max(u, exact.Solution, grid.XCoordinates(), grid.YCoordinates());
        return new PoissonOutcome(grid, f, u, result, maxErr, deviceName);
    }

    /// <summary>Writes u and f on all (n + 2)^2 vertices (boundary zeros included) with coordinates and provenance.</summary>
    /// <param name="outcome">The solve.</param>
    /// <param name="options">The multigrid options used.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="status">Attributes that override the defaults (converged, reason of a failed solve), or null.</param>
    public static void WriteHdf5(PoissonOutcome outcome, MultigridOptions options, string path, IReadOnlyDictionary<string, object>? status = null)
    {
        FieldOutput.WriteHdf5(path, WithBoundary(outcome.Solution), new Dictionary<string, double[,]> { ["f"] = WithBoundary(outcome.Forcing) },
            FieldOutput.WithStatus(new Dictionary<string, object>
            {
                ["problem"] = "poisson",
                ["equation"] = "-lap u = f on (0,1)^2, u = 0 on the boundary",
                ["exact_solution"] = "sin(pi x) sin(pi y)",
                ["n"] = outcome.Grid.Nx,
                ["solver"] = $"multigrid {options.Cycle}({options.PreSmoothing},{options.PostSmoothing}) {SmootherName(options.Smoother, fivePoint: true)}",
                ["device"] = outcome.Device,
                ["relative_tolerance"] = options.RelativeTolerance,
                ["cycles"] = outcome.Result.Iterations,
                ["converged"] = outcome.Result.Converged,
                ["reason"] = outcome.Result.Reason.ToReportName(),
                ["max_err"] = outcome.MaxError,
            }, status ?? new Dictionary<string, object>()));
    }

    /// <summary>The interior field padded with the zero Dirichlet boundary.</summary>
    public static double[,] WithBoundary(double[,] interior)
    {
        int ny = interior.GetLength(0), nx = interior.GetLength(1);
        var full = new double[ny + 2, nx + 2];
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++) full[j + 1, i + 1] = interior[j, i];
        return full;
    }

    /// <summary>Writes a heat map of the solution (PNG or SVG by extension).</summary>
    public static void WritePlot(PoissonOutcome outcome, string path) => FigureExport.Save(Plot(outcome), path);

    /// <summary>The heat map of the solution.</summary>
    public static OxyPlot.PlotModel Plot(PoissonOutcome outcome) =>
        FieldOutput.HeatMap(WithBoundary(outcome.Solution), $"Poisson, n = {outcome.Grid.Nx}: u (max error {FieldOutput.Short(outcome.MaxError)})");

    /// <summary>The smoother as reports name it: red-black Gauss-Seidel on five-point levels, multicolour on stencil levels.</summary>
    public static string SmootherName(SmootherKind kind, bool fivePoint) => kind switch
    {
        SmootherKind.GaussSeidel => fivePoint ? "RedBlackGaussSeidel" : "MulticolorGaussSeidel",
        _ => kind.ToString(),
    };
}
