using System.Diagnostics;
using System.Text.Json.Nodes;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Runtime;
using PdeOps.Operators.Training;
using PdeOps.Physics.IO;
using static TorchSharp.torch;

namespace PdeOps.Operators.Hypino;

/// <summary>How a HyPINO run ended.</summary>
/// <param name="Steps">Optimizer steps taken in all.</param>
/// <param name="BestStep">The step of the best validation error (the checkpoint's weights).</param>
/// <param name="BestValidationRelativeL2">That error.</param>
/// <param name="History">Every record of the run.</param>
public sealed record HypinoTrainingSummary(int Steps, int BestStep, double BestValidationRelativeL2, IReadOnlyList<HypinoTrainingRecord> History);

/// <summary>
/// Trains a <see cref="HypinoNetwork"/> with AdamW (linear warm-up, cosine decay) on batches of an
/// <see cref="IHypinoProblemSource"/>. The run folder holds run.json (settings and data), the best
/// checkpoint (<see cref="HypinoCheckpoint"/>, chosen by the error on held-out manufactured
/// problems), metrics.csv, and last/ with the state after the latest validation; a killed run
/// resumes from that state to exactly the weights the uninterrupted run would have reached, since
/// batches and learning rates are pure functions of the step.
/// </summary>
public static class HypinoTrainer
{
    const string RunFile = "run.json";
    const string StartingChecksumKey = "init_weights_sha256";
    const int ValidationPoints = 256;

    /// <summary>
    /// Trains (or, with <paramref name="resume"/>, continues) the run in <paramref name="folder"/>;
    /// <paramref name="stepDone"/> hears of every step, <paramref name="recorded"/> of every validation.
    /// </summary>
    /// <exception cref="CheckpointException">The folder holds another run, or nothing to resume; or the
    /// starting model (<see cref="HypinoTrainingOptions.InitFrom"/>) is missing, foreign or of other network options.</exception>
    /// <exception cref="HypinoDivergedException">The loss became NaN or infinite; the last state is kept.</exception>
    public static HypinoTrainingSummary Train(string folder, HypinoOptions model, HypinoTrainingOptions training, IHypinoProblemSource source, bool resume,
        Action<int>? stepDone = null, Action<HypinoTrainingRecord>? recorded = null, CancellationToken cancel = default)
    {
        model = model.Validated();
        training = training.Validated();
        var run = RunJson(model, training, source);
        if (training.InitFrom is not null) run["init_from"] = training.InitFrom;
        if (!resume && training.InitFrom is { } init) run[StartingChecksumKey] = StartingWeightsChecksum(init, model);
        using var held = OpenFolder(folder, run, resume);
        manual_seed(training.Seed);
        using var network = new HypinoNetwork(model);
        var optimizer = optim.AdamW(network.parameters(), lr: training.LearningRate, weight_decay: training.WeightDecay);
        var state = HypinoRunState.Load(folder, network, optimizer);
        // A run that has saved no state yet starts (again) from the given weights.
        if (state.Step == 0 && training.InitFrom is { } start) LoadStartingWeights(network, start);
        if (state.Step >= training.Steps) return state.Summary;
        using var validation = ValidationBatch(model, training);
        var history = state.History.ToList();
        var clock = Stopwatch.StartNew();
        double secondsBefore = history.Count > 0 ? history[^1].Seconds : 0;
        var sums = new double[6];
        int stepsSinceRecord = 0;
        double trainingSeconds = 0;
        double rate = 0;
        for (int step = state.Step; step < training.Steps; step++)
        {
            cancel.ThrowIfCancellationRequested();
            var stepClock = Stopwatch.StartNew();
            rate = training.LearningRateAt(step);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = rate;
            using (var scope = NewDisposeScope())
            {
                var batch = source.Batch(step, training.BatchSize, model.Resolution, training.InteriorPoints, training.BoundaryPoints);
                var terms = training.Loss.Evaluate(network, batch);
                double loss = terms.Total.item<float>();
                if (!double.IsFinite(loss))
                    throw new HypinoDivergedException(step + 1, rate, state.Step);
                optimizer.zero_grad();
                terms.Total.backward();
                nn.utils.clip_grad_norm_(network.parameters(), training.GradientClip);
                optimizer.step();
                var values = new[] { terms.Total, terms.Residual, terms.Solution, terms.Derivatives, terms.Dirichlet, terms.Neumann };
                for (int k = 0; k < sums.Length; k++) sums[k] += values[k].item<float>();
            }
            stepsSinceRecord++;
            trainingSeconds += stepClock.Elapsed.TotalSeconds;
            stepDone?.Invoke(step + 1);
            bool last = step + 1 == training.Steps;
            if ((step + 1) % training.CheckpointEvery != 0 && !last) continue;

            double error = ValidationError(network, validation);
            var record = new HypinoTrainingRecord(step + 1, rate, sums[0] / stepsSinceRecord, sums[1] / stepsSinceRecord, sums[2] / stepsSinceRecord,
                sums[3] / stepsSinceRecord, sums[4] / stepsSinceRecord, sums[5] / stepsSinceRecord, error,
                stepsSinceRecord * training.BatchSize / Math.Max(trainingSeconds, 1e-9), secondsBefore + clock.Elapsed.TotalSeconds);
            history.Add(record);
            bool best = double.IsFinite(error) && error < state.BestValidationRelativeL2;
            if (best)
            {
                run["best"] = record.ToJson();
                HypinoCheckpoint.Save(folder, network, source.CoefficientBounds, run);
            }
            state = new HypinoRunState(step + 1, best ? step + 1 : state.BestStep, best ? error : state.BestValidationRelativeL2, history);
            state.Save(folder, network, optimizer);
            WriteMetrics(folder, history);
            recorded?.Invoke(record);
            Array.Clear(sums);
            (stepsSinceRecord, trainingSeconds) = (0, 0);
        }
        return state.Summary;
    }

