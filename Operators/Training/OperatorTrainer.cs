using System.Text.Json.Nodes;
using PdeOps.Datasets.Readers;
using PdeOps.Distributed;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace PdeOps.Operators.Training;

/// <summary>Progress of a training run, reported after every batch.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double RunningLoss, EpochMetrics? Finished);

/// <summary>What a training run produced.</summary>
public sealed record TrainingResult(string RunFolder, IReadOnlyList<EpochMetrics> History, int BestEpoch, double BestTestRelativeL2, long Parameters, bool Resumed)
{
    /// <summary>Ranks that trained together (1 for one process).</summary>
    public int Ranks { get; init; } = 1;

    /// <summary>Optimizer steps this call ran (those of a resumed run's earlier calls not counted).</summary>
    public long Steps { get; init; }

    /// <summary>Seconds this rank spent summing gradients over the ranks (0 for one process).</summary>
    public double CommunicationSeconds { get; init; }
}

/// <summary>
/// Trains a neural operator on a dataset and writes a run folder: the best checkpoint
/// (<see cref="OperatorCheckpoint"/>), <c>metrics.csv</c> and <c>metrics.json</c> after every epoch,
/// and <c>last/</c> (<see cref="RunState"/>: weights, optimizer state, history) for resuming. The
/// batch order of epoch e comes from a generator seeded by (seed, e) and the learning rate is a pure
/// function of the step (<see cref="LearningRateSchedule"/>), so a resumed run continues exactly
/// where an uninterrupted one would be. Each batch runs in its own dispose scope: memory does not
/// grow across epochs.
/// <para>
/// Settings, data and the model are checked before the run folder is touched; a run that fails
/// before its first epoch completes removes what it wrote. A NaN or infinite loss or test error
/// stops the run at the step where it appears (<see cref="TrainingDivergedException"/>) with the
/// best checkpoint and the last good state untouched.
/// </para>
/// </summary>
public static class OperatorTrainer
{
    /// <summary>Trains (or with <paramref name="resume"/>, continues) the run in <paramref name="runFolder"/>.</summary>
    /// <exception cref="ArgumentException">Settings or data are inconsistent.</exception>
    /// <exception cref="CheckpointException">The folder holds another run or other data, or cannot be resumed.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the test error became NaN or infinite.</exception>
    public static TrainingResult Train(TrainingSpec spec, OperatorDataset train, OperatorDataset test, string runFolder,
        bool resume = false, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default, TrainingHooks? hooks = null)
    {
        var o = spec.Options.Validated();
        using var group = new DataParallelGroup(hooks?.Communicator ?? SingleProcessCommunicator.Instance);
        ITrainingObjective objective = hooks?.Objective
            ?? (o.PointsFraction is double fraction ? new PointSubsetObjective(fraction, spec.Convention, o.Seed) : DataObjective.For(spec));
        if (train.Samples < 1) throw new ArgumentException($"{train.SourcePath}: no training samples");
        if (test.Samples < 1) throw new ArgumentException($"{test.SourcePath}: no test samples");
        var device = Runtime.TorchDevices.Resolve(spec.Device);
        torch.manual_seed(o.Seed);

        var inputs = ChannelNormalization.Fit(train.Inputs, o.Normalization);
        var outputs = ChannelNormalization.Fit(train.Outputs, o.Normalization);
        using var trainData = TrainingData.Create(train, inputs, outputs, spec.SpatialDims).To(device);
        using var testData = TrainingData.Create(test, inputs, outputs, spec.SpatialDims).To(device);
        // Grid-agnostic models take the coarsest grid they train on as their reference.
        int[] coarsest = TrainingResolutions.Coarsest(o.Resolutions, trainData.Grid, spec.Convention);
        DihedralAugmentation.CheckApplies(o, spec.SpatialDims, trainData.Grid);
        var modelOptions = (spec.ModelOptions with { InChannels = trainData.InputChannels.Sum(), OutChannels = trainData.OutputChannels.Sum() })
            .ForTrainingGrid(coarsest).Validated();
        if (modelOptions is FnoOptions fourier)
        {
            fourier.CheckModesFit(coarsest);
            fourier.CheckLocalKernelsFit(coarsest);
        }
        var runJson = spec.ToJson();
        if (spec.InitialWeights is { } from)
            runJson["initial_weights"] = new JsonObject
            {
                ["path"] = Path.GetRelativePath(Path.GetFullPath(runFolder), Path.GetFullPath(from)),
                ["weights_sha256"] = File.Exists(Path.Combine(from, OperatorCheckpoint.WeightsFile)) ? OperatorCheckpoint.Sha256Of(Path.Combine(from, OperatorCheckpoint.WeightsFile)) : null,
            };
        runJson["data"] = new JsonObject { ["train"] = DataFingerprint.Of(train).ToJson(), ["test"] = DataFingerprint.Of(test).ToJson() };
        RequireSameRun(group, runJson, runFolder, resume);
        using var model = OperatorModelRegistry.Default.Create(spec.ModelName, modelOptions);
        // Weights are drawn on the CPU (the same on every device), then moved with the optimizer's state to follow.
        if (device.type != DeviceType.CPU) model.to(device);
        var checkpoint = new OperatorCheckpoint
        {
            ModelName = spec.ModelName,
            OptionsJson = modelOptions.ToJson(),
            SpatialDims = spec.SpatialDims,
            TrainingGrid = trainData.Grid,
            Convention = spec.Convention,
            Inputs = inputs,
            InputChannels = trainData.InputChannels,
            Outputs = outputs,
            OutputChannels = trainData.OutputChannels,
        };
        var parameters = model.parameters().ToList();
        using var optimizer = o.Optimizer == OptimizerKind.AdamW
            ? (TorchSharp.Modules.OptimizerHelper)optim.AdamW(parameters, o.LearningRate, weight_decay: o.WeightDecay)
            : optim.Adam(parameters, o.LearningRate, weight_decay: o.WeightDecay);

        var (folder, state) = Open(group, runFolder, runJson, resume);
        int startEpoch = state.Epoch;
        var (trainScale, trainOffset) = trainData.OutputDecoder(outputs);
        var (testScale, testOffset) = testData.OutputDecoder(outputs);
        try
        {
            if (state.Epoch > 0)
            {
                state = group.Communicator.Together(() =>
                {
                    var loaded = RunState.Load(runFolder, model, optimizer);
                    // metrics.csv may lag the published state after a full disk: rewrite it from the state.
                    if (group.IsWriter) EpochMetrics.WriteAll(runFolder, loaded.History, Summary(runJson, train, test, loaded));
                    return loaded;
                });
            }
            else
            {
                if (spec.InitialWeights is { } initial) group.Communicator.Together(() => { if (group.IsWriter) LoadInitialWeights(model, modelOptions, initial); });
                group.BroadcastParameters(model);
            }
            var epochs = new EpochRunner(spec, objective, model, optimizer, trainData, testData, trainScale, trainOffset, testScale, testOffset, progress, cancellation, group);
            var history = state.History.ToList();
            for (int epoch = state.Epoch + 1; epoch <= o.Epochs; epoch++)
            {
                var metrics = epochs.Run(epoch, state.Epoch);
                group.CheckInSync(model, epoch);
                history.Add(metrics);
                bool best = metrics.TestRelativeL2 < state.BestTestRelativeL2;
                state = new RunState(epoch, best ? epoch : state.BestEpoch, best ? metrics.TestRelativeL2 : state.BestTestRelativeL2, history.ToList());
                var published = state;
                // Rank 0 writes; a failure there stops every rank at this point.
                group.Communicator.Together(() =>
                {
                    if (!group.IsWriter) return;
                    if (best) (checkpoint with { Training = Summary(runJson, train, test, published) }).Save(runFolder, model);
                    published.Save(runFolder, model, optimizer);
                    EpochMetrics.WriteAll(runFolder, history, Summary(runJson, train, test, published));
                    if (best) hooks?.BestCheckpointSaved?.Invoke(epoch, runFolder);
                });
                hooks?.EpochEnded?.Invoke(metrics);
                progress?.Invoke(new TrainingProgress(epoch, o.Epochs, epochs.Batches, epochs.Batches, metrics.TrainLoss, metrics));
            }
        }
        catch
        {
            folder?.DiscardFailedStart();
            throw;
        }
        finally
        {
            trainScale.Dispose(); trainOffset.Dispose(); testScale.Dispose(); testOffset.Dispose();
            folder?.Dispose();
        }
        return new TrainingResult(runFolder, state.History, state.BestEpoch, state.BestTestRelativeL2, model.ParameterCount(), startEpoch > 0)
        {
            Ranks = group.Size,
            Steps = (long)(state.Epoch - startEpoch) * ((train.Samples + o.BatchSize - 1) / o.BatchSize),
            CommunicationSeconds = group.CommunicationTime.TotalSeconds,
        };
    }

