using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Cli.Bench;
using PdeOps.Cli.Commands.Solve;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops bench</c>: timings of our solvers beside their peers, measured in one run.</summary>
public static class BenchCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmark solvers against their peers (medians, side by side in one run)");
        bench.Subcommands.Add(CreatePoisson());
        bench.Subcommands.Add(DarcyBench.Create());
        bench.Subcommands.Add(OperatorBench.Create("fno"));
        bench.Subcommands.Add(OperatorBench.Create("mgno"));
        bench.Subcommands.Add(AttentionBench.Create());
        bench.Subcommands.Add(CertifyBench.Create());
        bench.Subcommands.Add(HypinoBench.Create());
        bench.Subcommands.Add(GenerateBench.Create());
        return bench;
    }

    static Command CreatePoisson()
    {
        var sizes = new Option<string>("--n") { Description = "Comma-separated interior sizes", DefaultValueFactory = _ => "1023,2047" };
        var repeat = new Option<int>("--repeat") { Description = "Runs per size (the median is reported)", DefaultValueFactory = _ => 7 };
        repeat.RequireAtLeast(1);
        var threads = CommonOptions.Threads();
        var hypre = new Option<string?>("--hypre") { Description = "Path of the built hypre peer (bench/poisson/run.sh builds it from bench/peers/hypre_poisson.c); omitted: ours only" };
        var ranks = new Option<int>("--ranks") { Description = "MPI ranks for the hypre peer", DefaultValueFactory = _ => 2 };
        ranks.RequireAtLeast(1);
        var output = new Option<string?>("--out") { Description = "Write the JSON report to this file too" };
        var cycle = new Option<string>("--cycle") { Description = "Cycle used on each FMG level: V, W or F", DefaultValueFactory = _ => "F" };
        cycle.AcceptOnlyFromAmong("V", "W", "F");
        var pre = new Option<int>("--pre") { Description = "Pre-smoothing sweeps", DefaultValueFactory = _ => 1 };
        var post = new Option<int>("--post") { Description = "Post-smoothing sweeps", DefaultValueFactory = _ => 1 };
        var extra = new Option<int>("--extra-cycles") { Description = "Cycles after the FMG pass", DefaultValueFactory = _ => 0 };
        pre.RequireAtLeast(0);
        post.RequireAtLeast(0);
        extra.RequireAtLeast(0);
        var command = new Command("poisson", "Full multigrid on the exact Poisson case, timed beside hypre PCG+PFMG; the error is checked against the discretisation error")
        { sizes, repeat, threads, hypre, ranks, output, cycle, pre, post, extra };
        command.SetAction(parse =>
        {
            var ns = SizeList.Parse(parse.GetValue(sizes)!);
            int k = parse.GetValue(repeat);
            var options = new MultigridOptions
            {
                Threads = parse.GetValue(threads),
                Cycle = Enum.Parse<CycleType>(parse.GetValue(cycle)!),
                PreSmoothing = parse.GetValue(pre),
                PostSmoothing = parse.GetValue(post),
            }.Validated();
            int extraCycles = parse.GetValue(extra);
            // Every size is checked before the first is timed: the solver's storage and the exact solution beside the answer.
            foreach (int n in ns) SolveBudget.Require(PoissonMultigrid2D.EstimateBytes(n), ((double)n + 2) * (n + 2), 2, $"--n {n}");
            var peer = parse.GetValue(hypre) is { } path ? new HyprePeer(Path.GetFullPath(path), parse.GetValue(ranks)) : null;
            var rows = new JsonArray();
            foreach (int n in ns)
            {
                var ours = new List<double>();
                var theirs = new List<double>();
                PoissonOutcome? last = null;
                JsonObject? lastPeer = null;
                PoissonWorkflow.Solve(Math.Min(n, 255), options, fmgExtraCycles: extraCycles); // warm up the JIT
                // The discretisation error: the error of the algebraically converged discrete solution.
                double discretisation = PoissonWorkflow.Solve(n, options with { Cycle = CycleType.V, PreSmoothing = 2, PostSmoothing = 1, RelativeTolerance = 1e-11 }).MaxError;
                for (int r = 0; r < k; r++)
                {
                    // Interleave ours and the peer so both see the same machine load.
                    last = PoissonWorkflow.Solve(n, options, fmgExtraCycles: extraCycles);
                    ours.Add(last.Result.SetupSeconds + last.Result.SolveSeconds);
                    if (peer is null) continue;
                    lastPeer = peer.Run(n, 1e-8);
                    theirs.Add(lastPeer["setup_s"]!.GetValue<double>() + lastPeer["solve_s"]!.GetValue<double>());
                }
                var row = new JsonObject
                {
                    ["n"] = n,
                    ["unknowns"] = (long)n * n,
                    ["pdeops_method"] = $"FMG with cubic interpolation and one {options.Cycle}({options.PreSmoothing},{options.PostSmoothing}) red-black Gauss-Seidel cycle per level, then {extraCycles} more cycles",
                    ["pdeops_median_s"] = Statistics.Median(ours),
                    ["pdeops_runs_s"] = new JsonArray(ours.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                    ["pdeops_max_err"] = last!.MaxError,
                    ["discretisation_error"] = discretisation,
                    ["pdeops_max_err_over_discretisation_error"] = last.MaxError / discretisation,
                    ["pdeops_cycles"] = last.Result.Iterations,
                };
                if (peer is not null)
                {
                    double median = Statistics.Median(theirs);
                    row["hypre_method"] = "hypre 2.26 struct PCG preconditioned by one PFMG V(1,1) cycle (red-black Gauss-Seidel), relative residual 1e-8";
                    row["hypre_median_s"] = median;
                    row["hypre_runs_s"] = new JsonArray(theirs.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
                    row["hypre_max_err"] = lastPeer!["max_err"]!.GetValue<double>();
                    row["hypre_iterations"] = lastPeer["iterations"]!.GetValue<int>();
                    row["time_ratio_pdeops_over_hypre"] = Statistics.Median(ours) / median;
                }
                rows.Add(row);
                Console.Error.WriteLine($"n={n}: ours {Statistics.Median(ours) * 1e3:F1} ms" +
                    (peer is null ? "" : $", hypre {Statistics.Median(theirs) * 1e3:F1} ms"));
            }
            var report = new JsonObject
            {
                ["benchmark"] = "poisson-2d",
                ["problem"] = "-lap u = 2 pi^2 sin(pi x) sin(pi y) on (0,1)^2, u = 0 on the boundary, n x n interior points",
                ["command"] = "pdeops " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                ["date_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                ["threads"] = options.Threads,
                ["repeat"] = k,
                ["machine"] = MachineDescription.Collect(),
                ["results"] = rows,
            };
            if (rows.Count >= 2)
            {
                double t0 = rows[0]!["pdeops_median_s"]!.GetValue<double>(), t1 = rows[^1]!["pdeops_median_s"]!.GetValue<double>();
                report["pdeops_time_ratio_largest_over_smallest"] = t1 / t0;
            }
            return BenchReport.Emit(report, parse.GetValue(output));
        });
        return command;
    }
}
