using PdeOps.Physics.Grids;
using PdeOps.Physics.Manufactured;
using PdeOps.Solvers.Common;
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
    public static PoissonOutcome Solve(int n, MultigridOptions options, int fmgExtraCycles = -1, string device = "cpu")
    {
        if (device != "cpu") throw new NotSupportedException($"--device {device} is not available in this build");
        var exact = ManufacturedSolution2D.PoissonSineProduct;
        var grid = UniformGrid2D.UnitSquare(n);
        var f = grid.Sample(exact.Forcing);
        var u = new double[n, n];
        var solver = new PoissonMultigrid2D(grid, options);
        var result = fmgExtraCycles >= 0 ? solver.SolveFmg(f, u, fmgExtraCycles) : solver.Solve(f, u);
        double maxErr = 0;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
                maxErr = Math.Max(maxErr, Math.Abs(u[j, i] - exact.Solution(grid.X(i), grid.Y(j))));
        return new PoissonOutcome(grid, f, u, result, maxErr);
    }

    /// <summary>Writes u and f on all (n + 2)^2 vertices (boundary zeros included) with coordinates and provenance.</summary>
    public static void WriteHdf5(PoissonOutcome outcome, MultigridOptions options, string path)
    {
        FieldOutput.WriteHdf5(path, WithBoundary(outcome.Solution), new Dictionary<string, double[,]> { ["f"] = WithBoundary(outcome.Forcing) },
            new Dictionary<string, object>
            {
                ["problem"] = "poisson",
                ["equation"] = "-lap u = f on (0,1)^2, u = 0 on the boundary",
                ["exact_solution"] = "sin(pi x) sin(pi y)",
                ["n"] = outcome.Grid.Nx,
                ["solver"] = $"multigrid {options.Cycle}({options.PreSmoothing},{options.PostSmoothing}) {options.Smoother}",
                ["device"] = outcome.Device,
                ["relative_tolerance"] = options.RelativeTolerance,
                ["cycles"] = outcome.Result.Iterations,
                ["converged"] = outcome.Result.Converged,
                ["reason"] = outcome.Result.Reason.ToReportName(),
                ["max_err"] = outcome.MaxError,
            });
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
    public static void WritePlot(PoissonOutcome outcome, string path)
    {
        FieldOutput.WritePlot(path, WithBoundary(outcome.Solution),
            $"Poisson, n = {outcome.Grid.Nx}: u (max error {FieldOutput.Short(outcome.MaxError)})");
    }
}
