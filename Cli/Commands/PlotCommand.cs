using System.CommandLine;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Training;
using PdeOps.Plotting;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops plot</c>: figures from stored data.</summary>
public static class PlotCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var plot = new Command("plot", "Draw figures (PNG or SVG) from stored fields and training runs");
        plot.Subcommands.Add(CreateField());
        plot.Subcommands.Add(CreateTraining());
        plot.Subcommands.Add(CreatePrediction());
        plot.Subcommands.Add(CreateResolution());
        return plot;
    }

    static Command CreateTraining()
    {
        var run = new Argument<string>("run") { Description = "Run folder written by 'pdeops train'" };
        var output = new Option<string?>("--out") { Description = "Output .png or .svg (default RUN/training-curve.png)" };
        var command = new Command("training", "Training curve (train loss and test relative L2 per epoch) of a run") { run, output };
        command.SetAction(parse =>
        {
            string folder = parse.GetValue(run)!;
            if (!File.Exists(Path.Combine(folder, "metrics.csv"))) throw new FileNotFoundException($"{folder}: no metrics.csv (not a training run folder)");
            var history = EpochMetrics.ReadAll(folder);
            string dest = parse.GetValue(output) ?? Path.Combine(folder, "training-curve.png");
            CheckExtension(dest);
            FigureExport.Save(TrainingCurveFigure.Create(history.Select(m => m.Epoch).ToList(), history.Select(m => m.TrainLoss).ToList(),
                history.Select(m => m.TestRelativeL2).ToList(), Path.GetFileName(Path.GetFullPath(folder))), dest);
            Console.WriteLine($"Wrote {dest}");
            return ExitCodes.Ok;
        });
        return command;
    }

    static Command CreatePrediction()
    {
        var model = new Option<string>("--model") { Description = "Run folder written by 'pdeops train'", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset with inputs and true outputs", Required = true };
        var samples = new Option<string>("--samples") { Description = "Sample indices, e.g. 0,5,7", DefaultValueFactory = _ => "0" };
        var output = new Option<string>("--out") { Description = "Output .png or .svg", Required = true };
        var command = new Command("prediction", "Input, truth, prediction and error of chosen samples") { model, data, samples, output };
        command.SetAction(parse =>
        {
            string dest = parse.GetValue(output)!;
            CheckExtension(dest);
            var indices = parse.GetValue(samples)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => int.TryParse(t, out int i) && i >= 0 ? i : throw new UsageException($"--samples: '{t}' is not a sample index")).ToList();
            using var op = NeuralOperator.Load(parse.GetValue(model)!);
            var dataset = DatasetReader.Read(parse.GetValue(data)!, indices.Max() + 1);
            if (indices.Max() >= dataset.Samples) throw new UsageException($"--samples: the file holds {dataset.Samples} samples");
            var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dest))!, Path.GetFileNameWithoutExtension(dest));
            var written = OperatorReports.WritePredictions(op, dataset, indices, stem, $"{op.ModelName} on {Path.GetFileName(dataset.SourcePath)}");
            Console.WriteLine($"Wrote {string.Join(" and ", written)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    static Command CreateResolution()
    {
        var runs = new Argument<string[]>("runs") { Description = "Run folders holding an eval.json ('pdeops eval --json' output)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Output .png or .svg", Required = true };
        var title = new Option<string?>("--title") { Description = "Figure title" };
        var command = new Command("resolution", "Relative L2 error against points per axis of evaluated runs, one line per run (log-log)") { runs, output, title };
        command.SetAction(parse =>
        {
            string dest = parse.GetValue(output)!;
            CheckExtension(dest);
            var curves = parse.GetValue(runs)!.Select(ResolutionCurve).ToList();
            FigureExport.Save(LineFigure.Create(parse.GetValue(title) ?? "error across grids", "points per axis", "relative L2 error", curves, logY: true, logX: true), dest);
            Console.WriteLine($"Wrote {dest}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A run's relative L2 error by grid size, from RUN/eval.json, labelled by the run folder's name.</summary>
    static (string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y) ResolutionCurve(string folder)
    {
        string path = Path.Combine(folder, "eval.json");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{folder}: no eval.json (write one with 'pdeops eval --model {folder} --data FILE --res N,M --json > {path}')");
        var points = new SortedDictionary<double, double>();
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            foreach (var row in json.RootElement.GetProperty("resolutions").EnumerateArray())
                points[row.GetProperty("resolution").GetInt32()] = row.GetProperty("rel_l2").GetDouble();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: not the output of 'pdeops eval --json' (expected \"resolutions\" with \"resolution\" and \"rel_l2\")");
        }
        if (points.Count == 0) throw new InvalidDataException($"{path}: evaluated on no grid");
        return (Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), points.Keys.ToList(), points.Values.ToList());
    }

    static void CheckExtension(string dest)
    {
        string ext = Path.GetExtension(dest).ToLowerInvariant();
        if (ext != ".png" && ext != ".svg") throw new UsageException($"--out must end in .png or .svg, got '{dest}'");
    }

    static Command CreateField()
    {
        var file = new Argument<string>("file") { Description = "HDF5 file" };
        var dataset = new Option<string>("--dataset") { Description = "Dataset holding a 2D field (H, W) or a stack (N, H, W)", DefaultValueFactory = _ => "u" };
        var index = new Option<int>("--index") { Description = "Sample index for a stack (N, H, W)", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Output .png or .svg", Required = true };
        var command = new Command("field", "Heat map of one 2D field") { file, dataset, index, output };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!, name = parse.GetValue(dataset)!, dest = parse.GetValue(output)!;
            string ext = Path.GetExtension(dest).ToLowerInvariant();
            if (ext != ".png" && ext != ".svg") throw new UsageException($"--out must end in .png or .svg, got '{dest}'");
            using var reader = new FieldFileReader(path);
            if (!reader.DatasetNames.Contains(name))
                throw new DataFileException(path, $"no dataset named '{name}' (datasets present: {string.Join(", ", reader.DatasetNames)})");
            var dims = reader.Dimensions(name);
            if (dims.Length is 2 or 3)
                MemoryBudget.Require(4.0 * dims[^1] * dims[^2] * sizeof(double), $"plot field {path} --dataset {name} ({dims[^2]} x {dims[^1]})");
            var field = FieldSlices.Read2D(reader, name, parse.GetValue(index));
            FigureExport.Save(HeatMapFigure.Create(field, $"{Path.GetFileName(path)}: {name}", colorLabel: name), dest);
            Console.WriteLine($"Wrote {dest}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
