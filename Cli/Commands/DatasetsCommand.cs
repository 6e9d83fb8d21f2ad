using System.CommandLine;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Generation;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops datasets info|merge|split|convert</c>: inspect and reshape dataset files.</summary>
public static class DatasetsCommand
{
    /// <summary>Creates the group.</summary>
    public static Command Create()
    {
        var group = new Command("datasets", "Inspect, merge, split and convert dataset files");
        group.Subcommands.Add(Merge());
        return group;
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
