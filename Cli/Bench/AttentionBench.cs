using System.CommandLine;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Operators.Benchmarks;
using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Runtime;

namespace PdeOps.Cli.Bench;

/// <summary><c>pdeops bench attention</c>: forward+backward time and peak memory of one attention layer.</summary>
public static class AttentionBench
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var points = new Option<long>("--points") { Description = "Points per sample (rounded to a square grid)", DefaultValueFactory = _ => 4096 };
        points.Validators.Add(r => { if (r.Tokens.Count == 1 && long.TryParse(r.Tokens[0].Value, out long v) && v < 4) r.AddError($"--points must be at least 4, got {v}"); });
        var width = new Option<int>("--width") { Description = "Feature channels", DefaultValueFactory = _ => 64 }.RequireAtLeast(1);
        var heads = new Option<int>("--heads") { Description = "Heads (must divide --width)", DefaultValueFactory = _ => 4 }.RequireAtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Samples per pass", DefaultValueFactory = _ => 1 }.RequireAtLeast(1);
        var repeat = new Option<int>("--repeat") { Description = "Timed passes after one warm-up", DefaultValueFactory = _ => 5 }.RequireAtLeast(1);
        var chunk = new Option<long>("--chunk-elements") { Description = "linear, physics: values (batch x points x width) per chunk of points (0: all at once)", DefaultValueFactory = _ => IntegralAttention.DefaultChunkElements };
        chunk.Validators.Add(r => { if (r.Tokens.Count == 1 && long.TryParse(r.Tokens[0].Value, out long v) && v < 0) r.AddError($"--chunk-elements must be at least 0, got {v}"); });
        var kernel = new Option<string>("--kernel") { Description = "softmax, linear, sigmoid or physics", DefaultValueFactory = _ => "linear" };
        kernel.AcceptOnlyFromAmong([.. AttentionKernels.Names, "physics"]);
        var slices = new Option<int>("--slices") { Description = "physics: slices (per head with --slices-per-head)", DefaultValueFactory = _ => 32 }.RequireAtLeast(1);
        var slicesPerHead = new Option<bool>("--slices-per-head") { Description = "physics: each head slices the points on its own" };
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("attention", "Forward+backward time and peak memory of one attention layer over the points of a grid")
        { points, width, heads, batch, repeat, kernel, chunk, slices, slicesPerHead, threads, json };
        command.SetAction(parse =>
        {
            int w = parse.GetValue(width), h = parse.GetValue(heads), b = parse.GetValue(batch);
            long n = parse.GetValue(points);
            if (w % h != 0) throw new UsageException($"--heads {h} must divide --width {w}");
            string k = parse.GetValue(kernel)!;
            bool physics = k == "physics", perHead = parse.GetValue(slicesPerHead);
            if (!physics && (parse.GetResult(slices) is { Implicit: false } || perHead))
                throw new UsageException($"--slices and --slices-per-head apply to --kernel physics, not {k}");
            int g = parse.GetValue(slices);
            // Inputs, outputs and their gradients, about 12 fields of the width per point and layer.
            MemoryBudget.Require((double)b * n * w * 4 * 12, $"--points {n} --width {w} --batch {b}");
            // The sigmoid kernel's backward keeps every chunk's scores and their sigmoid: 2 n^2 per head.
            if (k == "sigmoid") MemoryBudget.Require((double)b * h * n * n * 4 * 2, $"--kernel sigmoid --points {n} --heads {h} --batch {b}");
            TorchRuntime.SetThreads(parse.GetValue(threads));
            var r = AttentionBenchmark.Run(k, n, w, h, b, parse.GetValue(repeat), slices: g, chunkElements: parse.GetValue(chunk), slicesPerHead: perHead);
            var o = new JsonObject
            {
                ["benchmark"] = "attention-layer",
                ["kernel"] = r.Kernel,
                ["points"] = r.Points,
                ["width"] = r.Width,
                ["heads"] = r.Heads,
                ["batch"] = r.Batch,
                ["chunk_elements"] = parse.GetValue(chunk),
                ["slices"] = physics ? g : null,
                ["slices_per_head"] = physics ? perHead : null,
                ["forward_backward_s"] = r.StepSeconds,
                ["runs_s"] = new JsonArray(r.Runs.Select(s => (JsonNode?)s).ToArray()),
                ["peak_memory_growth_bytes"] = r.PeakGrowthBytes,
                ["threads"] = TorchRuntime.Threads,
                ["machine"] = MachineDescription.Collect(),
            };
            Console.WriteLine(parse.GetValue(json) ? o.ToJsonString(CommonOptions.JsonStyle)
                : $"{r.Kernel} attention{(physics ? $" ({g} slices{(perHead ? " per head" : "")})" : "")}, {r.Points} points, width {r.Width}, {r.Heads} heads, batch {r.Batch}: forward+backward {r.StepSeconds * 1e3:F1} ms (median of {r.Runs.Count}), peak memory +{r.PeakGrowthBytes >> 20} MiB");
            return ExitCodes.Ok;
        });
        return command;
    }
}
