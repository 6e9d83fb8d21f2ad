using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Cli.Bench;
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
        return bench;
    }

    static Command CreatePoisson()
    {
        var sizes = new Option<string>("--n") { Description = "Comma-separated interior sizes", DefaultValueFactory = _ => "1023,2047" };
        var repeat = new Option<int>("--repeat") { Description = "Runs per size (the median is reported)", DefaultValueFactory = _ => 7 };
        repeat.RequireAtLeast(1);
        var threads = CommonOptions.Threads();
        var hypre = new Option<string?>("--hypre") { Description = "Path of the built hypre peer (bench/poisson/build-hypre-peer.sh); omitted: ours only" };
        var ranks = new Option<int>("--ranks") { Description = "MPI ranks for the hypre peer", DefaultValueFactory = _ => 2 };
        ranks.RequireAtLeast(1);
        var output = new Option<string?>("--out") { Description = "Write the JSON report to this file too" };
        var command = new Command("poisson", "Full multigrid plus one V(2,1) cycle on the exact Poisson case vs hypre PCG+PFMG")
        { sizes, repeat, threads, hypre, ranks, output };
        command.SetAction(parse =>
        {
            var ns = ParseSizes(parse.GetValue(sizes)!);
            int k = parse.GetValue(repeat);
            var options = new MultigridOptions { Threads = parse.GetValue(threads) };
            var peer = parse.GetValue(hypre) is { } path ? new HyprePeer(Path.GetFullPath(path), parse.GetValue(ranks)) : null;
            var rows = new JsonArray();
            foreach (int n in ns)
            {
                var ours = new List<double>();
                var theirs = new List<double>();
                PoissonOutcome? last = null;
                JsonObject? lastPeer = null;
                PoissonWorkflow.Solve(Math.Min(n, 255), options, fmgExtraCycles: 1); // warm up the JIT
                for (int r = 0; r < k; r++)
                {
                    // Interleave ours and the peer so both see the same machine load.
                    last = PoissonWorkflow.Solve(n, options, fmgExtraCycles: 1);
                    ours.Add(last.Result.SetupSeconds + last.Result.SolveSeconds);
                    if (peer is null) continue;
                    lastPeer = peer.Run(n, 1e-8);
                    theirs.Add(lastPeer["setup_s"]!.GetValue<double>() + lastPeer["solve_s"]!.GetValue<double>());
                }
                var row = new JsonObject
                {
                    ["n"] = n,
                    ["unknowns"] = (long)n * n,
                    ["pdeops_method"] = "FMG (cubic FMG interpolation, V(2,1) red-black Gauss-Seidel per level) + 1 V(2,1) cycle",
                    ["pdeops_median_s"] = Statistics.Median(ours),
                    ["pdeops_runs_s"] = new JsonArray(ours.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                    ["pdeops_max_err"] = last!.MaxError,
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
            string text = report.ToJsonString(CommonOptions.JsonStyle);
            Console.WriteLine(text);
            if (parse.GetValue(output) is { } file)
                PdeOps.Datasets.Storage.AtomicFile.Write(file, partial => File.WriteAllText(partial, text + "\n"));
            return ExitCodes.Ok;
        });
        return command;
    }

    static int[] ParseSizes(string text)
    {
        try
        {
            var ns = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (ns.Length == 0 || ns.Any(n => n < 3)) throw new FormatException();
            return ns;
        }
        catch (FormatException)
        {
            throw new UsageException($"--n must be a comma-separated list of sizes >= 3, got '{text}'");
        }
    }
}
