using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Cli.Commands.Solve;
using PdeOps.Cli.Infrastructure;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Cli.Bench;

/// <summary>
/// <c>pdeops bench darcy</c>: multigrid-preconditioned CG on the FNO Darcy problem
/// (-div(a grad u) = 1, u = 0, a = 12/3 thresholded Gaussian random field), iterations to a
/// relative residual of 1e-10 and times, per size.
/// </summary>
public static class DarcyBench
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var sizes = new Option<string>("--n") { Description = "Comma-separated interior sizes", DefaultValueFactory = _ => "255,511,1023" };
        var samples = new Option<int>("--samples") { Description = "Coefficient samples per size", DefaultValueFactory = _ => 3 };
        samples.RequireAtLeast(1);
        var seed = new Option<int>("--seed") { Description = "Random-field seed", DefaultValueFactory = _ => 0 };
        var threads = CommonOptions.Threads();
        var output = new Option<string?>("--out") { Description = "Write the JSON report to this file too" };
        var command = new Command("darcy", "PCG + Galerkin multigrid on FNO-style Darcy problems: iterations to 1e-10 and times") { sizes, samples, seed, threads, output };
        command.SetAction(parse =>
        {
            var rows = new JsonArray();
            var ns = SizeList.Parse(parse.GetValue(sizes)!);
            // Every size is checked before the first is solved: the solver's storage and the coefficient, forcing, reaction and random field.
            foreach (int n in ns) SolveBudget.Require(EllipticSolver2D.EstimateBytes(n + 1, n + 1), ((double)n + 2) * (n + 2), 4, $"--n {n}");
            foreach (int n in ns)
            {
                int s = n + 2, intervals = n + 1;
                var iterations = new List<int>();
                var seconds = new List<double>();
                for (int k = 0; k < parse.GetValue(samples); k++)
                {
                    var a = TwoPhaseCoefficient.Sample(s, parse.GetValue(seed), k);
                    var f = new double[s, s];
                    for (int j = 0; j < s; j++) for (int i = 0; i < s; i++) f[j, i] = 1;
                    var problem = new EllipticProblem2D(intervals, intervals, a, new double[s, s], f, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
                    var solution = EllipticSolver2D.Solve(problem, new EllipticSolverOptions
                    {
                        RelativeTolerance = 1e-10,
                        Multigrid = new MultigridOptions { Threads = parse.GetValue(threads) },
                    });
                    if (!solution.Result.Converged) throw new InvalidOperationException($"Darcy n={n} sample {k}: {solution.Result.Reason}");
                    iterations.Add(solution.Result.Iterations);
                    seconds.Add(solution.Result.SetupSeconds + solution.Result.SolveSeconds);
                }
                rows.Add(new JsonObject
                {
                    ["n"] = n,
                    ["unknowns"] = (long)n * n,
                    ["iterations"] = new JsonArray(iterations.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
                    ["max_iterations"] = iterations.Max(),
                    ["median_seconds"] = Statistics.Median(seconds),
                });
                Console.Error.WriteLine($"n={n}: PCG iterations {string.Join(",", iterations)}, median {Statistics.Median(seconds):F3} s");
            }
            var report = new JsonObject
            {
                ["benchmark"] = "darcy-pcg-multigrid",
                ["problem"] = "-div(a grad u) = 1 on (0,1)^2, u = 0; a = 12 where a cosine GRF (alpha 2, tau 3) >= 0, else 3; harmonic face means",
                ["method"] = "CG preconditioned by one Galerkin-multigrid V(2,2) cycle, four-colour Gauss-Seidel; relative residual 1e-10",
                ["command"] = "pdeops " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                ["date_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                ["machine"] = MachineDescription.Collect(),
                ["results"] = rows,
            };
            return BenchReport.Emit(report, parse.GetValue(output));
        });
        return command;
    }
}
