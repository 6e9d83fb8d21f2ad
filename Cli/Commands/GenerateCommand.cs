using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Generation;
using PdeOps.Distributed;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops generate &lt;family&gt;</c>: benchmark datasets from our solvers, resumable and sharded.</summary>
public static class GenerateCommand
{
    /// <summary>Creates the group with one subcommand per family.</summary>
    public static Command Create()
    {
        var group = new Command("generate", "Generate datasets (darcy, poisson, helmholtz, heat, burgers, navier-stokes) into HDF5");
        foreach (var generator in GeneratorRegistry.Generators) group.Subcommands.Add(Family(generator));
        return group;
    }

    static Command Family(IDatasetGenerator generator)
    {
        var samples = new Option<int>("--samples") { Description = "Samples in the whole run (all shards)", Required = true };
        samples.RequireAtLeast(1);
        var res = new Option<int>("--res") { Description = "Stored points per axis", Required = true };
        res.RequireAtLeast(3);
        var fineRes = new Option<int?>("--fine-res") { Description = "Points per axis of the grid solved on (default: the family's; subsampled to --res)" };
        var seed = new Option<long>("--seed") { Description = "Seed; sample i depends only on the settings, the seed and i", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Output HDF5 file", Required = true };
        var shard = new Option<string?>("--shard") { Description = "Write shard k of n (0 <= k < n, e.g. 0/4), or auto: k/n from the rank under mpirun or srun, or from a Slurm job array (files OUT-STEM.shard-K-of-N.h5); join shards with 'pdeops datasets merge'" };
        var merge = new Option<bool>("--merge") { Description = "With --shard auto under mpirun or srun: once every rank has written its shard, rank 0 joins them into --out and removes them" };
        var resume = new Option<bool>("--resume") { Description = "Continue a killed run from the chunks in OUT.partial/" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace an existing output file" };
        var threads = CommonOptions.Threads();
        var dtype = new Option<string>("--dtype") { Description = "float32 or float64", DefaultValueFactory = _ => "float32" };
        dtype.AcceptOnlyFromAmong("float32", "float64");
        string defaults = string.Join(", ", generator.DefaultParameters.Select(p => $"{p.Key}={p.Value.ToString(CultureInfo.InvariantCulture)}"));
        var parameters = new Option<string[]>("--param") { Description = $"Parameter NAME=VALUE, repeatable (defaults: {defaults})", AllowMultipleArgumentsPerToken = false };
        var json = CommonOptions.Json();
        var command = new Command(generator.Family, generator.Summary)
        {
            samples, res, fineRes, seed, output, shard, merge, resume, overwrite, threads, dtype, parameters, json,
        };
        command.SetAction(parse =>
        {
            int resolution = parse.GetValue(res), threadCount = parse.GetValue(threads);
            int? fine = parse.GetValue(fineRes);
            // Coordinates alone take a few arrays of --res values: refuse absurd sizes before planning.
            MemoryBudget.Require(Math.Max(resolution, fine ?? 0) * 8.0 * 16, fine is { } f0 && f0 > resolution ? $"--fine-res {f0}" : $"--res {resolution}");
            var request = new GenerationRequest
            {
                Family = generator.Family,
                Samples = parse.GetValue(samples),
                Resolution = parse.GetValue(res),
                FineResolution = parse.GetValue(fineRes),
                Seed = parse.GetValue(seed),
                Precision = parse.GetValue(dtype) == "float64" ? StoragePrecision.Float64 : StoragePrecision.Float32,
                Parameters = ParseParameters(parse.GetValue(parameters) ?? []),
            };
            string target = parse.GetValue(output)!;
            var placement = ShardPlacement.Resolve(parse.GetValue(shard), parse.GetValue(merge), target, parse.GetValue(overwrite));
            request = request with { Shard = placement.Shard };
            string path = placement.Path;
            bool asJson = parse.GetValue(json);
            GenerationEstimate estimate;
            try { estimate = DatasetGeneration.Estimate(request, threadCount); }
            catch (ArgumentException e) { throw new UsageException(FailureMessage.Describe(e)); }
            string grid = fine is { } f1 ? $"--res {resolution} --fine-res {f1}" : $"--res {resolution}";
            MemoryBudget.Require(estimate.MemoryBytes, estimate.IndexBytes > estimate.WorkBytes ? $"--samples {request.Samples}" : grid);
            GenerationSummary? summary = null;
            var (_, length) = request.Shard.Range(request.Samples);
            void Work(Action<long> report) => summary = DatasetGeneration.Run(request, path, new GenerationRunOptions
            {
                Resume = parse.GetValue(resume),
                Overwrite = parse.GetValue(overwrite),
                Threads = parse.GetValue(threads),
                Progress = (done, _) => report(done),
            });
            void Generate()
            {
                if (asJson) Work(_ => { });
                else ProgressDisplay.Run($"{generator.Family} at {request.Resolution} points per axis", length, Work, unit: "samples");
            }
            // With --merge the ranks meet after their shards: a rank that failed stops the others there.
            var world = placement.Merge ? DistributedLaunch.World() : SingleProcessCommunicator.Instance;
            world.Together(Generate);
            Report(summary!, generator.Family, asJson);
            if (placement.Merge) placement.MergeShards(world, asJson);
            return ExitCodes.Ok;
        });
        return command;
    }

    static void Report(GenerationSummary s, string family, bool asJson)
    {
        if (s.AlreadyComplete && !asJson)
        {
            Console.WriteLine($"{s.Path} is already complete ({s.Samples} samples, same settings); nothing to do");
            return;
        }
        if (asJson)
        {
            var o = new JsonObject
            {
                ["path"] = s.Path,
                ["family"] = family,
                ["samples"] = s.Samples,
                ["first_sample"] = s.FirstSample,
                ["generated"] = s.Generated,
                ["resumed"] = s.Resumed,
                ["retried"] = s.Retried,
                ["recomputed_chunks"] = s.Recomputed,
                ["already_complete"] = s.AlreadyComplete,
                ["seconds"] = s.Seconds,
                ["samples_per_s"] = s.SamplesPerSecond,
            };
            Console.WriteLine(o.ToJsonString(CommonOptions.JsonStyle));
        }
        else
        {
            if (s.Recomputed > 0)
                Console.WriteLine($"{s.Recomputed} chunk{(s.Recomputed == 1 ? "" : "s")} of the earlier run failed {(s.Recomputed == 1 ? "its" : "their")} checksum (changed on disk) and {(s.Recomputed == 1 ? "was" : "were")} recomputed");
            Console.WriteLine($"wrote {s.Path}: {s.Samples} samples ({s.Generated} generated, {s.Resumed} resumed, {s.Retried} retried) in {s.Seconds:F1} s, {s.SamplesPerSecond:F2} samples/s");
        }
    }

    static Dictionary<string, double> ParseParameters(IEnumerable<string> items)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string item in items)
        {
            int eq = item.IndexOf('=');
            if (eq <= 0 || !double.TryParse(item[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                throw new UsageException($"--param '{item}' is not NAME=NUMBER");
            if (!double.IsFinite(value)) throw new UsageException($"--param '{item}': the value must be a finite number");
            result[item[..eq].Trim()] = value;
        }
        return result;
    }
}
