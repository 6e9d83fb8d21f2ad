using System.CommandLine;
using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Storage;
using PdeOps.Plotting;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops plot</c>: figures from stored data.</summary>
public static class PlotCommand
{
    /// <summary>Creates the command group.</summary>
    public static Command Create()
    {
        var plot = new Command("plot", "Draw figures (PNG or SVG) from stored fields");
        plot.Subcommands.Add(CreateField());
        return plot;
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
            var field = FieldSlices.Read2D(reader, name, parse.GetValue(index));
            FigureExport.Save(HeatMapFigure.Create(field, $"{Path.GetFileName(path)}: {name}", colorLabel: name), dest);
            Console.WriteLine($"Wrote {dest}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
