using System.CommandLine;
using System.Text.Json.Nodes;
using PdeOps.Cli.Bench;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Operators.Inference;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops eval</c>: errors of a trained operator on a dataset, at its resolution and subsampled ones.</summary>
public static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run folder written by 'pdeops train'", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset to evaluate on (PdeOps, PDEBench or FNO .mat)", Required = true };
        var res = new Option<string?>("--res") { Description = "Resolutions to evaluate at, e.g. 85,141,211, reached by subsampling the data (zero-shot for other than the training grid)" };
        var samples = new Option<int?>("--samples") { Description = "Use only the first N samples" }.RequireAtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Samples per forward pass", DefaultValueFactory = _ => 20 };
        batch.RequireAtLeast(1);
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var plots = new Option<string?>("--plots") { Description = "Folder for the figures (default: MODEL/eval)" };
        var formats = new Option<string>("--formats") { Description = "Figure formats: png,svg, png or svg (panels of fine grids are large as SVG)", DefaultValueFactory = _ => "png,svg" };
        formats.AcceptOnlyFromAmong("png,svg", "png", "svg");
        var points = new Option<int?>("--points") { Description = "attention, transolver: also evaluate at this many random points per sample (inputs and truth interpolated bilinearly from the grid)" }.RequireAtLeast(2);
        var seed = new Option<long>("--seed") { Description = "Seed of the --points draws", DefaultValueFactory = _ => 0 };
        var symmetries = CommonOptions.AverageSymmetries();
        var json = CommonOptions.Json();
        var command = new Command("eval", "Relative L2, relative H1 and max error of a trained operator, per resolution") { model, data, res, samples, batch, threads, device, plots, formats, points, seed, symmetries, json };
        command.Validators.Add(r =>
        {
            if (r.GetValue(symmetries) && r.GetValue(points) is not null) r.AddError("--average-symmetries applies to grid predictions, not to --points");
        });
        command.SetAction(parse =>
        {
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            using var op = NeuralOperator.Load(parse.GetValue(model)!, CommonOptions.CheckDevice(parse.GetValue(device)!));
            // What the model cannot do is a usage error, found before the data are read.
            if (parse.GetValue(points) is not null && !op.AcceptsPoints)
                throw new UsageException($"--points needs a point operator (attention or transolver without --modes); {op.GridOnlyReason}");
            CommonOptions.ApplySymmetryAveraging(op, parse.GetValue(symmetries));
            var dataset = CommonOptions.ReadSamples(parse.GetValue(data)!, parse.GetValue(samples));
            GridWarning.Report(op.TrainingGrid, dataset);
            var stored = OperatorEvaluation.Evaluate(op, dataset, parse.GetValue(batch));
            int[] resolutions = parse.GetValue(res) is { } list ? SizeList.Parse(list, "--res") : [];
            var across = resolutions.Length > 0 ? OperatorEvaluation.AcrossResolutions(op, dataset, resolutions, parse.GetValue(batch)) : [];
            // The stored grid first, then the --res grids, each with what may limit its accuracy.
            var rows = new[] { stored }.Concat(across).Select(r => (Result: r, Caveat: op.GridCaveat(r.Grid))).ToList();
            foreach (var (r, caveat) in rows)
                if (caveat is not null) Console.Error.WriteLine($"warning: at {string.Join("x", r.Grid)}, {caveat}");
            string folder = parse.GetValue(plots) ?? Path.Combine(parse.GetValue(model)!, "eval");
            Directory.CreateDirectory(folder);
            string[] kinds = parse.GetValue(formats)!.Split(',');
            var figures = OperatorReports.WritePredictions(op, dataset, [0, 1, 2], Path.Combine(folder, "predictions"), $"{op.ModelName} on {Path.GetFileName(dataset.SourcePath)}", kinds).ToList();
            if (across.Count > 1) figures.AddRange(OperatorReports.WriteResolutionErrors(folder, across, op.TrainingGrid[^1], kinds));
            var pointResult = parse.GetValue(points) is int n ? PointEvaluation.Evaluate(op, dataset, n, parse.GetValue(seed)) : null;
            if (parse.GetValue(json))
            {
                string modelFolder = Path.GetFullPath(parse.GetValue(model)!);
                var o = new JsonObject
                {
                    ["model"] = op.ModelName,
                    ["training_grid"] = op.TrainingGrid[^1],
                    ["data"] = Path.GetFileName(dataset.SourcePath),
                    ["samples"] = stored.Samples,
                    ["symmetry_averaging"] = op.SymmetryAveraging,
                    // One row per grid, the stored one first and marked native.
                    ["resolutions"] = new JsonArray(rows.Select((r, i) => (JsonNode?)Row(r, native: i == 0)).ToArray()),
                    // Relative to the model folder when under it: eval.json files kept there stay valid when the folder moves.
                    ["figures"] = new JsonArray(figures.Select(f => (JsonNode?)RelativeIfUnder(modelFolder, f)).ToArray()),
                };
                if (pointResult is { } pr)
                    o["points"] = new JsonObject { ["points"] = pr.Points, ["seed"] = parse.GetValue(seed), ["rel_l2"] = pr.RelativeL2, ["max_err"] = pr.MaxError, ["samples"] = pr.Samples };
                Console.WriteLine(o.ToJsonString(CommonOptions.JsonStyle));
                return ExitCodes.Ok;
            }
            Console.WriteLine($"{op.ModelName} trained at {string.Join("x", op.TrainingGrid)}, evaluated on {dataset.SourcePath}");
            foreach (var (r, _) in rows)
                Console.WriteLine($"  {string.Join("x", r.Grid),-9} rel L2 {r.RelativeL2:E3}  rel H1 {r.RelativeH1:E3}  max err {r.MaxError:E3}  ({r.Samples} samples)");
            if (pointResult is { } r2)
                Console.WriteLine($"  {r2.Points} random points: rel L2 {r2.RelativeL2:E3}  max err {r2.MaxError:E3}  ({r2.Samples} samples, truth interpolated bilinearly)");
            Console.WriteLine($"figures in {Path.GetFullPath(folder)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    static JsonObject Row((EvaluationResult Result, string? Caveat) evaluated, bool native)
    {
        var (r, caveat) = evaluated;
        var row = new JsonObject
        {
            ["resolution"] = r.Grid[^1],
            ["native"] = native,
            ["rel_l2"] = r.RelativeL2,
            ["rel_h1"] = r.RelativeH1,
            ["max_err"] = r.MaxError,
            ["samples"] = r.Samples,
        };
        if (caveat is not null) row["caveat"] = caveat;
        return row;
    }

    static string RelativeIfUnder(string folder, string path)
    {
        string relative = Path.GetRelativePath(folder, Path.GetFullPath(path));
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? Path.GetFullPath(path) : relative;
    }
}
