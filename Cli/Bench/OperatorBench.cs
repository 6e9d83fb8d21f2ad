using System.CommandLine;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Operators.Benchmarks;
using PdeOps.Operators.Models;

namespace PdeOps.Cli.Bench;

/// <summary><c>pdeops bench fno|mgno</c>: median training-step and inference-batch times on random data.</summary>
public static class OperatorBench
{
    /// <summary>Creates the command for <paramref name="model"/> ("fno": the paper's FNO-2D; "mgno": the default MgNO).</summary>
    public static Command Create(string model)
    {
        var res = new Option<int>("--res") { Description = "Points per axis", DefaultValueFactory = _ => 64 };
        res.RequireAtLeast(8);
        var batch = new Option<int>("--batch") { Description = "Samples per batch", DefaultValueFactory = _ => 20 };
        batch.RequireAtLeast(1);
        var repeat = new Option<int>("--repeat") { Description = "Timed steps (after 3 warm-up steps)", DefaultValueFactory = _ => 10 };
        repeat.RequireAtLeast(1);
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var padding = new Option<int>("--padding") { Description = "FNO: domain padding in points", DefaultValueFactory = _ => FnoOptions.Paper2d.Padding };
        padding.RequireAtLeast(0);
        var trapezoidalEdges = new Option<bool>("--trapezoidal-edges") { Description = "FNO: trapezoidal weights at the edges of the padded field (see pdeops train)" };
        var width = new Option<int>("--width") { Description = "FNO: channels of the hidden layers", DefaultValueFactory = _ => FnoOptions.Paper2d.Width };
        width.RequireAtLeast(1);
        var projectionWidth = new Option<int>("--projection-width") { Description = "FNO: hidden channels of the output projection", DefaultValueFactory = _ => FnoOptions.Paper2d.ProjectionWidth };
        projectionWidth.RequireAtLeast(1);
        string what = model == "fno" ? "the FNO-2D of the paper (4 Fourier layers, width 32, 12 modes, fc 128, padding 9; width, projection and padding adjustable)" : "MgNO with default options (4 layers, width 32, 4 levels)";
        var command = new Command(model, $"Median training step (forward, relative L2, backward, Adam) and inference batch of {what}") { res, batch, repeat, threads, json };
        if (model == "fno")
        {
            command.Options.Add(padding);
            command.Options.Add(trapezoidalEdges);
            command.Options.Add(width);
            command.Options.Add(projectionWidth);
        }
        command.SetAction(parse =>
        {
            NeuralOperatorOptions options = model == "fno"
                ? FnoOptions.Paper2d with
                {
                    Padding = parse.GetValue(padding),
                    TrapezoidalEdges = parse.GetValue(trapezoidalEdges),
                    Width = parse.GetValue(width),
                    ProjectionWidth = parse.GetValue(projectionWidth),
                }
                : new MgnoOptions();
            int size = parse.GetValue(res), samples = parse.GetValue(batch);
            try { ArchitectureCheck.Require(options, [size, size], [size, size], samples); }
            catch (UsageException e) { throw new UsageException($"--res {size}: {e.Message}"); }
            var result = new TrainingStepBenchmark().Run(new TrainingStepBenchmarkSettings
            {
                Model = model,
                Options = options,
                Resolution = size,
                Batch = samples,
                Repeat = parse.GetValue(repeat),
                Threads = parse.GetValue(threads),
            });
            var o = new JsonObject
            {
                ["model"] = model,
                ["res"] = result.Resolution,
                ["batch"] = result.Batch,
                ["threads"] = result.Threads,
                ["parameters"] = result.ParameterCount,
                ["options"] = JsonNode.Parse(options.ToJson()),
                ["train_step_s"] = result.TrainStepSeconds,
                ["infer_batch_s"] = result.InferBatchSeconds,
                ["train_step_samples_s"] = new JsonArray(result.TrainStepSamples.Select(v => (JsonNode?)v).ToArray()),
                ["machine"] = MachineDescription.Collect(),
            };
            Console.WriteLine(parse.GetValue(json) ? o.ToJsonString(CommonOptions.JsonStyle)
                : $"{model} at {result.Resolution}^2, batch {result.Batch}, {result.ParameterCount} parameters: median training step {result.TrainStepSeconds:F3} s, inference batch {result.InferBatchSeconds:F3} s");
            return ExitCodes.Ok;
        });
        return command;
    }
}