    /// <summary>
    /// Refuses, on every rank alike, ranks that would train different runs: other settings, data,
    /// run folder or resume flag than rank 0's.
    /// </summary>
    static void RequireSameRun(DataParallelGroup group, JsonObject runJson, string runFolder, bool resume)
    {
        if (group.Alone) return;
        var compared = JsonNode.Parse(runJson.ToJsonString())!.AsObject();
        compared["run_folder"] = Path.GetFullPath(runFolder);
        compared["resume"] = resume;
        group.Communicator.RequireSame("settings or data", compared.ToJsonString(),
            (reference, mine) => RunFolder.Difference(JsonNode.Parse(reference), JsonNode.Parse(mine), then: "on rank 0", current: "here"));
    }

    /// <summary>
    /// Opens the run folder on rank 0 (the only rank that writes it) and gives every rank its
    /// published state; the other ranks read that state themselves, so the folder must be on
    /// storage that every rank sees, as cluster file systems are.
    /// </summary>
    static (RunFolder? Folder, RunState State) Open(DataParallelGroup group, string runFolder, JsonObject runJson, bool resume)
    {
        var (folder, state) = group.Communicator.Together(() => group.IsWriter ? RunFolder.Open(runFolder, runJson, resume) : ((RunFolder?)null, RunState.Initial));
        if (group.Alone) return (folder, state);
        double[] sum = [group.IsWriter ? state.Epoch : 0];
        group.Sum(sum);
        int published = (int)sum[0];
        var seen = group.Communicator.Together(() =>
        {
            if (group.IsWriter) return state;
            var mine = RunState.Load(runFolder);
            if (mine.Epoch != published)
                throw new CheckpointException(runFolder, $"rank {group.Rank} sees epoch {mine.Epoch} published here but rank 0 sees {published}: the run folder must be on storage that every rank shares");
            return mine;
        });
        return (folder, seen);
    }
    /// <summary>Copies the weights of the checkpoint in <paramref name="folder"/> into <paramref name="model"/>, which must have the same architecture.</summary>
    static void LoadInitialWeights(NeuralOperatorModel model, NeuralOperatorOptions options, string folder)
    {
        var source = OperatorCheckpoint.Read(folder);
        // Read back through the options type, so that an option added after the checkpoint was written
        // compares at its default; the padding may differ (fine-tuning on another grid).
        if (source.ModelName != model.ModelName
            || !JsonNode.DeepEquals(JsonNode.Parse(NeuralOperatorOptions.FromJson(source.OptionsJson, options.GetType()).WithoutEdgeSettings().ToJson()),
                JsonNode.Parse(options.WithoutEdgeSettings().ToJson())))
            throw new CheckpointException(folder, $"its {source.ModelName} architecture differs from the {model.ModelName} this run trains; initial weights need the same model and options (the padding may differ)");
        source.LoadWeights(model, folder);
    }

