using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops solve poisson</c>: classical solves with a report of how the solver converged.</summary>
public static class SolveCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var solve = new Command("solve", "Solve a PDE classically (ground truth)");
        solve.Subcommands.Add(CreatePoisson());
        return solve;
    }

    static Command CreatePoisson()
    {
        var n = new Option<int>("--n") { Description = "Interior points per axis (2^k - 1 coarsens fully)", DefaultValueFactory = _ => 127 };
        n.RequireAtLeast(1);
        var cycle = new Option<string>("--cycle") { Description = "Cycle: V, W, F or fmg (full multigrid, then --max-cycles V-cycles)", DefaultValueFactory = _ => "V" };
        cycle.AcceptOnlyFromAmong("V", "W", "F", "fmg");
        var smoother = new Option<string>("--smoother") { Description = "Smoother: rbgs (red-black Gauss-Seidel) or jacobi", DefaultValueFactory = _ => "rbgs" };
        smoother.AcceptOnlyFromAmong("rbgs", "jacobi");
        var tol = new Option<double>("--tol") { Description = "Relative residual tolerance", DefaultValueFactory = _ => 1e-10 };
        tol.RequirePositive();
        var maxCycles = new Option<int?>("--max-cycles") { Description = "Most cycles (default 100; with fmg, cycles after the FMG pass, default 1)" };
        var threads = CommonOptions.Threads();
        var outFile = new Option<string?>("--out") { Description = "Write the solution to this HDF5 file" };
        var plot = new Option<string?>("--plot") { Description = "Write a heat map (.png or .svg)" };
        var json = CommonOptions.Json();
        var command = new Command("poisson",
            "Solve -lap u = 2 pi^2 sin(pi x) sin(pi y) on the unit square, u = 0 on the boundary (exact: u = sin(pi x) sin(pi y))")
        { n, cycle, smoother, tol, maxCycles, threads, outFile, plot, json };
        command.SetAction(parse =>
        {
            bool fmg = parse.GetValue(cycle) == "fmg";
            int? max = parse.GetValue(maxCycles);
            if (max is < 0 || (max is 0 && !fmg)) throw new UsageException("--max-cycles must be at least 1 (0 is allowed with fmg)");
            var options = new MultigridOptions
            {
                Cycle = fmg ? CycleType.V : Enum.Parse<CycleType>(parse.GetValue(cycle)!),
                Smoother = parse.GetValue(smoother) == "jacobi" ? SmootherType.WeightedJacobi : SmootherType.RedBlackGaussSeidel,
                RelativeTolerance = parse.GetValue(tol),
                MaxCycles = fmg ? 100 : max ?? 100,
                Threads = parse.GetValue(threads),
            };
            var outcome = PoissonWorkflow.Solve(parse.GetValue(n), options, fmg ? max ?? 1 : -1);
            if (parse.GetValue(outFile) is { } path) PoissonWorkflow.WriteHdf5(outcome, options, path);
            if (parse.GetValue(plot) is { } png) PoissonWorkflow.WritePlot(outcome, png);
            var report = Report(outcome, parse.GetValue(cycle)!, options);
            if (parse.GetValue(json)) Console.WriteLine(report.ToJsonString(CommonOptions.JsonStyle));
            else PrintText(report);
            return outcome.Result.Converged ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    static JsonObject Report(PoissonOutcome o, string cycle, MultigridOptions options)
    {
        var r = o.Result;
        return new JsonObject
        {
            ["problem"] = "poisson",
            ["n"] = o.Grid.Nx,
            ["unknowns"] = o.Grid.Unknowns,
            ["cycle"] = cycle,
            ["smoother"] = options.Smoother.ToString(),
            ["cycles"] = r.Iterations,
            ["convergence_factor"] = Finite(r.ConvergenceFactor),
            ["residual"] = r.FinalResidual,
            ["relative_residual"] = r.RelativeResidual,
            ["setup_s"] = r.SetupSeconds,
            ["solve_s"] = r.SolveSeconds,
            ["max_err"] = o.MaxError,
            ["converged"] = r.Converged,
            ["reason"] = r.Reason.ToReportName(),
            ["threads"] = options.Threads,
        };
    }

    static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    static void PrintText(JsonObject r)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c, "poisson n={0} ({1} unknowns): {2} after {3} {4}-cycles, factor {5}, relative residual {6:E2}",
            r["n"], r["unknowns"], r["reason"], r["cycles"], r["cycle"], r["convergence_factor"]?.GetValue<double>().ToString("F3", c) ?? "n/a",
            r["relative_residual"]!.GetValue<double>()));
        Console.WriteLine(string.Format(c, "max error {0:E3}; setup {1:F3} s, solve {2:F3} s",
            r["max_err"]!.GetValue<double>(), r["setup_s"]!.GetValue<double>(), r["solve_s"]!.GetValue<double>()));
    }
}
