using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OxyPlot;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Storage;
using PdeOps.Operators.Pinn;
using PdeOps.Physics.Pde;
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
        var problemOptions = new ProblemOptions();
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
        var output = new Option<string?>("--out") { Description = "HDF5 file: u and the domain mask on the grid, the loss curve, the problem as text" };
        var plot = new Option<string?>("--plot") { Description = "Figure (.png or .svg): the solution, and given a truth, the truth, the error and the training loss" };
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        foreach (var o in new[] { steps, lbfgs }) o.RequireAtLeast(0);
        foreach (var o in new[] { points, boundaryPoints, width, layers }) o.RequireAtLeast(1);
        features.RequireAtLeast(0);
        var command = new Command("solve", "Train one PINN (Adam, then L-BFGS) for L u = f with boundary conditions on a domain")
        {
            steps, lbfgs, points, boundaryPoints, lr, width, layers, features, scale, plain, seed, output, plot, json, threads,
        };
        foreach (var option in problemOptions.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            CommonOptions.RequireDistinctFiles(("--reference", problemOptions.ReferencePath(parse)), ("--out", parse.GetValue(output)), ("--plot", parse.GetValue(plot)));
            var choice = problemOptions.Read(parse);
            if (parse.GetValue(steps) + parse.GetValue(lbfgs) == 0) throw new UsageException("--steps and --lbfgs-steps are both 0: nothing to train");
            foreach (var (name, value) in new[] { ("--lr", parse.GetValue(lr)), ("--fourier-scale", parse.GetValue(scale)) })
                if (!(value > 0) || !double.IsFinite(value)) throw new UsageException($"{name} must be positive, got {value.ToString(CultureInfo.InvariantCulture)}");
            string? outPath = parse.GetValue(output), plotPath = parse.GetValue(plot);
            if (plotPath is not null && Path.GetExtension(plotPath).ToLowerInvariant() is not (".png" or ".svg"))
                throw new UsageException($"--plot must end in .png or .svg, got '{plotPath}'");
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
            PinnTrainingMemory.Require(options.Network, (long)options.CollocationPoints + options.BoundaryPoints, 1,
                $"--points {options.CollocationPoints} --boundary-points {options.BoundaryPoints} --width {options.Network.Width} --layers {options.Network.HiddenLayers} --fourier-features {options.Network.FourierFeatures}");
            return Run(choice.Problem, choice.Benchmark, options, choice.Resolution, choice.Truth, outPath, plotPath, parse.GetValue(json));
        });
        return command;
    }

    static int Run(Problem2D problem, string? benchmarkName, PinnSolveOptions options, int res, ReferenceGrid? truth, string? outPath, string? plotPath, bool json)
    {
        options = PinnProgress.Recorded(options);
        // With --json, stdout carries the one JSON object only.
        var trained = json ? PinnSolver.Solve(problem, options) : PinnProgress.Run("pinn", options, progress => PinnSolver.Solve(problem, options, progress));
        var grid = GridValues.Of(problem, (x, y) => trained.Network.Predict(x, y), res, truth);
        var reportJson = new JsonObject
        {
            ["benchmark"] = benchmarkName,
            ["pde"] = problem.Operator.ToString(),
            ["class"] = problem.Operator.Class.ToString().ToLowerInvariant(),
            ["source"] = problem.Source.ToString(),
            ["domain"] = problem.Domain.ToString(),
            ["conditions"] = new JsonArray(problem.Conditions.Select(c => (JsonNode)c.ToString()).ToArray()),
            ["adam_steps"] = options.AdamSteps,
            ["lbfgs_steps"] = trained.History[^1].Step - options.AdamSteps,
            ["final_loss"] = trained.History[^1].Loss,
            ["data_scale"] = trained.DataScale,
            ["train_s"] = trained.Seconds,
            ["res"] = res,
            ["rel_l2"] = grid.RelativeL2,
            ["truth"] = problem.Exact is not null ? "exact" : grid.RelativeL2 is null ? null : "reference",
            ["mse"] = grid.Mse,
            ["max_err"] = grid.MaxError,
        };
        var status = new Dictionary<string, object> { ["converged"] = true, ["reason"] = "step budget spent" };
        SolveOutputs.Write(outPath, plotPath, status, (path, _) => WriteFile(path, problem, trained, grid),
            extension => SolutionFigure.Create(Title(problem, grid), [("PINN", grid)], LossCurve(trained.History)).Render(extension));
        if (json) Console.WriteLine(reportJson.ToJsonString(CommonOptions.JsonStyle));
        else
        {
            Console.WriteLine($"pinn: {problem.Operator} = {problem.Source} on {problem.Domain} ({reportJson["class"]}), {trained.History[^1].Step} steps in {trained.Seconds:F1} s, final loss {trained.History[^1].Loss:E3}");
            if (trained.DataScale != 1) Console.WriteLine($"trained on the data divided by {trained.DataScale:G3} (the nearest power of ten to their size), the answer multiplied back");
            if (grid.RelativeL2 is { } rel) Console.WriteLine($"error against the {(truth is null ? "exact solution" : "reference")} on {res}^2 points inside the domain: rel L2 {rel:E3}, mse {grid.Mse:E3}, max {grid.MaxError:E3}");
        }
        return ExitCodes.Ok;
    }

    // The training loss against the step, Adam's steps then L-BFGS's.
    static PlotModel LossCurve(IReadOnlyList<PinnLossRecord> history)
    {
        var kept = history.Where(r => r.Loss > 0 && double.IsFinite(r.Loss)).ToList();
        return LineFigure.Create("training loss", "step", "loss", [("loss", kept.Select(r => (double)r.Step).ToList(), kept.Select(r => r.Loss).ToList())], logY: true);
    }

    static string Title(Problem2D problem, GridValues grid) =>
        $"PINN: {problem.Operator} = f" + (grid.RelativeL2 is { } rel ? $", rel L2 {rel:G3}" : "");

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
}