    /// <summary>Mean relative L2 and H1 errors of <paramref name="model"/> on <paramref name="data"/>, without gradients.</summary>
    public static (double RelativeL2, double RelativeH1) Evaluate(NeuralOperatorModel model, TrainingData data, Tensor scale, Tensor offset,
        RelativeL2Loss relL2, RelativeH1Loss relH1, int batchSize)
    {
        model.eval();
        var (l2, h1, _) = Errors(x => (model.call(x) * scale).Plus(offset), data, relL2, relH1, batchSize);
        return (l2, h1);
    }

    /// <summary>
    /// Mean relative L2 and H1 errors and the largest pointwise error of <paramref name="forwardRaw"/>
    /// (normalized inputs to raw outputs) on <paramref name="data"/>, batch by batch without gradients.
    /// </summary>
    internal static (double RelativeL2, double RelativeH1, double MaxError) Errors(Func<Tensor, Tensor> forwardRaw, TrainingData data,
        RelativeL2Loss relL2, RelativeH1Loss relH1, int batchSize)
    {
        var (l2, h1, max) = ErrorSums(forwardRaw, data, relL2, relH1, batchSize, 0, data.Samples);
        return (l2 / data.Samples, h1 / data.Samples, max);
    }

    /// <summary>
    /// Sums of the relative L2 and H1 errors and the largest pointwise error of <paramref name="forwardRaw"/>
    /// over the samples [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of <paramref name="data"/>.
    /// </summary>
    internal static (double RelativeL2Sum, double RelativeH1Sum, double MaxError) ErrorSums(Func<Tensor, Tensor> forwardRaw, TrainingData data,
        RelativeL2Loss relL2, RelativeH1Loss relH1, int batchSize, long start, long length)
    {
        using var noGrad = no_grad();
        double l2 = 0, h1 = 0, max = 0;
        long n = start + length;
        for (long first = start; first < n; first += batchSize)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(batchSize, n - first);
            var prediction = forwardRaw(data.Inputs.narrow(0, first, count));
            if (!prediction.isfinite().all().item<bool>()) throw new Inference.NonFinitePredictionException($"on samples {first} to {first + count - 1}");
            var target = data.Outputs.narrow(0, first, count);
            l2 += relL2.PerSample(prediction, target).sum().item<float>();
            h1 += relH1.PerSample(prediction, target).sum().item<float>();
            max = Math.Max(max, (prediction - target).abs().max().item<float>());
        }
        return (l2, h1, max);
    }

    static JsonObject Summary(JsonObject runJson, OperatorDataset train, OperatorDataset test, RunState state) => new()
    {
        ["spec"] = WithoutData(runJson),
        ["train_data"] = runJson["data"]!["train"]!.DeepClone(),
        ["train_samples"] = train.Samples,
        ["test_data"] = runJson["data"]!["test"]!.DeepClone(),
        ["test_samples"] = test.Samples,
        ["epochs_completed"] = state.Epoch,
        ["best_epoch"] = state.BestEpoch,
        ["best_test_rel_l2"] = state.BestEpoch > 0 ? state.BestTestRelativeL2 : null,
    };

    static JsonObject WithoutData(JsonObject runJson)
    {
        var spec = JsonNode.Parse(runJson.ToJsonString())!.AsObject();
        spec.Remove("data");
        return spec;
    }
}
