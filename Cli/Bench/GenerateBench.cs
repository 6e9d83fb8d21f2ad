using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Generation;

namespace PdeOps.Cli.Bench;

/// <summary>
/// <c>pdeops bench generate</c>: samples per second of a generator, measured two ways in one run:
/// the workers computing samples in memory (what a trainer that makes its data on the fly gets),
/// and <c>pdeops generate</c> end to end to an HDF5 file (chunk files with checksums, flushed to
/// disk, then assembled with compression).
/// </summary>
public static class GenerateBench
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var family = new Option<string>("--family") { Description = "Generator family", DefaultValueFactory = _ => "mms" };
        family.AcceptOnlyFromAmong([.. GeneratorRegistry.Generators.Select(g => g.Family)]);
        var samples = new Option<int>("--samples") { Description = "Samples per timed run", DefaultValueFactory = _ => 400 }.RequireAtLeast(1);
        var res = new Option<int>("--res") { Description = "Points per axis", DefaultValueFactory = _ => 224 }.RequireAtLeast(3);
        var repeat = new Option<int>("--repeat") { Description = "Timed runs of each kind (medians are reported)", DefaultValueFactory = _ => 3 }.RequireAtLeast(1);
        var warmup = new Option<double>("--warmup") { Description = "Seconds of untimed samples before the in-memory runs (the JIT optimises hot code after a while)", DefaultValueFactory = _ => 3 };
        warmup.Validators.Add(r => { if (r.GetValueOrDefault<double>() is var v && !(v >= 0 && v <= 3600)) r.AddError($"--warmup must lie in [0, 3600] seconds, got {v}"); });
        var memoryOnly = new Option<bool>("--memory-only") { Description = "Leave out the end-to-end runs that write HDF5 files" };
        var threads = CommonOptions.Threads();
        var output = new Option<string?>("--out") { Description = "Write the JSON report to this file too" };
        var command = new Command("generate", "Samples per second of a dataset generator: in memory, and end to end to an HDF5 file")
        { family, samples, res, repeat, warmup, memoryOnly, threads, output };
        command.SetAction(parse =>
        {
            var request = new GenerationRequest
            {
                Family = parse.GetValue(family)!,
                Samples = parse.GetValue(samples),
                Resolution = parse.GetValue(res),
                Seed = 1,
            };
            int threadCount = parse.GetValue(threads), runs = parse.GetValue(repeat);
            string? report = parse.GetValue(output);
            if (report is not null && Path.GetDirectoryName(Path.GetFullPath(report)) is { } folder && !Directory.Exists(folder))
                throw new UsageException($"--out {report}: the folder {folder} does not exist");
            GenerationEstimate estimate;
            try { estimate = DatasetGeneration.Estimate(request, threadCount); }
            catch (ArgumentException e) { throw new UsageException(FailureMessage.Describe(e)); }
            MemoryBudget.Require(estimate.MemoryBytes, $"--res {request.Resolution}");
            var memory = new List<ThroughputRun>();
            for (var r = 0; r < runs; r++) memory.Add(GeneratorThroughput.Measure(request, threadCount, TimeSpan.FromSeconds(r == 0 ? parse.GetValue(warmup) : 0)));
            var file = parse.GetValue(memoryOnly) ? [] : Enumerable.Range(0, runs).Select(_ => EndToEnd(request, threadCount)).ToList();
            static JsonArray Rates(IEnumerable<double> rates) => new(rates.Select(v => (JsonNode?)Math.Round(v, 2)).ToArray());
            var o = new JsonObject
            {
                ["benchmark"] = "generate",
                ["family"] = request.Family,
                ["resolution"] = request.Resolution,
                ["samples_per_run"] = request.Samples,
                ["threads"] = threadCount,
                ["in_memory_samples_per_second_median"] = Math.Round(Statistics.Median(memory.Select(m => m.SamplesPerSecond).ToList()), 2),
                ["in_memory_runs"] = Rates(memory.Select(m => m.SamplesPerSecond)),
                ["file_samples_per_second_median"] = file.Count == 0 ? null : Math.Round(Statistics.Median(file), 2),
                ["file_runs"] = Rates(file),
                ["file_bytes_per_sample_uncompressed"] = estimate.DiskBytes / request.Samples,
                ["machine"] = MachineDescription.Collect(),
            };
            return BenchReport.Emit(o, report);
        });
        return command;
    }

    // pdeops generate's own code path to a file in a fresh temporary folder, process start excluded.
    static double EndToEnd(GenerationRequest request, int threads)
    {
        var folder = Directory.CreateTempSubdirectory("pdeops-bench-generate-");
        try
        {
            var clock = Stopwatch.StartNew();
            DatasetGeneration.Run(request, Path.Combine(folder.FullName, "bench.h5"), new GenerationRunOptions { Threads = threads });
            return request.Samples / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
