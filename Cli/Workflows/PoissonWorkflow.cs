using System.Globalization;
using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.Grids;
using PdeOps.Physics.Manufactured;
using PdeOps.Plotting;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Cli.Workflows;

/// <summary>What a Poisson solve produced: the solution, the solver's report and the error against the exact solution.</summary>
public sealed record PoissonOutcome(UniformGrid2D Grid, double[,] Forcing, double[,] Solution, SolveResult Result, double MaxError);

/// <summary>
/// Solves the built-in exact Poisson case -lap u = 2 pi^2 sin(pi x) sin(pi y), u = 0 on the
/// boundary of the unit square, and writes the solution to HDF5 and a heat map.
/// </summary>
public static class PoissonWorkflow
{
    /// <summary>Solves on an n x n interior grid; <paramref name="fmgExtraCycles"/> &gt;= 0 selects FMG followed by that many cycles.</summary>
    public static PoissonOutcome Solve(int n, MultigridOptions options, int fmgExtraCycles = -1)
    {
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

    /// <summary>Writes u, f and the coordinates with provenance attributes to an HDF5 file.</summary>
    public static void WriteHdf5(PoissonOutcome outcome, MultigridOptions options, string path)
    {
        var g = outcome.Grid;
        new FieldFileBuilder()
            .AddArray("u", outcome.Solution)
            .AddArray("f", outcome.Forcing)
            .AddArray("x", g.XCoordinates())
            .AddArray("y", g.YCoordinates())
            .SetAttribute("problem", "poisson")
            .SetAttribute("equation", "-lap u = f on (0,1)^2, u = 0 on the boundary")
            .SetAttribute("exact_solution", "sin(pi x) sin(pi y)")
            .SetAttribute("layout", "u[y, x] at interior vertices; x, y are their coordinates")
            .SetAttribute("n", g.Nx)
            .SetAttribute("solver", $"multigrid {options.Cycle}({options.PreSmoothing},{options.PostSmoothing}) {options.Smoother}")
            .SetAttribute("relative_tolerance", options.RelativeTolerance)
            .SetAttribute("cycles", outcome.Result.Iterations)
            .SetAttribute("converged", outcome.Result.Converged)
            .SetAttribute("reason", outcome.Result.Reason.ToReportName())
            .SetAttribute("max_err", outcome.MaxError)
            .SetAttribute("pdeops_version", Versions.PdeOps)
            .SetAttribute("created_utc", DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture))
            .Write(path);
    }

    /// <summary>Writes a heat map of the solution (PNG or SVG by extension).</summary>
    public static void WritePlot(PoissonOutcome outcome, string path)
    {
        var g = outcome.Grid;
        var model = HeatMapFigure.Create(outcome.Solution,
            $"Poisson, n = {g.Nx}: u (max error {outcome.MaxError.ToString("0.00e+00", CultureInfo.InvariantCulture)})",
            g.X(0), g.X(g.Nx - 1), g.Y(0), g.Y(g.Ny - 1));
        FigureExport.Save(model, path);
    }
}
