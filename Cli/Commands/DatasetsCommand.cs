using System.CommandLine;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Tools;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops datasets info|merge|split|convert</c>: inspect and reshape dataset files.</summary>
public static class DatasetsCommand
{
    /// <summary>Creates the group.</summary>
    public static Command Create()
    {
        var group = new Command("datasets", "Inspect, merge, split and convert dataset files");
        group.Subcommands.Add(Info());
        group.Subcommands.Add(Merge());
        group.Subcommands.Add(Split());
        group.Subcommands.Add(Convert());
        return group;
    }

    static Command Info()
    {
        var file = new Argument<string>("file") { Description = "A PdeOps, PDEBench or FNO .mat (v7.3) file" };
        var json = CommonOptions.Json();
        var command = new Command("info", "Format, arrays (shape, dtype, min/max/mean/std) and provenance of a dataset file") { file, json };
        command.SetAction(parse =>
        {
            var d = DatasetInfo.Describe(parse.GetValue(file)!);
            if (parse.GetValue(json)) { Console.WriteLine(d.ToJson()); return ExitCodes.Ok; }
            Console.WriteLine($"{d.Path}: {d.Format} layout, {d.Samples} samples");
            if (d.StatisticsSkipped is not null) Console.WriteLine($"  statistics skipped: {d.StatisticsSkipped}");
            foreach (var a in d.Arrays)
            {
                string stats = double.IsNaN(a.Mean) ? "" : $"  min {a.Min:G4}  max {a.Max:G4}  mean {a.Mean:G4}  std {a.Std:G4}";
                string bad = a.NonFinite > 0 ? $"  ({a.NonFinite} non-finite values)" : "";
                Console.WriteLine($"  {a.Role.ToString().ToLowerInvariant(),-10} {a.Name,-20} ({string.Join(", ", a.Shape)}) {a.Dtype}{stats}{bad}");
            }
            foreach (var (name, value) in d.Attributes.OrderBy(p => p.Key, StringComparer.Ordinal))
                Console.WriteLine($"  {name} = {value}");
            return ExitCodes.Ok;
        });
        return command;
    }

    static Command Split()
    {
        var file = new Argument<string>("file") { Description = "Dataset file to split (any readable layout)" };
        var train = new Option<int>("--train") { Description = "Samples in the training file (the first ones)", Required = true };
        train.RequireAtLeast(1);
        var test = new Option<int>("--test") { Description = "Samples in the test file (the next ones)", Required = true };
        test.RequireAtLeast(1);
        var trainOut = new Option<string?>("--train-out") { Description = "Training file (default FILE-train.h5)" };
        var testOut = new Option<string?>("--test-out") { Description = "Test file (default FILE-test.h5)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace existing output files" };
        var command = new Command("split", "Write the first --train samples and the next --test samples to two files") { file, train, test, trainOut, testOut, overwrite };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            string stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileNameWithoutExtension(path));
            string trainPath = parse.GetValue(trainOut) ?? stem + "-train.h5", testPath = parse.GetValue(testOut) ?? stem + "-test.h5";
            DatasetSplit.Split(path, trainPath, testPath, parse.GetValue(train), parse.GetValue(test), parse.GetValue(overwrite));
            Console.WriteLine($"wrote {trainPath} ({parse.GetValue(train)} samples) and {testPath} ({parse.GetValue(test)} samples)");
            return ExitCodes.Ok;
        });
        return command;
    }

    static Command Convert()
    {
        var file = new Argument<string>("file") { Description = "A PDEBench HDF5 or FNO MATLAB v7.3 .mat file" };
        var output = new Option<string>("--out") { Description = "Output file in the PdeOps layout", Required = true };
        var command = new Command("convert", "Convert a PDEBench or FNO .mat file into the PdeOps layout (inputs/outputs named, float32)") { file, output };
        command.SetAction(parse =>
        {
            DatasetConversion.Convert(parse.GetValue(file)!, parse.GetValue(output)!);
            Console.WriteLine($"wrote {Path.GetFullPath(parse.GetValue(output)!)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    static Command Merge()
    {
        var shards = new Argument<string[]>("shards") { Description = "Shard files written with 'pdeops generate ... --shard k/n' (any order)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "Merged HDF5 file", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing output file" };
        var json = CommonOptions.Json();
        var command = new Command("merge", "Join the shards of one generation run into one file, identical in its arrays to a single-process run")
        {
            shards, output, overwrite, json,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(output)!;
            long samples = ShardMerge.Merge(parse.GetValue(shards)!, path, parse.GetValue(overwrite));
            if (parse.GetValue(json))
                Console.WriteLine(new JsonObject { ["path"] = Path.GetFullPath(path), ["samples"] = samples, ["shards"] = parse.GetValue(shards)!.Length }.ToJsonString(CommonOptions.JsonStyle));
            else Console.WriteLine($"wrote {Path.GetFullPath(path)}: {samples} samples from {parse.GetValue(shards)!.Length} shards");
            return ExitCodes.Ok;
        });
        return command;
    }
}
