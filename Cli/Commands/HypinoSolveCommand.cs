using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OxyPlot;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Storage;
using PdeOps.Operators.Hypino;
using PdeOps.Operators.Pinn;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using PdeOps.Plotting;

namespace PdeOps.Cli.Commands;

/// <summary>
/// <c>pdeops hypino solve</c>: a trained hypernetwork writes a PINN for a problem given as text in
/// one forward pass; <c>--refine K</c> adds K generated corrections of the residual (refitting the
/// members' output layers each round unless <c>--sum-only</c>), <c>--finetune
/// STEPS</c> trains the result on the problem's PINN loss (weighed in units of u, as refinement
/// weighs it, unless <c>--finetune-weighting pinn-loss</c>). Writes the PINN, the solution on a grid
/// and, given a truth, the errors after every stage.
/// </summary>
public static class HypinoSolveCommand
{
    /// <summary>The most refinement rounds one solve takes (in bench/results/hypino.json the first five rounds took 4 to 7 s each on one thread, more with each round).</summary>
    public const int MaxRefinementRounds = 50;

    /// <summary>What a HyPINO model accepts, for refusals.</summary>
    public const string Supported = "HyPINO models solve linear second-order problems c0 u + c1 ux + c2 uy + c3 uxx + c4 uyy (+ c5 uxy) = f on the square [-1, 1]^2 minus holes, with Dirichlet or Neumann data";

    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "A HyPINO model folder (the --out of 'pdeops hypino train')", Required = true };
        var problemOptions = new ProblemOptions();
        var refine = new Option<int>("--refine") { Description = "Rounds of iterative refinement: each adds a generated correction of the current residual, then refits every member's output layer by least squares on the PINN loss", DefaultValueFactory = _ => 0 };
        var sumOnly = new Option<bool>("--sum-only") { Description = "Refinement adds each correction at its best multiple and keeps the earlier members as they are, instead of refitting every member's output layer by least squares each round" };
        var weighting = WeightingOption.Create("--refine-weighting",
            "How refinement weighs the interior residual against the boundary terms: in units of u (the residual divided by how much L amplifies the PINNs' features), or with the PINN loss's fixed weights",
            RefinementWeighting.SolutionUnits);
        var finetune = new Option<int>("--finetune") { Description = "Adam steps of fine-tuning on the problem's PINN loss (then a tenth as many L-BFGS steps)", DefaultValueFactory = _ => 0 };
        var finetuneWeighting = WeightingOption.Create("--finetune-weighting",
            "How fine-tuning weighs the interior residual against the boundary terms: in units of u, as refinement does (set from the PINNs fine-tuning starts from), or with the PINN loss's fixed weights",
            RefinementWeighting.SolutionUnits);
        var lr = new Option<double>("--lr") { Description = "Initial Adam learning rate of the fine-tuning (decays to a tenth)", DefaultValueFactory = _ => 1e-3 };
        var seed = new Option<int>("--seed") { Description = "Seed of the collocation points", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "HDF5 file: u and the domain mask on the grid, the problem as text, the errors" };
        var pinn = new Option<string?>("--pinn") { Description = "File for the generated PINN (JSON; default: beside --out as NAME.pinn.json)" };
        var plot = new Option<string?>("--plot") { Description = "Figure (.png or .svg): the solution zero-shot, after the last round and fine-tuned; given a truth, the truth, each one's error and the error after each stage" };
        var symmetry = SymmetryOption.Create("The zero-shot answer: the mean of the PINNs generated for the problem's symmetric images (full: the data's sign times the square's reflections that keep the problem's class, 16 PINNs for an elliptic operator, 4 where y is time; sign: 2), or the one PINN generated for the problem as given (none)");
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        refine.RequireAtLeast(0);
        // Every round adds a network whose output layer is refit with all the others': the work grows with the square of the rounds.
        refine.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out int rounds) && rounds > MaxRefinementRounds)
                r.AddError($"--refine must be at most {MaxRefinementRounds}, got {rounds}: every round refits the output layers of all the networks before it, so the work grows with the square of the rounds");
        });
        finetune.RequireAtLeast(0);
        var command = new Command("solve", "Solve a problem written as text with a trained HyPINO model: zero-shot, then optional refinement and fine-tuning")
        {
            model, symmetry, refine, sumOnly, weighting, finetune, finetuneWeighting, lr, seed, output, pinn, plot, json, threads,
        };
        foreach (var option in problemOptions.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            string? outPath = parse.GetValue(output), plotPath = parse.GetValue(plot);
            string? pinnPath = parse.GetValue(pinn) ?? (outPath is null ? null : Path.ChangeExtension(outPath, null) + ".pinn.json");
            CommonOptions.RequireDistinctFiles(("--reference", problemOptions.ReferencePath(parse)), ("--out", outPath), ("--pinn", pinnPath), ("--plot", plotPath));
            var choice = problemOptions.Read(parse, Supported);
            if (parse.GetValue(sumOnly) && parse.GetValue(refine) == 0) throw new UsageException("--sum-only changes refinement: give --refine K as well");
            if (parse.GetResult(weighting) is { Implicit: false } && parse.GetValue(refine) == 0) throw new UsageException("--refine-weighting changes refinement: give --refine K as well");
            if (parse.GetResult(finetuneWeighting) is { Implicit: false } && parse.GetValue(finetune) == 0) throw new UsageException("--finetune-weighting changes fine-tuning: give --finetune STEPS as well");
            var refineWeighting = WeightingOption.Read(parse, weighting);
            if (!(parse.GetValue(lr) > 0) || !double.IsFinite(parse.GetValue(lr))) throw new UsageException($"--lr must be positive, got {parse.GetValue(lr)}");
            var fineTuning = new FineTuning(parse.GetValue(finetune), WeightingOption.Read(parse, finetuneWeighting), parse.GetValue(lr));
            if (plotPath is not null && Path.GetExtension(plotPath).ToLowerInvariant() is not (".png" or ".svg"))
                throw new UsageException($"--plot must end in .png or .svg, got '{plotPath}'");
            if (pinnPath is not null && Directory.Exists(pinnPath)) throw new UsageException($"--pinn {pinnPath} (the PINN beside --out) is a folder; give --pinn FILE");
            string folder = parse.GetValue(model)!;
            if (!Directory.Exists(folder)) throw new UsageException($"--model: no folder {folder}");
            TorchSharp.torch.set_num_threads(parse.GetValue(threads));
            using var hypino = Operators.Hypino.Hypino.Load(folder);
            var stages = Solve(hypino, choice, SymmetryOption.Read(parse, symmetry), parse.GetValue(refine), !parse.GetValue(sumOnly), refineWeighting, fineTuning,
                parse.GetValue(seed), parse.GetValue(json));
            using var ensemble = stages.Ensemble;
            var final = stages.Grids[^1];
            var report = Report(folder, choice, stages);
            var about = new JsonObject { ["pde"] = report["pde"]?.DeepClone(), ["source"] = report["source"]?.DeepClone(), ["domain"] = report["domain"]?.DeepClone(), ["model"] = folder };
            if (pinnPath is not null) ensemble.Save(pinnPath, about);
            report["pinn"] = pinnPath;
            var status = new Dictionary<string, object> { ["converged"] = true, ["reason"] = "generated" };
            SolveOutputs.Write(outPath, plotPath, status, (path, _) => WriteFile(path, choice.Problem, final, folder, stages),
                extension => Figure(choice.Problem, stages).Render(extension));
            if (parse.GetValue(json)) Console.WriteLine(report.ToJsonString(CommonOptions.JsonStyle));
            else PrintText(choice.Problem, stages, pinnPath);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Adam steps of fine-tuning (0: none), the weights of its loss and its initial learning rate.</summary>
    sealed record FineTuning(int Steps, RefinementWeighting Weighting, double LearningRate);

    /// <summary>The ensemble and its grid values after each stage: zero-shot, every refinement round, fine-tuning.</summary>
    sealed record Stages(PinnEnsemble Ensemble, List<string> Names, List<GridValues> Grids, List<double> Seconds, IReadOnlyList<RefinementRound> Rounds,
        IReadOnlyList<string> Warnings)
    {
        /// <summary>Whether refinement refit the members' output layers each round.</summary>
        public bool Refit { get; init; }

        /// <summary>The loss fine-tuning minimised, when it ran.</summary>
        public PinnLoss? FineTuneLoss { get; init; }

        /// <summary>The zero-shot answer's PINN loss beside u = 0's.</summary>
        public required AnswerCheck ZeroShotCheck { get; init; }

        /// <summary>The symmetries the zero-shot answer averages over.</summary>
        public SymmetryAveraging Symmetry { get; init; }
    }

    static Stages Solve(Operators.Hypino.Hypino hypino, ProblemChoice choice, SymmetryAveraging averaging, int rounds, bool refit, RefinementWeighting weighting, FineTuning finetune,
        int seed, bool quiet)
    {
        var problem = choice.Problem;
        var warnings = hypino.Warnings(problem).ToList();
        foreach (var w in warnings) Console.Error.WriteLine($"pdeops: warning: {w}");
        var clock = Stopwatch.StartNew();
        var ensemble = hypino.Solve(problem, averaging);
        // The check is not part of any stage's time.
        clock.Stop();
        var check = Operators.Hypino.Hypino.Check(problem, ensemble, seed);
        clock.Start();
        if (check.BarelyBetterThanZero && rounds == 0 && finetune.Steps == 0)
        {
            string w = BarelyBetterWarning(check);
            Console.Error.WriteLine($"pdeops: warning: {w}");
            warnings.Add(w);
        }
        var stages = new Stages(ensemble, [], [], [], [], warnings) { ZeroShotCheck = check, Symmetry = averaging };
        void Record(string name)
        {
            stages.Names.Add(name);
            stages.Grids.Add(GridValues.Of(problem, (x, y) => ensemble.Predict(x, y), choice.Resolution, choice.Truth));
            stages.Seconds.Add(clock.Elapsed.TotalSeconds);
        }
        Record("zero-shot");
        var refinement = hypino.Refine(problem, ensemble, rounds, seed, round =>
        {
            Record($"refine {round.Round}");
            if (!quiet) Console.Error.WriteLine($"refine {round.Round}: loss {round.ResidualBefore:E3} -> {round.ResidualAfter:E3} (step {round.StepLength:G3})" + Error(stages.Grids[^1]));
        }, refitOutputLayers: refit, weighting: weighting);
        stages = stages with { Rounds = refinement, Refit = refit };
        if (finetune.Steps > 0)
        {
            var loss = Operators.Hypino.Hypino.FineTuneLoss(problem, ensemble, finetune.Weighting, seed);
            var options = PinnProgress.Recorded(new PinnSolveOptions { AdamSteps = finetune.Steps, LbfgsSteps = finetune.Steps / 10, LearningRate = finetune.LearningRate, Seed = seed, Loss = loss });
            if (quiet) Operators.Hypino.Hypino.FineTune(problem, ensemble, options);
            else PinnProgress.Run("finetune", options, progress => Operators.Hypino.Hypino.FineTune(problem, ensemble, options, progress));
            stages = stages with { FineTuneLoss = loss };
            Record($"finetune {finetune.Steps}");
        }
        return stages;
    }

    // Zero-shot, after the last refinement round and fine-tuned (those that ran), with the error after
    // every stage, or the PINN loss of every round when there is no truth to measure against.
    static FigureGrid Figure(Problem2D problem, Stages stages)
    {
        var shown = new[] { 0, stages.Rounds.Count, stages.Names.Count - 1 }.Distinct().Select(k => (stages.Names[k], stages.Grids[k])).ToList();
        var final = stages.Grids[^1];
        string title = $"HyPINO: {problem.Operator} = f" + (final.RelativeL2 is { } rel ? $", rel L2 {rel:G3}" : "");
        return SolutionFigure.Create(title, shown, final.RelativeL2 is not null ? ErrorByStage(stages) : LossByRound(stages.Rounds));
    }

    static PlotModel ErrorByStage(Stages stages)
    {
        int rounds = stages.Rounds.Count;
        var refined = Enumerable.Range(0, rounds + 1).ToList();
        var curves = new List<(string, IReadOnlyList<double>, IReadOnlyList<double>)>
        {
            ("zero-shot and refinement rounds", refined.Select(k => (double)k).ToList(), refined.Select(k => stages.Grids[k].RelativeL2!.Value).ToList()),
        };
        if (stages.FineTuneLoss is not null) curves.Add(("fine-tuned", [rounds + 1.0], [stages.Grids[^1].RelativeL2!.Value]));
        return LineFigure.Create("error after each stage", "round (fine-tuning after the last)", "rel L2", curves, logY: true);
    }

    static PlotModel? LossByRound(IReadOnlyList<RefinementRound> rounds) => rounds.Count == 0 ? null
        : LineFigure.Create("PINN loss of each round", "round", "loss",
            [("before", rounds.Select(r => (double)r.Round).ToList(), rounds.Select(r => r.ResidualBefore).ToList()),
             ("after", rounds.Select(r => (double)r.Round).ToList(), rounds.Select(r => r.ResidualAfter).ToList())], logY: true);

    static string Error(GridValues grid) => grid.RelativeL2 is { } rel ? $", rel L2 {rel:E3}" : "";

    /// <summary>The warning for a zero-shot answer whose PINN loss is more than half of u = 0's.</summary>
    internal static string BarelyBetterWarning(AnswerCheck check)
    {
        // A loss far beyond u = 0's reads as a multiple, not as a percentage of many digits.
        string share = check.Ratio <= 2 ? string.Create(CultureInfo.InvariantCulture, $"{check.Ratio:P0} of") : string.Create(CultureInfo.InvariantCulture, $"{check.Ratio:G3} times");
        return string.Create(CultureInfo.InvariantCulture,
            $"the zero-shot answer's PINN loss {check.Loss:G4} is {share} u = 0's ({check.ZeroAnswerLoss:G4}): by its residual it answers little of the problem; refinement (--refine 5) and fine-tuning (--finetune 600) lower that loss");
    }

    static JsonObject Report(string folder, ProblemChoice choice, Stages stages)
    {
        var problem = choice.Problem;
        JsonObject Stage(int k) => new()
        {
            ["stage"] = stages.Names[k],
            ["rel_l2"] = stages.Grids[k].RelativeL2,
            ["mse"] = stages.Grids[k].Mse,
            ["max_err"] = stages.Grids[k].MaxError,
            ["seconds"] = stages.Seconds[k],
        };
        var final = stages.Grids[^1];
        return new JsonObject
        {
            ["model"] = folder,
            ["benchmark"] = choice.Benchmark,
            ["pde"] = problem.Operator.ToString(),
            ["class"] = problem.Operator.Class.ToString().ToLowerInvariant(),
            ["source"] = problem.Source.ToString(),
            ["domain"] = problem.Domain.ToString(),
            ["conditions"] = new JsonArray(problem.Conditions.Select(c => (JsonNode)c.ToString()).ToArray()),
            ["warnings"] = new JsonArray(stages.Warnings.Select(w => (JsonNode)w).ToArray()),
            ["members"] = stages.Ensemble.Count,
            ["symmetry"] = SymmetryOption.Name(stages.Symmetry),
            ["zero_shot_members"] = ProblemSymmetry.Of(problem.Operator, stages.Symmetry).Count,
            ["res"] = choice.Resolution,
            ["truth"] = problem.Exact is not null ? "exact" : final.RelativeL2 is null ? null : "reference",
            ["rel_l2"] = final.RelativeL2,
            ["mse"] = final.Mse,
            ["max_err"] = final.MaxError,
            ["stages"] = new JsonArray(Enumerable.Range(0, stages.Names.Count).Select(k => (JsonNode)Stage(k)).ToArray()),
            ["zero_shot_check"] = new JsonObject
            {
                ["pinn_loss"] = stages.ZeroShotCheck.Loss,
                ["zero_answer_loss"] = stages.ZeroShotCheck.ZeroAnswerLoss,
                ["ratio"] = double.IsNaN(stages.ZeroShotCheck.Ratio) ? null : stages.ZeroShotCheck.Ratio,
            },
            ["refit_output_layers"] = stages.Rounds.Count > 0 ? stages.Refit : null,
            ["refinement_loss"] = stages.Rounds.Count > 0
                ? new JsonObject { ["dirichlet_weight"] = stages.Rounds[0].Loss.DirichletWeight, ["neumann_weight"] = stages.Rounds[0].Loss.NeumannWeight, ["residual_weight"] = 1 }
                : null,
            ["finetune_loss"] = stages.FineTuneLoss is { } tuned
                ? new JsonObject { ["dirichlet_weight"] = tuned.DirichletWeight, ["neumann_weight"] = tuned.NeumannWeight, ["residual_weight"] = 1 }
                : null,
            ["refinement"] = new JsonArray(stages.Rounds.Select(r => (JsonNode)new JsonObject
            {
                ["round"] = r.Round,
                ["loss_before"] = r.ResidualBefore,
                ["loss_after"] = r.ResidualAfter,
                ["scale"] = r.Scale,
                ["step"] = r.StepLength,
            }).ToArray()),
        };
    }

    static void PrintText(Problem2D problem, Stages stages, string? pinnPath)
    {
        Console.WriteLine($"hypino: {problem.Operator} = {problem.Source} on {problem.Domain} ({problem.Operator.Class.ToString().ToLowerInvariant()}): {stages.Ensemble}");
        for (int k = 0; k < stages.Names.Count; k++)
            Console.WriteLine($"  {stages.Names[k],-14} {stages.Seconds[k],7:F2} s" + (stages.Grids[k].RelativeL2 is { } rel ? $"  rel L2 {rel:E3}  mse {stages.Grids[k].Mse:E3}  max {stages.Grids[k].MaxError:E3}" : "")
                + (k == 0 ? $"  PINN loss {stages.ZeroShotCheck.Loss:E3} (u = 0: {stages.ZeroShotCheck.ZeroAnswerLoss:E3})" : ""));
        if (pinnPath is not null) Console.WriteLine($"PINN written to {pinnPath}");
    }

    static void WriteFile(string path, Problem2D problem, GridValues grid, string model, Stages stages)
    {
        var builder = new FieldFileBuilder()
            .AddArray("u", grid.U).AddArray("mask", grid.Mask)
            .SetAttribute("pde", problem.Operator.ToString()).SetAttribute("source", problem.Source.ToString())
            .SetAttribute("domain", problem.Domain.ToString())
            .SetAttribute("conditions", string.Join("; ", problem.Conditions.Select(c => c.ToString())))
            .SetAttribute("layout", "u[y, x] and mask[y, x] (1 inside the domain) on the vertex grid of [-1, 1]^2, y ascending")
            .SetAttribute("method", $"HyPINO ({string.Join(", ", stages.Names)})")
            .SetAttribute("model", model)
            .SetAttribute("pdeops_version", Versions.PdeOps);
        if (problem.Exact is not null) builder.SetAttribute("exact", problem.Exact.ToString());
        if (grid.RelativeL2 is { } rel) builder.SetAttribute("rel_l2", rel);
        builder.Write(path);
    }
}
