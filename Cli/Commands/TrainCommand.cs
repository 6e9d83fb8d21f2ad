using System.CommandLine;
using System.Text.Json.Nodes;
using PdeOps.Cli.Bench;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PdeOps.Distributed;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Training;
using Spectre.Console;

namespace PdeOps.Cli.Commands;

/// <summary><c>pdeops train</c>: fit FNO or MgNO on a dataset file and write a self-describing run folder.</summary>
public static class TrainCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "fno, local-fno (FNO with DISCO and differential kernels), mgno, attention (integral attention with --kernel), transolver (physics attention), "
                + "unet, resnet or vit (networks for the training grid) and unet-no, resnet-no or vit-no (the same networks converted to act on any grid)",
            DefaultValueFactory = _ => "fno",
        };
        model.AcceptOnlyFromAmong("fno", "local-fno", "mgno", "attention", "transolver", "unet", "unet-no", "resnet", "resnet-no", "vit", "vit-no");
        var data = new Option<string>("--data") { Description = "Training file (PdeOps, PDEBench or FNO .mat)", Required = true };
        var test = new Option<string>("--test") { Description = "Test file, evaluated every epoch", Required = true };
        var trainSamples = new Option<int?>("--train-samples") { Description = "Use only the first N training samples" }.RequireAtLeast(1);
        var testSamples = new Option<int?>("--test-samples") { Description = "Use only the first N test samples" }.RequireAtLeast(1);
        var output = new Option<string>("--out") { Description = "Run folder (checkpoint, metrics, plots)", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Epochs", DefaultValueFactory = _ => 100 };
        epochs.RequireAtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 20 };
        batch.RequireAtLeast(1);
        var lr = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 1e-3 };
        lr.RequirePositive();
        var weightDecay = new Option<double>("--weight-decay") { Description = "Weight decay", DefaultValueFactory = _ => 1e-4 }.RequireNonNegative();
        var optimizer = new Option<string>("--optimizer") { Description = "adam or adamw", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("adam", "adamw");
        var schedule = new Option<string>("--schedule") { Description = "constant, step, cosine or onecycle", DefaultValueFactory = _ => "cosine" };
        schedule.AcceptOnlyFromAmong("constant", "step", "cosine", "onecycle");
        var loss = new Option<string>("--loss") { Description = "l2 (relative L2), h1 (relative H1) or mse", DefaultValueFactory = _ => "l2" };
        loss.AcceptOnlyFromAmong("l2", "h1", "mse");
        var normalization = new Option<string>("--normalization") { Description = "global (Gaussian, any resolution), pointwise (Gaussian per point), minmax or none", DefaultValueFactory = _ => "global" };
        normalization.AcceptOnlyFromAmong("global", "pointwise", "minmax", "none");
        var seed = new Option<long>("--seed") { Description = "Seed of weights and batch order", DefaultValueFactory = _ => 0 };
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out after a kill" };
        var initFrom = new Option<string?>("--init-from") { Description = "Start from the weights of this checkpoint (same model and options; the padding may differ, e.g. to fine-tune on a finer grid) with a fresh optimizer and schedule" };
        FnoOptions fnoClosed = FnoOptions.Defaults(2, GridConvention.Closed), fnoPeriodic = FnoOptions.Defaults(2, GridConvention.Periodic);
        var mgno = new MgnoOptions();
        var (unet, resnet, vit) = (new UNetOptions(), new ResNetOptions(), new ViTOptions());
        var width = new Option<int?>("--width") { Description = $"Channels of the hidden layers (FNO {fnoClosed.Width}, MgNO {mgno.Width}, U-Net first level {unet.Width}, ResNet {resnet.Width}, ViT {vit.Width})" }.RequireAtLeast(1);
        var layers = new Option<int?>("--layers") { Description = $"Layers (FNO {fnoClosed.Layers}, MgNO {mgno.Layers}, ResNet residual blocks {resnet.Layers}, ViT transformer blocks {vit.Layers})" }.RequireAtLeast(1);
        var modes = new Option<int?>("--modes") { Description = $"FNO: Fourier modes kept per axis ({FnoOptions.DefaultModes1d} in 1D, {FnoOptions.DefaultModes} in 2D); attention, transolver: modes of a spectral convolution beside each block's attention (none unless given; grids only)" }.RequireAtLeast(1);
        var projectionWidth = new Option<int?>("--projection-width") { Description = $"FNO: channels of the hidden layer that projects the last Fourier layer to the outputs ({fnoClosed.ProjectionWidth}); a narrower one predicts faster" }.RequireAtLeast(1);
        var padding = new Option<int?>("--padding") { Description = $"FNO, and attention or transolver with --modes: domain padding in points ({fnoClosed.Padding}; {fnoPeriodic.Padding} for periodic data)" }.RequireAtLeast(0);
        var convergent = new Option<bool>("--discretization-convergent") { Description = "MgNO: on other grids the network runs on the training grid, its input sampled there and its output interpolated back, so that the model converges on other grids (the same weights as the default MgNO)" };
        var mgnoPositions = new Option<bool>("--positional-embedding") { Description = "MgNO: append the grid coordinates to the input channels, for maps that are not translation invariant (a fixed forcing); the other models always have them" };
        var localRadius = new Option<double?>("--local-radius") { Description = $"local-fno: physical radius of the DISCO kernels, in units of the domain's side ({FnoOptions.DefaultLocalRadius}; more than one spacing of the training grid)" };
        var trapezoidalEdges = new Option<bool>("--trapezoidal-edges") { Description = "FNO, and attention or transolver with --modes: Fourier layers weight the edges of the padded field by the trapezoidal rule, for zero-shot use on finer grids" };
        var levels = new Option<int?>("--levels") { Description = $"MgNO: multigrid levels ({mgno.Levels}); U-Net: downsamplings ({unet.Levels})" }.RequireAtLeast(1);
        var preSmoothing = new Option<string?>("--pre-smoothing") { Description = "MgNO: pre-smoothing steps per level, finest first, e.g. 1,1,1,1,2 (1 per level)" };
        var postSmoothing = new Option<string?>("--post-smoothing") { Description = "MgNO: post-smoothing steps per level, finest first, e.g. 0,0,0,1,0 (1 per level)" };
        var boundary = new Option<string>("--boundary") { Description = "MgNO padding: dirichlet, periodic or neumann", DefaultValueFactory = _ => "dirichlet" };
        boundary.AcceptOnlyFromAmong("dirichlet", "periodic", "neumann");
        var pointDefaults = new AttentionOptions();
        var heads = new Option<int?>("--heads") { Description = $"attention, transolver, vit: attention heads ({pointDefaults.Heads}; must divide --width, {pointDefaults.Width} for these models)" }.RequireAtLeast(1);
        var patchSize = new Option<int?>("--patch-size") { Description = $"vit: points per side of a patch on the training grid ({vit.PatchSize})" }.RequireAtLeast(1);
        var kernel = new Option<string>("--kernel") { Description = "attention: linear (Galerkin), softmax or sigmoid", DefaultValueFactory = _ => pointDefaults.Kernel };
        kernel.AcceptOnlyFromAmong([.. PdeOps.Operators.Layers.Attention.AttentionKernels.Names]);
        var slices = new Option<int?>("--slices") { Description = $"transolver: learned slices per block ({new TransolverOptions().Slices})" }.RequireAtLeast(2);
        var slicesPerHead = new Option<bool>("--slices-per-head") { Description = "transolver: each attention head has its own slices and temperature, as the published Transolver (off: the heads share one slicing)" };
        var frequencies = new Option<int?>("--frequencies") { Description = $"attention, transolver: Fourier-feature frequencies of the coordinates per axis ({pointDefaults.Frequencies})" }.RequireAtLeast(1);
        var trainRes = new Option<string?>("--train-res") { Description = "Train on several grids in one run, e.g. 43,85: the batches cycle through them, each reached by subsampling the data (grid-agnostic models then take the coarsest as their reference)" };
        var pointsFraction = new Option<double?>("--points-fraction") { Description = "attention, transolver: train on this share of each sample's grid points, a fresh random subset every step (evaluation uses whole grids)" };
        pointsFraction.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && !(v > 0 && v <= 1))
                r.AddError($"--points-fraction must lie in (0, 1], got {r.Tokens[0].Value}");
        });
        var augment = new Option<string>("--augment") { Description = "dihedral: map each training sample (input and target) by a random symmetry of the square every step; only for problems those symmetries leave unchanged, as Darcy with f = 1 and u = 0 on the boundary (none)", DefaultValueFactory = _ => "none" };
        augment.AcceptOnlyFromAmong("none", "dihedral");
        var grid = new Option<string?>("--grid") { Description = "closed (vertex grids with both ends) or periodic; default from the dataset's grid convention (closed when unknown)" };
        grid.AcceptOnlyFromAmong("closed", "periodic");
        var distributed = new Option<bool>("--distributed") { Description = "Train data-parallel on the ranks started by mpirun or srun (each takes a share of every batch; rank 0 writes --out)" };
        var config = new Option<string?>("--config") { Description = "JSON file with any of these options by name (e.g. {\"epochs\": 50, \"width\": 64}); command-line options win" };
        var json = CommonOptions.Json();
        var command = new Command("train", "Train a neural operator (fno, local-fno, mgno, attention, transolver, unet, resnet, vit and their -no conversions) and write runs/NAME: checkpoint, metrics.csv/json, plots")
        {
            model, data, test, trainSamples, testSamples, output, epochs, batch, lr, weightDecay, optimizer, schedule, loss,
            normalization, seed, threads, device, resume, initFrom, width, layers, modes, projectionWidth, padding, trapezoidalEdges, localRadius, convergent, mgnoPositions, levels, preSmoothing, postSmoothing, boundary, heads, patchSize, kernel, slices, slicesPerHead, frequencies, pointsFraction, trainRes, augment, grid, distributed, config, json,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(config) is { } c ? ConfigFile.Read(c, command, config, json, resume) : null;
            T Get<T>(Option<T> option) => (file is null ? parse.GetValue(option) : file.Get(parse, option))!;
            T? GetOptional<T>(Option<T?> option) where T : struct => file is null ? parse.GetValue(option) : file.Get(parse, option);
            string? GetText(Option<string?> option) => file is null ? parse.GetValue(option) : file.Get(parse, option);

            string deviceName = CommonOptions.CheckDevice(Get(device));
            var world = DistributedLaunch.Join(Get(distributed), "train", "train the same run into the same --out");
            // Each rank reads and checks its inputs; a rank that fails stops all of them with its reason.
            var (spec, trainSet, testSet) = world.Together(() => Prepare());
            string modelName = spec.ModelName;
            // libtorch's thread count is process-wide: the command decides it, not the library.
            PdeOps.Operators.Runtime.TorchRuntime.SetThreads(Get(threads));
            string folder = Get(output);
            bool asJson = parse.GetValue(json);
            bool writer = world.Rank == 0;
            var result = Run(spec, trainSet, testSet, folder, parse.GetValue(resume), asJson, world);
            if (!writer) return ExitCodes.Ok;
            var figures = OperatorReports.WriteTrainingCurve(folder, result.History, $"{modelName} on {Path.GetFileName(trainSet.SourcePath)}").ToList();
            using (var trained = NeuralOperator.Load(folder))
                figures.AddRange(OperatorReports.WritePredictions(trained, testSet, [0, 1, 2], Path.Combine(folder, "test-predictions"), $"{modelName}, best epoch {result.BestEpoch}"));
            var summary = new JsonObject
            {
                ["run"] = Path.GetFullPath(folder),
                ["model"] = modelName,
                ["parameters"] = result.Parameters,
                ["epochs"] = result.History.Count,
                ["best_epoch"] = result.BestEpoch,
                ["best_test_rel_l2"] = result.BestTestRelativeL2,
                ["final_train_loss"] = result.History[^1].TrainLoss,
                ["final_test_rel_l2"] = result.History[^1].TestRelativeL2,
                ["resumed"] = result.Resumed,
                ["ranks"] = result.Ranks,
                ["steps"] = result.Steps,
                ["communication_s"] = result.CommunicationSeconds,
                ["figures"] = new JsonArray(figures.Select(f => (JsonNode?)f).ToArray()),
            };
            Console.WriteLine(asJson ? summary.ToJsonString(CommonOptions.JsonStyle)
                : $"trained {modelName} ({result.Parameters} parameters) for {result.History.Count} epochs{(result.Ranks > 1 ? $" on {result.Ranks} ranks" : "")}: best test relative L2 {result.BestTestRelativeL2:P3} at epoch {result.BestEpoch}; run in {Path.GetFullPath(folder)}");
            return ExitCodes.Ok;

            (TrainingSpec, OperatorDataset, OperatorDataset) Prepare()
            {
                string modelName = Get(model);
                var trainSet = DatasetReader.Read(Get(data), GetOptional(trainSamples));
                var testSet = DatasetReader.Read(Get(test), GetOptional(testSamples));
                int spatialDims = trainSet.Inputs[0].Shape.Length == 2 ? 1 : 2;
                var convention = GetText(grid) switch
                {
                    "periodic" => GridConvention.Periodic,
                    "closed" => GridConvention.Closed,
                    // Closed vertex grids, cell-centred grids and grids of unknown convention train as closed (padded, one-sided differences).
                    _ => trainSet.GridConvention == DatasetGridConvention.Periodic ? GridConvention.Periodic : GridConvention.Closed,
                };
                var fnoDefaults = FnoOptions.Defaults(spatialDims, convention);
                PointOperatorOptions PointArchitecture(PointOperatorOptions defaults) => defaults with
                {
                    Dimensions = spatialDims,
                    Width = GetOptional(width) ?? defaults.Width,
                    Layers = GetOptional(layers) ?? defaults.Layers,
                    Heads = GetOptional(heads) ?? defaults.Heads,
                    Frequencies = GetOptional(frequencies) ?? defaults.Frequencies,
                    Convention = convention,
                    Modes = GetOptional(modes) ?? 0,
                    Padding = GetOptional(padding) ?? PointOperatorOptions.DefaultPadding,
                    TrapezoidalEdges = Get(trapezoidalEdges),
                };
                NeuralOperatorOptions architecture = modelName switch
                {
                    "mgno" => MgnoArchitecture(
                        GetOptional(width), GetOptional(layers), GetOptional(levels),
                        GetText(preSmoothing), GetText(postSmoothing),
                        Get(boundary) switch { "periodic" => BoundaryPadding.Periodic, "neumann" => BoundaryPadding.Neumann, _ => BoundaryPadding.Dirichlet })
                        with
                    { DiscretizationConvergent = Get(convergent), PositionalEmbedding = Get(mgnoPositions) },
                    "attention" => (AttentionOptions)PointArchitecture(new AttentionOptions()) with { Kernel = Get(kernel) },
                    "transolver" => (TransolverOptions)PointArchitecture(new TransolverOptions()) with { Slices = GetOptional(slices) ?? new TransolverOptions().Slices, SlicesPerHead = Get(slicesPerHead) },
                    "unet" or "unet-no" => unet with { Width = GetOptional(width) ?? unet.Width, Levels = GetOptional(levels) ?? unet.Levels, Convention = convention },
                    "resnet" or "resnet-no" => resnet with { Width = GetOptional(width) ?? resnet.Width, Layers = GetOptional(layers) ?? resnet.Layers, Convention = convention },
                    "vit" or "vit-no" => vit with
                    {
                        Width = GetOptional(width) ?? vit.Width,
                        Layers = GetOptional(layers) ?? vit.Layers,
                        Heads = GetOptional(heads) ?? vit.Heads,
                        PatchSize = GetOptional(patchSize) ?? vit.PatchSize,
                        Convention = convention,
                    },
                    _ => fnoDefaults with
                    {
                        Width = GetOptional(width) ?? fnoDefaults.Width,
                        Layers = GetOptional(layers) ?? fnoDefaults.Layers,
                        ProjectionWidth = GetOptional(projectionWidth) ?? fnoDefaults.ProjectionWidth,
                        Modes = GetOptional(modes) is { } m ? Enumerable.Repeat(m, spatialDims).ToArray() : fnoDefaults.Modes,
                        Padding = GetOptional(padding) ?? fnoDefaults.Padding,
                        TrapezoidalEdges = Get(trapezoidalEdges),
                        LocalKernels = modelName == FourierNeuralOperator.LocalRegistryName,
                        LocalRadius = GetOptional(localRadius) ?? FnoOptions.DefaultLocalRadius,
                    },
                };
                var spec = new TrainingSpec
                {
                    ModelName = modelName,
                    ModelOptions = architecture,
                    SpatialDims = spatialDims,
                    Convention = convention,
                    InitialWeights = GetText(initFrom),
                    Device = deviceName,
                    Options = new TrainingOptions
                    {
                        Epochs = Get(epochs),
                        BatchSize = Get(batch),
                        LearningRate = Get(lr),
                        WeightDecay = Get(weightDecay),
                        Optimizer = Get(optimizer) == "adamw" ? OptimizerKind.AdamW : OptimizerKind.Adam,
                        Schedule = Get(schedule) switch { "constant" => ScheduleKind.Constant, "step" => ScheduleKind.Step, "onecycle" => ScheduleKind.OneCycle, _ => ScheduleKind.Cosine },
                        Loss = Get(loss) switch { "h1" => LossKind.RelativeH1, "mse" => LossKind.Mse, _ => LossKind.RelativeL2 },
                        Normalization = Get(normalization) switch { "pointwise" => NormalizationKind.GaussianPointwise, "minmax" => NormalizationKind.MinMax, "none" => NormalizationKind.None, _ => NormalizationKind.GaussianGlobal },
                        Seed = Get(seed),
                        PointsFraction = GetOptional(pointsFraction),
                        Augmentation = Get(augment) == "dihedral" ? AugmentationKind.Dihedral : AugmentationKind.None,
                        Resolutions = GetText(trainRes) is { } resolutions
                            ? SizeList.TryParse(resolutions, minimum: 2) is { Length: > 0 } sizes && sizes.Distinct().Count() == sizes.Length ? sizes
                                : throw new UsageException($"--train-res {resolutions}: expected distinct comma-separated grid sizes such as 43,85")
                            : null,
                    },
                };
                if ((architecture is ConvNetOptions || modelName == FourierNeuralOperator.LocalRegistryName) && spatialDims != 2)
                    throw new UsageException($"--model {modelName} works on 2D fields; {Path.GetFileName(Get(data))} holds 1D ones");
                if (Get(convergent) && architecture is not MgnoOptions)
                    throw new UsageException($"--discretization-convergent applies to --model mgno, not {modelName}");
                if (Get(mgnoPositions) && architecture is not MgnoOptions)
                    throw new UsageException($"--positional-embedding applies to --model mgno (the other models always append the coordinates), not {modelName}");
                if (GetOptional(modes) is not null && architecture is not (FnoOptions or PointOperatorOptions))
                    throw new UsageException($"--modes applies to --model fno, local-fno, attention or transolver, not {modelName}");
                if (GetOptional(projectionWidth) is not null && architecture is not FnoOptions)
                    throw new UsageException($"--projection-width applies to --model fno or local-fno, not {modelName}");
                if ((GetOptional(slices) is not null || Get(slicesPerHead)) && architecture is not TransolverOptions)
                    throw new UsageException($"--slices and --slices-per-head apply to --model transolver, not {modelName}");
                if (GetOptional(patchSize) is not null && architecture is not ViTOptions)
                    throw new UsageException($"--patch-size applies to --model vit or vit-no, not {modelName}");
                if (spec.Options.PointsFraction is not null && architecture is not PointOperatorOptions)
                    throw new UsageException($"--points-fraction needs a point operator (--model attention or transolver), not {modelName}");
                if (spec.Options.PointsFraction is not null && architecture is PointOperatorOptions { HasSpectralConvolution: true })
                    throw new UsageException($"--points-fraction cannot train {modelName} with --modes: its spectral convolutions need whole grids");
                if ((GetOptional(padding) is not null || Get(trapezoidalEdges)) && architecture is PointOperatorOptions { HasSpectralConvolution: false })
                    throw new UsageException($"--{(Get(trapezoidalEdges) ? "trapezoidal-edges" : "padding")} applies to the {modelName} model's spectral convolutions: give --modes too");
                try { DihedralAugmentation.CheckApplies(spec.Options, spatialDims, trainSet.Inputs[0].Shape[^spatialDims..]); }
                catch (ArgumentException e) { throw new UsageException($"--augment: {e.Message}"); }
                CheckArchitecture(architecture, trainSet, spatialDims, spec.Options.BatchSize, spec.Options.Resolutions, convention);
                if (world.Rank == 0) GridWarning.Report(trainSet.Inputs[0].Shape[^spatialDims..], testSet);
                return (spec, trainSet, testSet);
            }
        });
        return command;
    }

    static TrainingResult Run(TrainingSpec spec, OperatorDataset train, OperatorDataset test, string folder, bool resume, bool json, ICommunicator world)
    {
        int epochs = spec.Options.Epochs;
        var hooks = world.Size > 1 ? new TrainingHooks { Communicator = world } : null;
        if (world.Rank > 0) return OperatorTrainer.Train(spec, train, test, folder, resume, hooks: hooks);
        if (json || !ProgressDisplay.Interactive)
            return OperatorTrainer.Train(spec, train, test, folder, resume, p =>
            {
                if (p.Finished is { } m && !json)
                    Console.WriteLine($"epoch {m.Epoch}/{epochs}: train loss {m.TrainLoss:E3}, test rel L2 {m.TestRelativeL2:E3}, lr {m.LearningRate:E2}, {m.Seconds:F1} s");
            }, hooks: hooks);
        TrainingResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: epochs);
                double best = double.PositiveInfinity;
                result = OperatorTrainer.Train(spec, train, test, folder, resume, p =>
                {
                    task.Value = p.Epoch - 1 + (double)p.Batch / p.Batches;
                    if (p.Finished is { } m) best = Math.Min(best, m.TestRelativeL2);
                    task.Description = Markup.Escape($"epoch {p.Epoch}/{p.Epochs} loss {p.RunningLoss:E3} best test {best:E3}");
                }, hooks: hooks);
            });
        return result!;
    }

    /// <summary>
    /// MgNO options from the command line over the <see cref="MgnoOptions"/> defaults: the number of
    /// levels comes from --levels or from the length of a smoothing list; a list not given means one
    /// step per level.
    /// </summary>
    static MgnoOptions MgnoArchitecture(int? width, int? layers, int? levels, string? pre, string? post, BoundaryPadding boundary)
    {
        int[]? preSteps = ParseSteps(pre, "--pre-smoothing");
        int[]? postSteps = ParseSteps(post, "--post-smoothing");
        int count = levels ?? preSteps?.Length ?? postSteps?.Length ?? new MgnoOptions().Levels;
        foreach (var (steps, name) in new[] { (preSteps, "--pre-smoothing"), (postSteps, "--post-smoothing") })
            if (steps is not null && steps.Length != count)
                throw new UsageException($"{name} lists {steps.Length} levels but the V-cycle has {count}");
        var defaults = MgnoOptions.WithLevels(count);
        return defaults with
        {
            Width = width ?? defaults.Width,
            Layers = layers ?? defaults.Layers,
            PreSmoothing = preSteps ?? defaults.PreSmoothing,
            PostSmoothing = postSteps ?? defaults.PostSmoothing,
            Boundary = boundary,
        };
    }

    static int[]? ParseSteps(string? text, string name) => text is null ? null
        : SizeList.TryParse(text, minimum: 0) ?? throw new UsageException($"{name} {text}: expected comma-separated step counts such as 1,1,1,1,2");

    /// <summary>
    /// Refuses, as a usage error before any work, training resolutions the data cannot be subsampled
    /// to, an architecture that is invalid, that keeps more Fourier modes than the coarsest training
    /// grid resolves, or whose training would not fit in memory.
    /// </summary>
    static void CheckArchitecture(NeuralOperatorOptions architecture, OperatorDataset train, int spatialDims, int batch, int[]? resolutions, GridConvention convention)
    {
        int[] grid = train.Inputs[0].Shape[^spatialDims..];
        int[] coarsest;
        try { coarsest = TrainingResolutions.Coarsest(resolutions, grid, convention); }
        catch (ArgumentException e) { throw new UsageException($"--train-res: {e.Message}"); }
        ArchitectureCheck.Require(architecture, coarsest, grid, batch);
    }
}
