using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Benchmarks;
using PdeOps.Datasets.Storage;
using PdeOps.Operators.Pinn;
using PdeOps.Physics.Geometry;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Symbolic;
using PdeOps.Plotting;

namespace PdeOps.Cli.Commands;

/// <summary>
/// <c>pdeops pinn solve</c>: trains one physics-informed network for a problem written as text
/// (docs/hypino.md gives the grammar) and writes the solution on a grid, the loss curve and a figure.
/// </summary>
public static class PinnCommand
{
    /// <summary>Creates the group.</summary>
    public static Command Create()
    {
        var group = new Command("pinn", "Physics-informed neural networks for linear second-order problems written as text");
        group.Subcommands.Add(Solve());
        return group;
    }

    static Command Solve()
    {
        var pde = new Option<string?>("--pde") { Description = "The operator L in L u = f, e.g. \"uxx + uyy\" or \"uy - 0.1*uxx\" (y is time when L is not elliptic)" };
        var benchmark = new Option<string?>("--benchmark") { Description = $"Solve one of the seven benchmark problems instead of --pde etc., errors against its reference ({string.Join(", ", PinnBenchmarks.All.Select(b => b.Name))})" };
        var source = new Option<string>("--source") { Description = "f(x, y)", DefaultValueFactory = _ => "0" };
        var domain = new Option<string>("--domain") { Description = "\"square\" minus holes, e.g. \"square - disk(0.3, 0.2, 0.25)\"", DefaultValueFactory = _ => "square" };
        var dirichlet = new Option<string[]>("--dirichlet") { Description = "u = g: \"EXPR\" (every segment not named otherwise) or \"bottom, hole1: EXPR\"; repeatable", AllowMultipleArgumentsPerToken = false };
        var neumann = new Option<string[]>("--neumann") { Description = "du/dn = g (outward normal; g may use nx, ny): \"EXPR\" or \"hole1: EXPR\"; repeatable", AllowMultipleArgumentsPerToken = false };
        var exact = new Option<string?>("--exact") { Description = "The exact solution, to report errors against" };
        var reference = new Option<string?>("--reference") { Description = "An HDF5 file with u and mask on a vertex grid of [-1, 1]^2 (as 'pdeops hypino benchmarks' writes) to report errors against; the output grid is the file's" };
        var steps = new Option<int>("--steps") { Description = "Adam steps", DefaultValueFactory = _ => 5000 };
        var lbfgs = new Option<int>("--lbfgs-steps") { Description = "L-BFGS steps after Adam", DefaultValueFactory = _ => 500 };
        var points = new Option<int>("--points") { Description = "Interior collocation points", DefaultValueFactory = _ => 4096 };
        var boundaryPoints = new Option<int>("--boundary-points") { Description = "Boundary points", DefaultValueFactory = _ => 1024 };
        var lr = new Option<double>("--lr") { Description = "Initial Adam learning rate (decays to a tenth)", DefaultValueFactory = _ => 1e-3 };
        var width = new Option<int>("--width") { Description = "Hidden width", DefaultValueFactory = _ => 32 };
        var layers = new Option<int>("--layers") { Description = "Hidden layers", DefaultValueFactory = _ => 3 };
        var features = new Option<int>("--fourier-features") { Description = "Fourier frequencies of the input embedding (0: none)", DefaultValueFactory = _ => 16 };
        var scale = new Option<double>("--fourier-scale") { Description = "Standard deviation of the frequencies, in units of pi", DefaultValueFactory = _ => 1 };
        var plain = new Option<bool>("--plain-mlp") { Description = "A plain tanh MLP instead of the modified MLP" };
        var seed = new Option<int>("--seed") { Description = "Seed of the weights and points", DefaultValueFactory = _ => 0 };
        var res = new Option<int?>("--res") { Description = "Points per side of the output grid on [-1, 1]^2 (default 101; 129 with --benchmark, whose solved references need res - 1 to divide 512)" };
        var output = new Option<string?>("--out") { Description = "HDF5 file: u and the domain mask on the grid, the loss curve, the problem as text" };
        var plot = new Option<string?>("--plot") { Description = "Figure of the solution (.png or .svg)" };
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        foreach (var o in new[] { steps, lbfgs }) o.RequireAtLeast(0);
        foreach (var o in new[] { points, boundaryPoints, width, layers }) o.RequireAtLeast(1);
        features.RequireAtLeast(0);
        res.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out var v) && v < 8) r.AddError($"--res must be at least 8, got {v}");
        });
        var command = new Command("solve", "Train one PINN (Adam, then L-BFGS) for L u = f with boundary conditions on a domain")
        {
            pde, benchmark, source, domain, dirichlet, neumann, exact, reference, steps, lbfgs, points, boundaryPoints, lr, width, layers, features, scale, plain, seed, res, output, plot, json, threads,
        };
        command.SetAction(parse =>
        {
            var named = parse.GetValue(benchmark);
            if ((named is null) == (parse.GetValue(pde) is null)) throw new UsageException("give --pde (with --source, --domain and conditions) or --benchmark NAME");
            var gridSize = parse.GetValue(res) ?? (named is null ? 101 : 129);
            var chosen = named is null ? null : Benchmark(named, gridSize);
            var problem = chosen?.Problem ?? ReadProblem(parse.GetValue(pde)!, parse.GetValue(source)!, parse.GetValue(domain)!,
                parse.GetValue(dirichlet) ?? [], parse.GetValue(neumann) ?? [], parse.GetValue(exact));
            if (parse.GetValue(steps) + parse.GetValue(lbfgs) == 0) throw new UsageException("--steps and --lbfgs-steps are both 0: nothing to train");
            foreach (var (name, value) in new[] { ("--lr", parse.GetValue(lr)), ("--fourier-scale", parse.GetValue(scale)) })
                if (!(value > 0) || !double.IsFinite(value)) throw new UsageException($"{name} must be positive, got {value.ToString(CultureInfo.InvariantCulture)}");
            string? outPath = parse.GetValue(output), plotPath = parse.GetValue(plot), referencePath = parse.GetValue(reference);
            if (referencePath is not null && problem.Exact is not null) throw new UsageException("give --exact or --reference, not both");
            if (referencePath is not null && chosen is not null) throw new UsageException("--benchmark brings its own reference; leave out --reference");
            var truth = referencePath is not null ? ReferenceGrid.Read(referencePath)
                : chosen is not null && chosen.Problem.Exact is null ? ReferenceGrid.Of(chosen.Reference(gridSize)) : null;
            if (plotPath is not null && Path.GetExtension(plotPath).ToLowerInvariant() is not (".png" or ".svg"))
                throw new UsageException($"--plot must end in .png or .svg, got '{plotPath}'");
            if (outPath is not null && Directory.Exists(outPath)) throw new UsageException($"--out {outPath} is a folder; give a file name");
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            var options = new PinnSolveOptions
            {
                Network = new PinnOptions
                {
                    Architecture = parse.GetValue(plain) ? PinnArchitecture.Mlp : PinnArchitecture.ModifiedMlp,
                    Width = parse.GetValue(width),
                    HiddenLayers = parse.GetValue(layers),
                    FourierFeatures = parse.GetValue(features),
                    FourierScale = parse.GetValue(scale),
                    Seed = parse.GetValue(seed),
                },
                AdamSteps = parse.GetValue(steps),
                LbfgsSteps = parse.GetValue(lbfgs),
                LearningRate = parse.GetValue(lr),
                CollocationPoints = parse.GetValue(points),
                BoundaryPoints = parse.GetValue(boundaryPoints),
                Seed = parse.GetValue(seed),
            };
            return Run(problem, named, options, truth?.U.GetLength(0) ?? gridSize, truth, outPath, plotPath, parse.GetValue(json));
        });
        return command;
    }

    static PinnBenchmark Benchmark(string name, int res)
    {
        PinnBenchmark chosen;
        try { chosen = PinnBenchmarks.Get(name); }
        catch (ArgumentException e) { throw new UsageException($"--benchmark: {e.Message}"); }
        if (chosen.Problem.Exact is null && 512 % (res - 1) != 0)
            throw new UsageException($"--res {res}: the reference of '{name}' is solved on 512 intervals, so res - 1 must divide 512 (e.g. 129, 257)");
        return chosen;
    }

    /// <summary>Parses the problem; any text that does not parse is a usage error naming the option.</summary>
    static Problem2D ReadProblem(string pde, string source, string domain, string[] dirichlet, string[] neumann, string? exact)
    {
        string Where(Exception e) => e switch
        {
            ExpressionParseException p when p.Text == pde => "--pde",
            ExpressionParseException p when p.Text == source => "--source",
            ExpressionParseException p when p.Text == domain => "--domain",
            ExpressionParseException p when p.Text == exact => "--exact",
            ExpressionParseException p when dirichlet.Contains(p.Text) => "--dirichlet",
            ExpressionParseException p when neumann.Contains(p.Text) => "--neumann",
            _ => "problem",
        };
        try
        {
            return Problem2D.FromText(pde, source, domain, dirichlet, neumann, exact);
        }
        catch (Exception e) when (e is ExpressionParseException or ArgumentException)
        {
            throw new UsageException($"{Where(e)}: {e.Message}");
        }
    }

    static int Run(Problem2D problem, string? benchmarkName, PinnSolveOptions options, int res, ReferenceGrid? truth, string? outPath, string? plotPath, bool json)
    {
        var total = options.AdamSteps + options.LbfgsSteps;
        PinnSolution? solution = null;
        options = options with { RecordEvery = Math.Max(1, Math.Min(50, total / 20)) };
        // With --json, stdout carries the one JSON object only.
        if (json) solution = PinnSolver.Solve(problem, options);
        else ProgressDisplay.Run("pinn", total, report => solution = PinnSolver.Solve(problem, options, new Progress(report)), "steps");
        var grid = GridValues.Of(problem, solution!.Network, res, truth);
        var reportJson = new JsonObject
        {
            ["benchmark"] = benchmarkName,
            ["pde"] = problem.Operator.ToString(),
            ["class"] = problem.Operator.Class.ToString().ToLowerInvariant(),
            ["source"] = problem.Source.ToString(),
            ["domain"] = problem.Domain.ToString(),
            ["conditions"] = new JsonArray(problem.Conditions.Select(c => (JsonNode)c.ToString()).ToArray()),
            ["adam_steps"] = options.AdamSteps,
            ["lbfgs_steps"] = solution.History[^1].Step - options.AdamSteps,
            ["final_loss"] = solution.History[^1].Loss,
            ["train_s"] = solution.Seconds,
            ["res"] = res,
            ["rel_l2"] = grid.RelativeL2,
            ["truth"] = problem.Exact is not null ? "exact" : grid.RelativeL2 is null ? null : "reference",
            ["mse"] = grid.Mse,
            ["max_err"] = grid.MaxError,
        };
        var status = new Dictionary<string, object> { ["converged"] = true, ["reason"] = "step budget spent" };
        SolveOutputs.Write(outPath, plotPath, status, (path, _) => WriteFile(path, problem, solution, grid),
            () => HeatMapFigure.Create(grid.Masked(), Title(problem, grid), -1, 1, -1, 1));
        if (json) Console.WriteLine(reportJson.ToJsonString(CommonOptions.JsonStyle));
        else
        {
            Console.WriteLine($"pinn: {problem.Operator} = {problem.Source} on {problem.Domain} ({reportJson["class"]}), {solution.History[^1].Step} steps in {solution.Seconds:F1} s, final loss {solution.History[^1].Loss:E3}");
            if (grid.RelativeL2 is { } rel) Console.WriteLine($"error against the {(truth is null ? "exact solution" : "reference")} on {res}^2 points inside the domain: rel L2 {rel:E3}, mse {grid.Mse:E3}, max {grid.MaxError:E3}");
        }
        return ExitCodes.Ok;
    }

    static string Title(Problem2D problem, GridValues grid) =>
        $"PINN: {problem.Operator} = f" + (grid.RelativeL2 is { } rel ? $", rel L2 {rel:E2}" : "");

    static void WriteFile(string path, Problem2D problem, PinnSolution solution, GridValues grid)
    {
        var builder = new FieldFileBuilder()
            .AddArray("u", grid.U).AddArray("mask", grid.Mask)
            .AddArray("loss_step", solution.History.Select(h => (double)h.Step).ToArray())
            .AddArray("loss", solution.History.Select(h => h.Loss).ToArray())
            .SetAttribute("pde", problem.Operator.ToString()).SetAttribute("source", problem.Source.ToString())
            .SetAttribute("domain", problem.Domain.ToString())
            .SetAttribute("conditions", string.Join("; ", problem.Conditions.Select(c => c.ToString())))
            .SetAttribute("layout", "u[y, x] and mask[y, x] (1 inside the domain) on the vertex grid of [-1, 1]^2, y ascending")
            .SetAttribute("method", "PINN (modified MLP), Adam then L-BFGS")
            .SetAttribute("train_s", solution.Seconds)
            .SetAttribute("pdeops_version", Versions.PdeOps);
        if (problem.Exact is not null) builder.SetAttribute("exact", problem.Exact.ToString());
        if (grid.RelativeL2 is { } rel) builder.SetAttribute("rel_l2", rel);
        builder.Write(path);
    }

    /// <summary>A reference solution read from HDF5: u and mask on the n × n vertex grid of [−1, 1]².</summary>
    sealed record ReferenceGrid(double[,] U, double[,] Mask)
    {
        public static ReferenceGrid Of(BenchmarkReference reference) => new(reference.U, reference.Mask);

        public static ReferenceGrid Read(string path)
        {
            if (!File.Exists(path)) throw new UsageException($"--reference: no file {path}");
            using var reader = new FieldFileReader(path);
            foreach (var name in new[] { "u", "mask" })
                if (!reader.DatasetNames.Contains(name))
                    throw new DataFileException(path, $"has no dataset '{name}' (it has: {string.Join(", ", reader.DatasetNames)})");
            var u = reader.Read<double[,]>("u");
            var mask = reader.Read<double[,]>("mask");
            if (u.GetLength(0) != u.GetLength(1) || mask.GetLength(0) != u.GetLength(0) || mask.GetLength(1) != u.GetLength(1) || u.GetLength(0) < 3)
                throw new DataFileException(path, $"u ({u.GetLength(0)} x {u.GetLength(1)}) and mask ({mask.GetLength(0)} x {mask.GetLength(1)}) must be one square grid of 3 points per side or more");
            foreach (var (value, inside) in u.Cast<double>().Zip(mask.Cast<double>()))
                if (inside > 0 && !double.IsFinite(value)) throw new DataFileException(path, "u is not finite inside the mask");
            return new ReferenceGrid(u, mask);
        }
    }

    sealed class Progress(Action<long> report) : IProgress<PinnLossRecord>
    {
        public void Report(PinnLossRecord value) => report(value.Step);
    }

    /// <summary>The network on the output grid, the domain mask, and errors inside the domain when the exact solution is known.</summary>
    sealed record GridValues(double[,] U, double[,] Mask, double? RelativeL2, double? Mse, double? MaxError)
    {
        public static GridValues Of(Problem2D problem, PinnNetwork network, int n, ReferenceGrid? truth)
        {
            var (x, y) = (new double[n * n], new double[n * n]);
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++) (x[j * n + i], y[j * n + i]) = (Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n));
            var predicted = network.Predict(x, y);
            var (u, mask) = (new double[n, n], new double[n, n]);
            var compiled = problem.Exact?.Compile2D();
            Func<int, int, double>? exact = compiled is not null ? (i, j) => compiled.Evaluate(Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n))
                : truth is not null ? (i, j) => truth.U[j, i] : null;
            double error = 0, norm = 0, max = 0;
            var inside = 0;
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++)
                {
                    var k = j * n + i;
                    u[j, i] = predicted[k];
                    // Points on the boundary count as part of the solution's domain.
                    var within = truth is not null ? truth.Mask[j, i] > 0 : problem.Domain.InClosure(x[k], y[k]);
                    mask[j, i] = within ? 1 : 0;
                    if (exact is null || !within) continue;
                    var value = exact(i, j);
                    var d = predicted[k] - value;
                    error += d * d;
                    norm += value * value;
                    max = Math.Max(max, Math.Abs(d));
                    inside++;
                }
            if (exact is null) return new GridValues(u, mask, null, null, null);
            return new GridValues(u, mask, norm > 0 ? Math.Sqrt(error / norm) : Math.Sqrt(error / inside), error / inside, max);
        }

        public double[,] Masked()
        {
            var n = U.GetLength(0);
            var field = new double[n, n];
            for (var j = 0; j < n; j++) for (var i = 0; i < n; i++) field[j, i] = Mask[j, i] > 0 ? U[j, i] : double.NaN;
            return field;
        }
    }
}
