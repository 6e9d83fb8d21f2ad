using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Benchmarks;
using PdeOps.Operators.Hypino;
using PdeOps.Operators.Pinn;
using PdeOps.Physics.Manufactured;

namespace PdeOps.Cli.Bench;

/// <summary>
/// <c>pdeops bench hypino</c>: a trained HyPINO model on the seven benchmarks against their
/// references: zero-shot, after each refinement round, beside a U-Net trained on the same
/// manufactured problems, and fine-tuning from the generated PINN against the same budget from
/// random initialisation (error curves of both).
/// </summary>
public static class HypinoBench
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "HyPINO model folder", Required = true };
        var unetSteps = new Option<int>("--unet-steps") { Description = "Training steps of the U-Net baseline (batch 8); 0 leaves it out", DefaultValueFactory = _ => 4000 };
        var unetMinutes = new Option<double>("--unet-minutes") { Description = "Wall-time cap of the U-Net training", DefaultValueFactory = _ => 30 };
        var unetWeights = new Option<string?>("--unet-weights") { Description = "Weights of a U-Net baseline trained before (skips its training), or where to save the new one" };
        var rounds = new Option<int>("--rounds") { Description = "Refinement rounds", DefaultValueFactory = _ => 5 };
        var finetune = new Option<int>("--finetune-steps") { Description = "Adam steps of fine-tuning and of the random-init PINN (then a tenth as many L-BFGS steps); 0 leaves it out", DefaultValueFactory = _ => 600 };
        var from = new Option<string>("--finetune-from") { Description = "What fine-tuning starts from: the ensemble after the refinement rounds (as hypino solve --refine K --finetune N does), or the zero-shot PINN", DefaultValueFactory = _ => "refined" };
        from.AcceptOnlyFromAmong("refined", "zero-shot");
        var finetuneWeighting = WeightingOption.Create("--finetune-weighting",
            "The loss HyPINO's PINNs are fine-tuned on: HyPINO's weights in units of u, as refinement weighs them and hypino solve fine-tunes, or the PINN loss with HyPINO's weights (the random-init PINN's)",
            RefinementWeighting.SolutionUnits);
        var only = new Option<string[]>("--only") { Description = "Benchmarks to run (default: all seven)", AllowMultipleArgumentsPerToken = true };
        var manufactured = new Option<int>("--manufactured") { Description = "Run on this many held-out manufactured problems (exact solutions known; a seed no training run uses) in place of the seven benchmarks", DefaultValueFactory = _ => 0 };
        var heldOutZeroSides = new Option<double>("--zero-sides-fraction") { Description = "With --manufactured: the share of held-out problems whose solution vanishes on the square's sides", DefaultValueFactory = _ => 0 };
        var heldOutSolved = new Option<double>("--solved-fraction") { Description = "With --manufactured: the share of held-out problems that are physics-only (constant data, elliptic operator) with their classical finite-difference solution as reference", DefaultValueFactory = _ => 0 };
        var heldOutDrawn = new Option<double>("--solved-drawn-sources") { Description = "With --solved-fraction: the share of held-out solved problems whose source is a drawn function of x and y", DefaultValueFactory = _ => 0 };
        var peer = new Option<string?>("--pinn-baseline") { Description = "bench/results/pinn-benchmarks.json, to quote the full-budget PINN figures beside HyPINO's" };
        var output = new Option<string?>("--out") { Description = "Also write the JSON report to this file" };
        var symmetry = SymmetryOption.Create("How the zero-shot answer averages over the problem's symmetries, as hypino solve's does (refinement and fine-tuning start from it); with sign or full the report adds the answer without averaging and the U-Net's answers averaged the same way");
        var threads = CommonOptions.Threads();
        foreach (var o in new[] { unetSteps, rounds, finetune, manufactured }) o.RequireAtLeast(0);
        var command = new Command("hypino", "HyPINO on the seven PINN benchmarks: zero-shot, refinement, U-Net baseline, fine-tuning against random initialisation")
        {
            model, unetSteps, unetMinutes, unetWeights, rounds, finetune, from, finetuneWeighting, only, manufactured, heldOutZeroSides, heldOutSolved, heldOutDrawn, peer, output, threads, symmetry,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(manufactured) > 0 && parse.GetValue(only) is { Length: > 0 }) throw new UsageException("--only and --manufactured exclude each other");
            if (parse.GetValue(heldOutZeroSides) is var share && !(share is >= 0 and <= 1)) throw new UsageException($"--zero-sides-fraction must be in [0, 1], got {share}");
            if (share > 0 && parse.GetValue(manufactured) == 0) throw new UsageException("--zero-sides-fraction needs --manufactured");
            if (parse.GetValue(heldOutSolved) is var solvedShare && !(solvedShare is >= 0 and <= 1)) throw new UsageException($"--solved-fraction must be in [0, 1], got {solvedShare}");
            if (solvedShare > 0 && parse.GetValue(manufactured) == 0) throw new UsageException("--solved-fraction needs --manufactured");
            if (parse.GetValue(heldOutDrawn) is var drawnShare && !(drawnShare is >= 0 and <= 1)) throw new UsageException($"--solved-drawn-sources must be in [0, 1], got {drawnShare}");
            if (drawnShare > 0 && solvedShare == 0) throw new UsageException("--solved-drawn-sources needs --solved-fraction");
            if (parse.GetResult(finetuneWeighting) is { Implicit: false } && parse.GetValue(finetune) == 0)
                throw new UsageException("--finetune-weighting changes fine-tuning: give --finetune-steps N above 0");
            var chosen = parse.GetValue(manufactured) is > 0 and var count ? HeldOut(count, share, solvedShare, drawnShare)
                : (parse.GetValue(only) is { Length: > 0 } names ? names.Select(Benchmark) : PinnBenchmarks.All).Select(b => (b.Name, b.Problem, (ReferenceGrid?)ReferenceGrid.Of(b.Reference(Resolution)))).ToArray();
            string folder = parse.GetValue(model)!;
            if (!Directory.Exists(folder)) throw new UsageException($"--model: no folder {folder}");
            if (parse.GetValue(peer) is { } peerPath && !File.Exists(peerPath)) throw new UsageException($"--pinn-baseline: no file {peerPath}");
            var peers = parse.GetValue(peer) is { } path ? PeerFigures(path) : [];
            if (!(parse.GetValue(unetMinutes) > 0)) throw new UsageException($"--unet-minutes must be positive, got {parse.GetValue(unetMinutes)}");
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            using var hypino = Operators.Hypino.Hypino.Load(folder);
            using var unet = Baseline(hypino.Options.Resolution, hypino.Training, parse.GetValue(unetSteps), parse.GetValue(unetMinutes), parse.GetValue(unetWeights), out var unetReport);
            var rows = new JsonArray();
            foreach (var (name, problem, truth) in chosen)
            {
                var row = Evaluate(hypino, unet, name, problem, truth, parse.GetValue(rounds), parse.GetValue(finetune), parse.GetValue(from) == "refined",
                    WeightingOption.Read(parse, finetuneWeighting), SymmetryOption.Read(parse, symmetry));
                if (peers.TryGetValue(name, out var figures)) row["pinn_full_budget"] = figures.DeepClone();
                Console.Error.WriteLine($"{name}: zero-shot {row["zero_shot"]!["rel_l2"]}, refined {row["refined"]?["rel_l2"]}, unet {row["unet"]?["rel_l2"]}");
                rows.Add(row);
            }
            var report = new JsonObject
            {
                ["command"] = "pdeops " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                ["machine"] = MachineDescription.Collect(),
                ["model"] = Path.GetRelativePath(Environment.CurrentDirectory, folder),
                ["model_training"] = hypino.Training.DeepClone(),
                ["symmetry"] = parse.GetValue(symmetry),
                ["metric"] = "relative L2 and MSE on the 129^2 vertex grid of [-1, 1]^2 inside the domain, against the exact solution or the multigrid reference",
                ["unet"] = unetReport,
                ["benchmarks"] = rows,
                [parse.GetValue(manufactured) > 0 ? "summary" : "goals"] = parse.GetValue(manufactured) > 0 ? Summary(rows) : Goals(rows),
            };
            return BenchReport.Emit(report, parse.GetValue(output));
        });
        return command;
    }

    static PinnBenchmark Benchmark(string name)
    {
        try { return PinnBenchmarks.Get(name); }
        catch (ArgumentException e) { throw new UsageException($"--only: {e.Message}"); }
    }

    // The U-Net learns from the problems the model was trained on, in the shares its run recorded
    // (physics-only problems have no u to fit, so it sees the supervised ones alone).
    static ManufacturedProblemSource TrainingProblems(JsonNode training)
    {
        double Share(string key) => training["training"]?[key]?.GetValue<double>() ?? 0;
        return new ManufacturedProblemSource(seed: 0, physicsFraction: 0, Share("zero_sides_fraction"), Share("solved_fraction"), Share("solved_drawn_source_fraction"));
    }

    static HypinoUNetBaseline? Baseline(int resolution, JsonNode training, int steps, double minutes, string? weights, out JsonObject? report)
    {
        report = null;
        if (steps == 0 && weights is null) return null;
        var unet = new HypinoUNetBaseline(resolution, width: 32);
        if (weights is not null && File.Exists(weights))
        {
            unet.Load(weights);
            report = new JsonObject { ["weights"] = Path.GetRelativePath(Environment.CurrentDirectory, weights), ["parameters"] = unet.ParameterCount, ["trained"] = "before this run" };
            return unet;
        }
        using var source = TrainingProblems(training);
        var (taken, rate, seconds) = unet.Train(steps, batch: 8, learningRate: 1e-3, TimeSpan.FromMinutes(minutes), source,
            (s, loss) => Console.Error.WriteLine($"unet step {s}: masked mse {loss:E3}"));
        if (weights is not null) unet.Save(weights);
        report = new JsonObject
        {
            ["architecture"] = "U-Net (width 32, 3 levels) on the 5 problem channels plus the 6 operator coefficients as constant channels, masked MSE against the manufactured (or classically solved) solution",
            ["parameters"] = unet.ParameterCount,
            ["data"] = source.Description,
            ["steps"] = taken,
            ["batch"] = 8,
            ["samples_per_s"] = rate,
            ["train_s"] = seconds,
        };
        return unet;
    }

    // The report's 129^2 grid, on which the classical solutions of held-out solved problems lie.
    const int Resolution = SolvedProblems.Intervals + 1;
    // Held-out manufactured problems: a seed of their own, apart from every training run's and from
    // the one training selects checkpoints on.
    const long HeldOutSeed = 2_000_000_011;

    // A classically solved problem is named "solved-i" and scored against its solution on the
    // solver's grid, which is the report's 129^2 grid.
    static (string, Physics.Pde.Problem2D, ReferenceGrid?)[] HeldOut(int count, double zeroSidesFraction, double solvedFraction, double drawnSourceFraction)
    {
        using var source = new ManufacturedProblemSource(HeldOutSeed, physicsFraction: 0, zeroSidesFraction, solvedFraction, drawnSourceFraction);
        return Enumerable.Range(0, count).Select(i => source.Sample(i) switch
        {
            (var problem, null) => ($"manufactured-{i}", problem, (ReferenceGrid?)null),
            var (problem, solution) => ($"solved-{i}", problem, ReferenceGrid.Of(BenchmarkReference.Sampled(problem.Domain, solution, Resolution, "multigrid"))),
        }).ToArray();
    }

    static JsonObject Evaluate(Operators.Hypino.Hypino hypino, HypinoUNetBaseline? unet, string name, Physics.Pde.Problem2D problem, ReferenceGrid? truth, int rounds, int finetune, bool finetuneRefined,
        RefinementWeighting finetuneWeighting, SymmetryAveraging averaging)
    {
        JsonObject Errors(Func<double[], double[], double[]> predict)
        {
            var grid = GridValues.Of(problem, predict, Resolution, truth);
            return new JsonObject { ["rel_l2"] = grid.RelativeL2, ["mse"] = grid.Mse, ["max_err"] = grid.MaxError };
        }
        var row = new JsonObject { ["benchmark"] = name, ["pde"] = problem.Operator.ToString(), ["domain"] = problem.Domain.ToString(), ["truth"] = problem.Exact is null ? "reference" : "exact" };
        if (problem.Exact is { } exact) row["exact"] = exact.ToString();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var u = hypino.Solve(problem, averaging))
        {
            row["zero_shot"] = Errors((x, y) => u.Predict(x, y));
            row["zero_shot"]!["seconds"] = clock.Elapsed.TotalSeconds;
            // What hypino solve tells a user without a truth, beside the error the truth gives.
            var check = Operators.Hypino.Hypino.Check(problem, u);
            row["zero_shot"]!["check_ratio"] = double.IsNaN(check.Ratio) ? null : check.Ratio;
        }
        if (averaging != SymmetryAveraging.None)
            using (var plain = hypino.Solve(problem, SymmetryAveraging.None))
                row["zero_shot_plain"] = Errors((x, y) => plain.Predict(x, y));
        // Refinement as built (the output layers refit each round, in units of u), with HyPINO's
        // PINN-loss weights, and the plain sum of corrections, each from its own zero-shot answer.
        foreach (var (key, refit, weighting) in new[]
        {
            ("refinement", true, RefinementWeighting.SolutionUnits),
            ("refinement_pinn_weights", true, RefinementWeighting.PinnLoss),
            ("refinement_sum_only", false, RefinementWeighting.SolutionUnits),
        })
        {
            using var u = hypino.Solve(problem, averaging);
            var curve = new JsonArray();
            var roundClock = System.Diagnostics.Stopwatch.StartNew();
            hypino.Refine(problem, u, rounds, seed: 0, r =>
            {
                var e = Errors((x, y) => u.Predict(x, y));
                e["round"] = r.Round;
                e["loss_before"] = r.ResidualBefore;
                e["loss_after"] = r.ResidualAfter;
                e["step"] = r.StepLength;
                e["dirichlet_weight"] = r.Loss.DirichletWeight;
                e["neumann_weight"] = r.Loss.NeumannWeight;
                e["seconds"] = roundClock.Elapsed.TotalSeconds;
                curve.Add(e);
            }, refitOutputLayers: refit, weighting: weighting);
            row[key] = curve;
        }
        row["refinement_random_features"] = RandomFeatureControl(hypino, problem, rounds, averaging, Errors);
        row["refined"] = row["refinement"]!.AsArray().LastOrDefault()?.DeepClone();
        row["refined_sum_only"] = row["refinement_sum_only"]!.AsArray().LastOrDefault()?.DeepClone();
        row["refined_pinn_weights"] = row["refinement_pinn_weights"]!.AsArray().LastOrDefault()?.DeepClone();
        if (unet is not null)
        {
            var grid = unet.Predict(problem);
            row["unet"] = Errors((x, y) => x.Select((xi, k) => Bilinear(grid, xi, y[k])).ToArray());
            if (averaging != SymmetryAveraging.None)
            {
                var averaged = unet.Predict(problem, averaging);
                row["unet_symmetrized"] = Errors((x, y) => x.Select((xi, k) => Bilinear(averaged, xi, y[k])).ToArray());
            }
        }
        if (finetune > 0)
            row["finetune"] = FineTuning(hypino, problem, finetune, finetuneRefined ? rounds : 0, finetuneWeighting, averaging, predict => Errors(predict)["rel_l2"]!.GetValue<double>());
        return row;
    }

    // The control for refinement's refit: the same rounds with randomly initialised PINNs of the
    // same shape in place of the generated corrections, so that what the least squares gains from
    // the features alone shows beside what it gains from the hypernetwork's.
    static JsonArray RandomFeatureControl(Operators.Hypino.Hypino hypino, Physics.Pde.Problem2D problem, int rounds, SymmetryAveraging averaging,
        Func<Func<double[], double[], double[]>, JsonObject> errors)
    {
        using var u = hypino.Solve(problem, averaging);
        using var points = new PinnCollocation(problem, Operators.Hypino.Hypino.RefinementInteriorPoints, Operators.Hypino.Hypino.RefinementBoundaryPoints, seed: 0);
        var loss = Operators.Hypino.Hypino.RefinementLoss(problem, u, points, RefinementWeighting.SolutionUnits);
        var curve = new JsonArray();
        for (int round = 1; round <= rounds; round++)
        {
            using (var scope = TorchSharp.torch.NewDisposeScope())
            using (var random = new PinnNetwork(hypino.Options.Pinn with { Seed = round }))
            {
                u.Add(random.Flat(), scale: 0);
                u.FitOutputLayers(problem.Operator, points, loss);
            }
            var e = errors((x, y) => u.Predict(x, y));
            e["round"] = round;
            curve.Add(e);
        }
        return curve;
    }

    // From the zero-shot PINN, or (refineRounds > 0) from the ensemble those refinement rounds make.
    static JsonObject FineTuning(Operators.Hypino.Hypino hypino, Physics.Pde.Problem2D problem, int steps, int refineRounds, RefinementWeighting weighting,
        SymmetryAveraging averaging, Func<Func<double[], double[], double[]>, double> error)
    {
        Operators.Hypino.PinnEnsemble Start()
        {
            var u = hypino.Solve(problem, averaging);
            hypino.Refine(problem, u, refineRounds, seed: 0);
            return u;
        }
        var options = new PinnSolveOptions
        {
            Network = hypino.Options.Pinn,
            AdamSteps = steps,
            LbfgsSteps = steps / 10,
            CollocationPoints = 2048,
            BoundaryPoints = 512,
            RecordEvery = Math.Max(1, steps / 20),
        };
        JsonArray Curve(Func<double[], double[], double[]> predict, Action<IProgress<PinnLossRecord>> train, double start)
        {
            var curve = new JsonArray { new JsonObject { ["step"] = 0, ["rel_l2"] = start } };
            train(new Recorder(r => curve.Add(new JsonObject { ["step"] = r.Step, ["rel_l2"] = error(predict), ["loss"] = r.Loss, ["seconds"] = r.Seconds })));
            return curve;
        }
        // Fine-tunes an ensemble on the loss of the chosen weighting, set from its features as it comes in.
        JsonArray FineTuned(Operators.Hypino.PinnEnsemble u, PinnSolveOptions budget) => Curve((x, y) => u.Predict(x, y),
            p => Operators.Hypino.Hypino.FineTune(problem, u, budget with { Loss = Operators.Hypino.Hypino.FineTuneLoss(problem, u, weighting) }, p), error((x, y) => u.Predict(x, y)));
        var startClock = System.Diagnostics.Stopwatch.StartNew();
        using var generated = Start();
        double startSeconds = startClock.Elapsed.TotalSeconds;
        var fromHypino = FineTuned(generated, options);
        using var random = new PinnNetwork(hypino.Options.Pinn);
        var fromRandom = Curve((x, y) => random.Predict(x, y), p => PinnSolver.TrainNetwork(random, problem, options, p), error((x, y) => random.Predict(x, y)));
        double randomFinal = fromRandom[^1]!["rel_l2"]!.GetValue<double>(), hypinoFinal = fromHypino[^1]!["rel_l2"]!.GetValue<double>();
        int? reach = fromHypino.Select(p => p!).FirstOrDefault(p => p["rel_l2"]!.GetValue<double>() <= randomFinal)?["step"]!.GetValue<int>();
        int total = steps + steps / 10;
        // The other reading of "in a third of the steps": a run of its own with a third of the budget,
        // Adam then L-BFGS as the full run, rather than the first third of the full run's curve (which
        // has not reached its L-BFGS phase).
        var third = options with { AdamSteps = Math.Max(1, steps / 3), LbfgsSteps = steps / 10 / 3, RecordEvery = Math.Max(1, steps / 60) };
        using var generatedAgain = Start();
        var fromHypinoThird = FineTuned(generatedAgain, third);
        double thirdFinal = fromHypinoThird[^1]!["rel_l2"]!.GetValue<double>();
        // The control for a weighting other than the PINN loss: the same random initialisation trained
        // on the loss HyPINO's PINN was fine-tuned on, so that what the weights alone change shows.
        JsonArray? fromRandomSameLoss = null;
        if (weighting != RefinementWeighting.PinnLoss)
        {
            using var randomMember = new Operators.Hypino.PinnEnsemble(hypino.Options.Pinn);
            using (var network = new PinnNetwork(hypino.Options.Pinn)) randomMember.Add(network.Flat());
            fromRandomSameLoss = FineTuned(randomMember, options);
        }
        var result = new JsonObject
        {
            ["from"] = refineRounds > 0 ? $"the ensemble after {refineRounds} refinement rounds" : "the zero-shot PINN",
            ["members"] = generated.Count,
            ["loss_weighting"] = WeightingOption.Name(weighting),
            ["start_seconds"] = startSeconds,
            ["adam_steps"] = steps,
            ["lbfgs_steps"] = steps / 10,
            ["random_init_final"] = randomFinal,
            ["hypino_init_final"] = hypinoFinal,
            ["hypino_steps_to_random_final"] = reach,
            ["within_a_third"] = reach is { } s && s <= total / 3.0,
            ["ends_lower"] = hypinoFinal < randomFinal,
            ["third_budget"] = new JsonObject
            {
                ["adam_steps"] = third.AdamSteps,
                ["lbfgs_steps"] = third.LbfgsSteps,
                ["hypino_init_final"] = thirdFinal,
                ["reaches_random_final"] = thirdFinal <= randomFinal,
                ["curve"] = fromHypinoThird,
            },
            ["hypino_curve"] = fromHypino,
            ["random_curve"] = fromRandom,
        };
        if (fromRandomSameLoss is not null)
            result["random_init_same_loss"] = new JsonObject { ["final"] = fromRandomSameLoss[^1]!["rel_l2"]!.GetValue<double>(), ["curve"] = fromRandomSameLoss };
        return result;
    }

    sealed class Recorder(Action<PinnLossRecord> record) : IProgress<PinnLossRecord>
    {
        public void Report(PinnLossRecord value) => record(value);
    }

    // The grid (vertex grid of [-1, 1]^2, [y, x]) at (x, y) by bilinear interpolation.
    static double Bilinear(double[,] grid, double x, double y)
    {
        int n = grid.GetLength(0);
        double h = 2.0 / (n - 1);
        double fx = Math.Clamp((x + 1) / h, 0, n - 1), fy = Math.Clamp((y + 1) / h, 0, n - 1);
        int i = Math.Min((int)fx, n - 2), j = Math.Min((int)fy, n - 2);
        double a = fx - i, b = fy - j;
        return (1 - a) * (1 - b) * grid[j, i] + a * (1 - b) * grid[j, i + 1] + (1 - a) * b * grid[j + 1, i] + a * b * grid[j + 1, i + 1];
    }

    // The report of bench/pinn/run.sh (5000 Adam + 500 L-BFGS steps per benchmark); any other file fails naming it.
    static Dictionary<string, JsonNode> PeerFigures(string path)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) ?? throw new FormatException("empty");
            return json["benchmarks"]!.AsArray().ToDictionary(b => b!["benchmark"]!.GetValue<string>(),
                b => (JsonNode)new JsonObject { ["rel_l2"] = b!["rel_l2"]!.DeepClone(), ["mse"] = b["mse"]!.DeepClone(), ["steps"] = 5500, ["train_s"] = b["train_s"]!.DeepClone() });
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            throw new UsageException($"--pinn-baseline: {path} is not a PINN benchmark report as bench/pinn/run.sh writes ({e.Message})");
        }
    }

    // On held-out manufactured problems: the zero-shot errors, and how far each refinement variant
    // lowers the error, over the problems.
    static JsonObject Summary(JsonArray rows)
    {
        var summary = new JsonObject();
        foreach (var key in new[] { "zero_shot", "zero_shot_plain", "unet", "unet_symmetrized" })
        {
            var errors = rows.Select(r => r![key]?["rel_l2"]?.GetValue<double>() ?? double.NaN).Where(double.IsFinite).Order().ToArray();
            if (errors.Length > 0)
                summary[key] = new JsonObject { ["problems"] = errors.Length, ["median_rel_l2"] = errors[errors.Length / 2], ["mean_rel_l2"] = errors.Average() };
        }
        if (summary["unet"] is not null) summary["zero_shot_beats_unet"] = ZeroShotBeatsUnet(rows);
        if (summary["unet_symmetrized"] is not null) summary["zero_shot_beats_unet_symmetrized"] = ZeroShotBeatsUnet(rows, "unet_symmetrized");
        if (summary["zero_shot_plain"] is not null && summary["unet"] is not null) summary["zero_shot_plain_beats_unet"] = ZeroShotBeatsUnet(rows, zeroShot: "zero_shot_plain");
        foreach (var (key, final) in new[] { ("refinement", "refined"), ("refinement_pinn_weights", "refined_pinn_weights"), ("refinement_sum_only", "refined_sum_only") })
        {
            var falls = rows.Select(r => r![final]?["rel_l2"]?.GetValue<double>() is { } last && last > 0 ? r["zero_shot"]!["rel_l2"]!.GetValue<double>() / last : double.NaN)
                .Where(double.IsFinite).Order().ToArray();
            if (falls.Length == 0) continue;
            summary[key] = new JsonObject
            {
                ["problems"] = falls.Length,
                ["median_fall"] = falls[falls.Length / 2],
                ["geometric_mean_fall"] = Math.Exp(falls.Average(Math.Log)),
                ["fall_3x_or_more"] = falls.Count(f => f >= 3),
                ["error_grew"] = falls.Count(f => f < 1),
            };
        }
        var tuned = rows.Select(r => r!["finetune"]).OfType<JsonNode>().ToArray();
        if (tuned.Length > 0)
        {
            double Median(Func<JsonNode, double?> value)
            {
                var sorted = tuned.Select(value).OfType<double>().Order().ToArray();
                return sorted.Length > 0 ? sorted[sorted.Length / 2] : double.NaN;
            }
            summary["finetune"] = new JsonObject
            {
                ["problems"] = tuned.Length,
                ["loss_weighting"] = tuned[0]["loss_weighting"]?.GetValue<string>(),
                ["median_hypino_init_final"] = Median(f => f["hypino_init_final"]?.GetValue<double>()),
                ["median_random_init_final"] = Median(f => f["random_init_final"]?.GetValue<double>()),
                ["median_third_budget_final"] = Median(f => f["third_budget"]?["hypino_init_final"]?.GetValue<double>()),
                ["ends_lower"] = tuned.Count(EndsLower),
                ["third_and_lower"] = tuned.Count(ThirdAndLower),
                ["third_budget_and_lower"] = tuned.Count(ThirdBudgetAndLower),
            };
        }
        return summary;
    }

    // Readings of a fine-tuning report: ends below random initialisation, and reaches its final error
    // within a third of the steps, off the full run's curve or as a run of its own with a third of the budget.
    static bool EndsLower(JsonNode finetune) => finetune["ends_lower"]?.GetValue<bool>() == true;
    static bool ThirdAndLower(JsonNode finetune) => finetune["within_a_third"]?.GetValue<bool>() == true && EndsLower(finetune);
    static bool ThirdBudgetAndLower(JsonNode finetune) => finetune["third_budget"]?["reaches_random_final"]?.GetValue<bool>() == true && EndsLower(finetune);

    static double Rel(JsonNode row, string key) => row[key]?["rel_l2"]?.GetValue<double>() ?? double.NaN;

    static int ZeroShotBeatsUnet(JsonArray rows, string unet = "unet", string zeroShot = "zero_shot") => rows.Count(r => Rel(r!, zeroShot) < Rel(r!, unet));

    static JsonObject Goals(JsonArray rows)
    {
        int beatsUnet = ZeroShotBeatsUnet(rows);
        int refined3x = rows.Count(r => Rel(r!, "refined") * 3 <= Rel(r!, "zero_shot"));
        int sumOnly3x = rows.Count(r => Rel(r!, "refined_sum_only") * 3 <= Rel(r!, "zero_shot"));
        int pinnWeights3x = rows.Count(r => Rel(r!, "refined_pinn_weights") * 3 <= Rel(r!, "zero_shot"));
        double RandomFinal(JsonNode row) => row["refinement_random_features"]?.AsArray().LastOrDefault()?["rel_l2"]?.GetValue<double>() ?? double.NaN;
        int random3x = rows.Count(r => RandomFinal(r!) * 3 <= Rel(r!, "zero_shot"));
        int finetuneWins = rows.Count(r => r!["finetune"] is { } f && ThirdAndLower(f));
        int thirdBudgetWins = rows.Count(r => r!["finetune"] is { } f && ThirdBudgetAndLower(f));
        // A stage that was not run (--unet-steps 0, --rounds 0, --finetune-steps 0) has no goal line.
        bool Ran(string key) => rows.Any(r => r![key] is not null);
        var goals = new JsonObject();
        if (Ran("unet")) goals["zero_shot_beats_unet"] = $"{beatsUnet} of {rows.Count} (goal: at least 5 of 7)";
        if (Ran("unet_symmetrized"))
            goals["zero_shot_beats_unet_symmetrized"] = $"{ZeroShotBeatsUnet(rows, "unet_symmetrized")} of {rows.Count} (the U-Net's answers averaged over the same symmetries)";
        if (Ran("zero_shot_plain") && Ran("unet"))
            goals["zero_shot_plain_beats_unet"] = $"{ZeroShotBeatsUnet(rows, zeroShot: "zero_shot_plain")} of {rows.Count} (HyPINO's answer to the problem as given, not averaged)";
        if (Ran("refined"))
        {
            goals["refinement_3x"] = $"{refined3x} of {rows.Count} (goal: at least 4 of 7)";
            goals["refinement_pinn_weights_3x"] = $"{pinnWeights3x} of {rows.Count} (the output layers refit on the PINN loss with HyPINO's weights, not in units of u)";
            goals["refinement_sum_only_3x"] = $"{sumOnly3x} of {rows.Count} (the plain sum of corrections, output layers not refit)";
            goals["refinement_random_features_3x"] = $"{random3x} of {rows.Count} (control: random PINNs in place of the generated corrections, output layers refit)";
        }
        if (Ran("finetune"))
        {
            goals["finetune_third_and_lower"] = $"{finetuneWins} of {rows.Count} (goal: at least 5 of 7; the first third of the full run's curve)";
            goals["finetune_third_budget_and_lower"] = $"{thirdBudgetWins} of {rows.Count} (goal: at least 5 of 7; a run of its own with a third of the steps)";
        }
        return goals;
    }
}