    /// <summary>The settings a resumed run must share, as recorded in run.json.</summary>
    static JsonObject RunJson(HypinoOptions model, HypinoTrainingOptions training, IHypinoProblemSource source)
    {
        var run = RunSettings(model, training, source);
        // Written only when set, so that runs recorded before the option existed still resume.
        if (training.SolvedFraction > 0) run["training"]!["solved_fraction"] = training.SolvedFraction;
        if (training.SolvedDrawnSourceFraction > 0) run["training"]!["solved_drawn_source_fraction"] = training.SolvedDrawnSourceFraction;
        return run;
    }

    static JsonObject RunSettings(HypinoOptions model, HypinoTrainingOptions training, IHypinoProblemSource source) => new()
    {
        ["format"] = "pdeops-hypino-run",
        ["model"] = HypinoCheckpoint.OptionsJson(model),
        ["training"] = new JsonObject
        {
            ["steps"] = training.Steps,
            ["batch_size"] = training.BatchSize,
            ["learning_rate"] = training.LearningRate,
            ["weight_decay"] = training.WeightDecay,
            ["warmup_steps"] = training.WarmupSteps,
            ["interior_points"] = training.InteriorPoints,
            ["boundary_points"] = training.BoundaryPoints,
            ["physics_fraction"] = training.PhysicsFraction,
            ["zero_sides_fraction"] = training.ZeroSidesFraction,
            ["gradient_clip"] = training.GradientClip,
            ["checkpoint_every"] = training.CheckpointEvery,
            ["validation_problems"] = training.ValidationProblems,
            ["seed"] = training.Seed,
            ["loss"] = new JsonObject
            {
                ["penalty"] = training.Loss.Penalty.ToString().ToLowerInvariant(),
                ["residual"] = training.Loss.ResidualWeight,
                ["solution"] = training.Loss.SolutionWeight,
                ["derivatives"] = training.Loss.DerivativeWeight,
                ["dirichlet"] = training.Loss.DirichletWeight,
                ["neumann"] = training.Loss.NeumannWeight,
            },
            ["optimizer"] = "adamw, linear warm-up then cosine decay to zero",
        },
        ["data"] = source.Description,
    };

    // The checksum of the starting weights in folder, after checking that they fit the network being trained.
    static string? StartingWeightsChecksum(string folder, HypinoOptions model)
    {
        var (options, _, _, sha) = HypinoCheckpoint.Read(folder);
        // The weights do not depend on how the data are scaled, so a model may start from one read otherwise.
        var (wanted, found) = (WeightShapes(model), WeightShapes(options));
        if (!JsonNode.DeepEquals(wanted, found))
            throw new CheckpointException(folder, $"its network differs from the one being trained ({RunFolder.Difference(found, wanted, then: "there", current: "here")}); start from a model of the same preset");
        return sha;
    }

