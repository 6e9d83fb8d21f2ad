using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Operators.Hypino;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops hypino train</c>: trains the hypernetwork on manufactured problems (drawn on the fly or read from an mms file).</summary>
public static class HypinoTrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Run folder: run.json, the best model (hypino.json, weights.bin), metrics.csv, last/ for --resume", Required = true };
        var data = new Option<string?>("--data") { Description = "An HDF5 file from 'pdeops generate mms' (default: problems drawn on the fly, never repeated)" };
        var preset = new Option<string>("--preset") { Description = "Network size: small (trains on a 2-core machine in about two hours) or paper (the published configuration)", DefaultValueFactory = _ => "small" };
        var zeroSides = new Option<double>("--zero-sides-fraction") { Description = "Share of the supervised problems whose solution vanishes on the square's sides, so that their source drives them (on-the-fly data)", DefaultValueFactory = _ => 0 };
        var solved = new Option<double>("--solved-fraction") { Description = "Share of problems drawn physics-only with an elliptic operator and supervised by their classical finite-difference solution; the other fractions apply to the rest (on-the-fly data)", DefaultValueFactory = _ => 0 };
        var drawnSources = new Option<double>("--solved-drawn-sources") { Description = "Share of the solved problems whose source is a drawn function of x and y rather than a constant", DefaultValueFactory = _ => 0 };
        var physics = new Option<double>("--physics-fraction") { Description = "Share of problems drawn without a solution, trained on the PDE residual and boundary terms only (on-the-fly data)", DefaultValueFactory = _ => 0 };
        var steps = new Option<int>("--steps") { Description = "Optimizer steps", DefaultValueFactory = _ => new HypinoTrainingOptions().Steps };
        var batch = new Option<int>("--batch") { Description = "Problems per step", DefaultValueFactory = _ => new HypinoTrainingOptions().BatchSize };
        var lr = new Option<double>("--lr") { Description = "Peak AdamW learning rate", DefaultValueFactory = _ => new HypinoTrainingOptions().LearningRate };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps before the cosine decay", DefaultValueFactory = _ => new HypinoTrainingOptions().WarmupSteps };
        var interior = new Option<int>("--interior-points") { Description = "Interior points per problem and step", DefaultValueFactory = _ => new HypinoTrainingOptions().InteriorPoints };
        var boundary = new Option<int>("--boundary-points") { Description = "Boundary points per problem and step", DefaultValueFactory = _ => new HypinoTrainingOptions().BoundaryPoints };
        var every = new Option<int>("--checkpoint-every") { Description = "Validate, record metrics and save a resumable state every this many steps", DefaultValueFactory = _ => new HypinoTrainingOptions().CheckpointEvery };
        var seed = new Option<long>("--seed") { Description = "Seed of the weights, the drawn problems and the points", DefaultValueFactory = _ => 0 };
        var residualWeight = new Option<double>("--residual-weight") { Description = "Weight of the PDE-residual term", DefaultValueFactory = _ => new HypinoLoss().ResidualWeight };
        var derivativeWeight = new Option<double>("--derivative-weight") { Description = "Weight of the derivative-supervision term", DefaultValueFactory = _ => new HypinoLoss().DerivativeWeight };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its last saved state" };
        var initFrom = new Option<string?>("--init-from") { Description = "Start from the weights of this HyPINO model folder (same --preset) with a fresh optimizer and schedule, e.g. to train longer than its run did" };
        var inputMagnitude = new Option<double?>("--input-magnitude") { Description = "Read every problem with its data scaled to this size (the largest boundary value, or a tenth of the largest |f|) and scale the answer back, so that it scales with the data exactly; 10 is about the median size of the manufactured problems (default: the data as given)" };
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        foreach (var o in new[] { steps, batch, interior, boundary, every }) o.RequireAtLeast(1);
        warmup.RequireAtLeast(0);
        var command = new Command("train", "Train a HyPINO hypernetwork on manufactured problems (AdamW, warm-up and cosine decay; resumable)")
        {
            output, data, preset, physics, zeroSides, solved, drawnSources, steps, batch, lr, warmup, interior, boundary, every, seed, residualWeight, derivativeWeight, resume, initFrom, inputMagnitude, json, threads,
        };
        command.SetAction(parse =>
        {
            HypinoOptions model;
            try { model = HypinoOptions.Preset(parse.GetValue(preset)!); }
            catch (ArgumentException e) { throw new UsageException($"--preset: {FailureMessage.WithoutParameter(e)}"); }
            if (parse.GetValue(inputMagnitude) is { } magnitude)
            {
                if (!(magnitude > 0) || !double.IsFinite(magnitude))
                    throw new UsageException($"--input-magnitude must be positive, got {magnitude.ToString(CultureInfo.InvariantCulture)}");
                model = model with { InputMagnitude = magnitude };
            }
            var training = new HypinoTrainingOptions
            {
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(lr),
                WarmupSteps = parse.GetValue(warmup),
                InteriorPoints = parse.GetValue(interior),
                BoundaryPoints = parse.GetValue(boundary),
                CheckpointEvery = parse.GetValue(every),
                PhysicsFraction = parse.GetValue(physics),
                ZeroSidesFraction = parse.GetValue(zeroSides),
                SolvedFraction = parse.GetValue(solved),
                SolvedDrawnSourceFraction = parse.GetValue(drawnSources),
                Seed = parse.GetValue(seed),
                Loss = new HypinoLoss(ResidualWeight: parse.GetValue(residualWeight), DerivativeWeight: parse.GetValue(derivativeWeight)),
                InitFrom = parse.GetValue(initFrom),
            };
            foreach (var (name, value) in new[] { ("--residual-weight", parse.GetValue(residualWeight)), ("--derivative-weight", parse.GetValue(derivativeWeight)) })
                if (!(value >= 0) || !double.IsFinite(value)) throw new UsageException($"{name} must be zero or positive, got {value.ToString(CultureInfo.InvariantCulture)}");
            try { training.Validated(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            PinnTrainingMemory.Require(model.Pinn, (long)training.InteriorPoints + training.BoundaryPoints, training.BatchSize,
                $"--interior-points {training.InteriorPoints} --boundary-points {training.BoundaryPoints} --batch {training.BatchSize}");
            string? dataPath = parse.GetValue(data);
            if (dataPath is not null && parse.GetResult(physics) is { Implicit: false })
                throw new UsageException("--physics-fraction applies to problems drawn on the fly; an mms file fixes its own (generate it with -p physics_fraction=F)");
            if (dataPath is not null && parse.GetResult(zeroSides) is { Implicit: false })
                throw new UsageException("--zero-sides-fraction applies to problems drawn on the fly, not to an mms file");
            if (dataPath is not null && parse.GetResult(solved) is { Implicit: false })
                throw new UsageException("--solved-fraction applies to problems drawn on the fly, not to an mms file");
            if (dataPath is not null && !File.Exists(dataPath)) throw new UsageException($"--data: no file {dataPath}");
            if (training.InitFrom is { } start && !Directory.Exists(start)) throw new UsageException($"--init-from: no folder {start}");
            string folder = parse.GetValue(output)!;
            if (File.Exists(folder)) throw new UsageException($"--out {folder} is a file; give a folder");
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            using IHypinoProblemSource source = dataPath is null
                ? new ManufacturedProblemSource(training.Seed, training.PhysicsFraction, training.ZeroSidesFraction, training.SolvedFraction, training.SolvedDrawnSourceFraction)
                : new MmsFileSource(dataPath, training.Seed);
            bool quiet = parse.GetValue(json);
            HypinoTrainingSummary? summary = null;
            void Train(Action<long>? report) => summary = HypinoTrainer.Train(folder, model, training, source, parse.GetValue(resume),
                report is null ? null : s => report(s),
                record => { if (!quiet) Console.Error.WriteLine(Line(record)); });
            if (quiet || !ProgressDisplay.Interactive) Train(null);
            else ProgressDisplay.Run("hypino train", training.Steps, report => Train(report), "steps");
            var result = new JsonObject
            {
                ["out"] = folder,
                ["steps"] = summary!.Steps,
                ["best_step"] = summary.BestStep,
                ["best_val_rel_l2"] = summary.BestStep > 0 ? summary.BestValidationRelativeL2 : null,
                ["train_s"] = summary.History.Count > 0 ? summary.History[^1].Seconds : 0,
                ["samples_per_s"] = summary.History.Count > 0 ? PdeOps.Cli.Bench.Statistics.Median(summary.History.Select(r => r.SamplesPerSecond).ToArray()) : null,
                ["data"] = source.Description,
            };
            if (quiet) Console.WriteLine(result.ToJsonString(CommonOptions.JsonStyle));
            else Console.WriteLine($"hypino train: {summary.Steps} steps; best validation rel L2 {summary.BestValidationRelativeL2:P2} at step {summary.BestStep}; model in {folder}");
            return ExitCodes.Ok;
        });
        return command;
    }

    static string Line(HypinoTrainingRecord r) => string.Create(CultureInfo.InvariantCulture,
        $"step {r.Step}: loss {r.Loss:E3} (residual {r.Residual:E2}, u {r.Solution:E2}, derivatives {r.Derivatives:E2}, dirichlet {r.Dirichlet:E2}, neumann {r.Neumann:E2}), val rel L2 {r.ValidationRelativeL2:P2}, {r.SamplesPerSecond:F1} samples/s, lr {r.LearningRate:E2}");
}
