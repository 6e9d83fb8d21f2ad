using System.CommandLine;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Cli.Commands;

/// <summary>
/// <c>pdeops demo</c>: the main job on built-in defaults. Today it solves a Poisson problem with
/// multigrid, checks it against the exact solution, and writes the solution to HDF5 and a PNG.
/// </summary>
public static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var n = new Option<int>("--n") { Description = "Interior points per axis", DefaultValueFactory = _ => 255 };
        n.RequireAtLeast(3);
        var command = new Command("demo", "Run the built-in demo: solve Poisson, write HDF5 and a PNG under runs/demo") { outDir, n };
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(outDir)!;
            var options = new MultigridOptions();
            PoissonOutcome? outcome = null;
            string h5 = Path.Combine(dir, "poisson.h5"), png = Path.Combine(dir, "poisson.png");
            ProgressDisplay.Run("demo", 3, report =>
            {
                outcome = PoissonWorkflow.Solve(parse.GetValue(n), options, fmgExtraCycles: 1);
                report(1);
                PoissonWorkflow.WriteHdf5(outcome, options, h5);
                report(2);
                PoissonWorkflow.WritePlot(outcome, png);
                report(3);
            });
            var r = outcome!.Result;
            Console.WriteLine($"Solved -lap u = f on a {outcome.Grid.Nx} x {outcome.Grid.Ny} grid with full multigrid: " +
                              $"{r.Iterations} cycles, relative residual {r.RelativeResidual:E2}, max error vs exact {outcome.MaxError:E3}, " +
                              $"{r.SolveSeconds * 1000:F1} ms");
            Console.WriteLine($"Wrote {h5} (datasets u, f on all vertices, x, y) and {png}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