    static JsonObject WeightShapes(HypinoOptions options) => HypinoCheckpoint.OptionsJson(options with { InputMagnitude = null });

    static void LoadStartingWeights(HypinoNetwork network, string folder)
    {
        string? sha = StartingWeightsChecksum(folder, network.Options);
        using var _ = no_grad();
        HypinoCheckpoint.LoadWeights(network, Path.Combine(folder, HypinoCheckpoint.WeightsFile), sha);
    }

    // Opens the run folder and locks it for this run (RunFolder.Lock): a second run on it is refused while this one trains.
    static FolderLock OpenFolder(string folder, JsonObject run, bool resume)
    {
        string runFile = Path.Combine(folder, RunFile);
        if (!resume)
        {
            if (HypinoRunState.Exists(folder) || File.Exists(Path.Combine(folder, HypinoCheckpoint.DescriptionFile)))
                throw new CheckpointException(folder, "a HyPINO run already lives here; pass --resume to continue it or choose another --out");
            Directory.CreateDirectory(folder);
        }
        else if (!File.Exists(runFile)) throw new CheckpointException(folder, $"no {RunFile}: nothing to resume");
        var held = RunFolder.Lock(folder);
        try
        {
            if (!resume)
            {
                OperatorCheckpoint.WriteAtomically(runFile, run.ToJsonString(HypinoCheckpoint.Json));
                return held;
            }
            var recorded = JsonNode.Parse(File.ReadAllText(runFile)) as JsonObject ?? throw new CheckpointException(runFile, "not a JSON object");
            recorded.Remove("best");
            recorded.Remove(StartingChecksumKey);   // provenance; a resume continues from last/, not from it
            if (!JsonNode.DeepEquals(recorded, run))
                throw new CheckpointException(folder, $"the run was started with other settings ({RunFolder.Difference(recorded, run)}); resume needs the same model, training settings and data");
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    static void WriteMetrics(string folder, IReadOnlyList<HypinoTrainingRecord> history) =>
        AtomicFile.Write(Path.Combine(folder, "metrics.csv"), partial =>
            File.WriteAllLines(partial, history.Select(r => r.ToCsv()).Prepend(HypinoTrainingRecord.CsvHeader)));

    // Held-out manufactured problems with known solutions, from a seed no training batch uses; the
    // same for every run, so that runs of other seeds, or started from another run, compare. A run
    // with classically solved problems holds out the same share of them, so that its best model is
    // chosen on what it learns.
    const long ValidationSeed = 1_000_000_007;

    static HypinoBatch ValidationBatch(HypinoOptions model, HypinoTrainingOptions training)
    {
        using var held = new ManufacturedProblemSource(ValidationSeed, physicsFraction: 0, solvedFraction: training.SolvedFraction,
            drawnSourceFraction: training.SolvedDrawnSourceFraction);
        var problems = Enumerable.Range(0, training.ValidationProblems).Select(i => held.Sample(i)).ToList();
        return HypinoBatch.FromProblems([.. problems.Select(p => p.Problem)], model.Resolution, ValidationPoints, 1, seed: 1, [.. problems.Select(p => p.Solution)]);
    }

    /// <summary>Mean over the batch's supervised problems of ‖u − u_exact‖ / ‖u_exact‖ at their interior points.</summary>
    internal static double ValidationError(HypinoNetwork network, HypinoBatch batch)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool training = network.training;
        network.eval();
        var errors = new List<double>();
        const int chunk = 8;
        for (long first = 0; first < batch.Count; first += chunk)
        {
            long count = Math.Min(chunk, batch.Count - first);
            var flat = network.call(batch.Channels.narrow(0, first, count), batch.Coefficients.narrow(0, first, count));
            var interior = batch.Interior.narrow(0, first, count);
            var u = network.EvaluatePinns(flat, interior[TensorIndex.Ellipsis, ..2]);
            var exact = interior[TensorIndex.Ellipsis, 3];
            var relative = (u - exact).square().sum(1).sqrt() / exact.square().sum(1).sqrt().AtLeast(1e-12);
            errors.AddRange(relative.data<float>().ToArray().Select(v => (double)v));
        }
        network.train(training);
        return errors.Average();
    }
}
