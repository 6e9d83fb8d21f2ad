using System.Diagnostics;
using System.Text.Json.Nodes;
using PdeOps.Datasets.Readers;
using PdeOps.Operators.Checkpoints;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace PdeOps.Operators.Training;

/// <summary>Progress of a training run, reported after every batch.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double RunningLoss, EpochMetrics? Finished);

/// <summary>What a training run produced.</summary>
public sealed record TrainingResult(string RunFolder, IReadOnlyList<EpochMetrics> History, int BestEpoch, double BestTestRelativeL2, long Parameters, bool Resumed);

/// <summary>
/// Trains a neural operator on a dataset and writes a run folder: the best checkpoint
/// (<see cref="OperatorCheckpoint"/>), <c>metrics.csv</c> and <c>metrics.json</c> after every epoch,
/// and <c>last/</c> (weights, optimizer state, epoch) for resuming. The batch order of epoch e
/// comes from a generator seeded by (seed, e) and the learning rate is a pure function of the step
/// (<see cref="LearningRateSchedule"/>), so a resumed run continues exactly where an uninterrupted
/// one would be. Each batch runs in its own dispose scope: memory does not grow across epochs.
/// </summary>
public static class OperatorTrainer
{
    const string LastFolder = "last";

    /// <summary>Trains (or with <paramref name="resume"/>, continues) the run in <paramref name="runFolder"/>.</summary>
    /// <exception cref="ArgumentException">Settings or data are inconsistent.</exception>
    /// <exception cref="CheckpointException">The folder holds another run, or cannot be resumed.</exception>
    public static TrainingResult Train(TrainingSpec spec, OperatorDataset train, OperatorDataset test, string runFolder,
        bool resume = false, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        var o = spec.Options.Validated();
        torch.set_num_threads(o.Threads);
        torch.manual_seed(o.Seed);
        var runJson = spec.ToJson();
        var (startEpoch, history, bestEpoch, bestL2) = PrepareFolder(runFolder, runJson, resume);

        var inNames = train.Inputs.Select(a => a.Name).ToList();
        var outNames = train.Outputs.Select(a => a.Name).ToList();
        var inputs = ChannelNormalization.Fit(train.Inputs, o.Normalization);
        var outputs = ChannelNormalization.Fit(train.Outputs, o.Normalization);
        using var trainData = TrainingData.Create(train, inputs, outputs, spec.SpatialDims);
        using var testData = TrainingData.Create(test, inputs, outputs, spec.SpatialDims);
        var modelOptions = spec.ModelOptions with { InChannels = trainData.InputChannels.Sum(), OutChannels = trainData.OutputChannels.Sum() };
        // Padding that scales with the grid keeps a padded FNO usable at other resolutions.
        if (modelOptions is FnoOptions { Padding: > 0, PaddingReferenceSize: null } fno) modelOptions = fno with { PaddingReferenceSize = trainData.Grid[0] };
        using var model = OperatorModelRegistry.Default.Create(spec.ModelName, modelOptions);
        if (startEpoch == 0 && spec.InitialWeights is { } initial) LoadInitialWeights(model, modelOptions, initial);
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
        string last = Path.Combine(runFolder, LastFolder);
        if (startEpoch > 0)
        {
            model.load(Path.Combine(last, OperatorCheckpoint.WeightsFile));
            optimizer.load_state_dict(Path.Combine(last, "optimizer.bin"));
        }

        var (trainScale, trainOffset) = trainData.OutputDecoder(outputs);
        var (testScale, testOffset) = testData.OutputDecoder(outputs);
        IOperatorLoss loss = o.Loss switch
        {
            LossKind.RelativeH1 => new RelativeH1Loss(spec.SpatialDims, spec.Convention),
            LossKind.Mse => new MseLoss(),
            _ => new RelativeL2Loss(spec.SpatialDims, spec.Convention),
        };
        var relL2 = new RelativeL2Loss(spec.SpatialDims, spec.Convention);
        var relH1 = new RelativeH1Loss(spec.SpatialDims, spec.Convention);
        long n = trainData.Samples;
        int batches = (int)((n + o.BatchSize - 1) / o.BatchSize);
        long totalSteps = (long)batches * o.Epochs;
        try
        {
            for (int epoch = startEpoch + 1; epoch <= o.Epochs; epoch++)
            {
                var watch = Stopwatch.StartNew();
                model.train();
                double lossSum = 0;
                double lr = 0;
                using (var order = randperm(n, generator: new Generator((ulong)(o.Seed * 1_000_003 + epoch), CPU)))
                {
                    for (int b = 0; b < batches; b++)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        using var scope = NewDisposeScope();
                        long first = (long)b * o.BatchSize, count = Math.Min(o.BatchSize, n - first);
                        var index = order.narrow(0, first, count);
                        var x = trainData.Inputs.index_select(0, index);
                        var y = trainData.Outputs.index_select(0, index);
                        lr = LearningRateSchedule.At(o, (long)(epoch - 1) * batches + b, totalSteps, batches);
                        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
                        optimizer.zero_grad();
                        var prediction = model.call(x) * trainScale + trainOffset;
                        var value = loss.Compute(prediction, y);
                        value.backward();
                        optimizer.step();
                        lossSum += value.item<float>() * count;
                        progress?.Invoke(new TrainingProgress(epoch, o.Epochs, b + 1, batches, lossSum / (first + count), null));
                    }
                }
                var (testL2, testH1) = Evaluate(model, testData, testScale, testOffset, relL2, relH1, o.BatchSize);
                var metrics = new EpochMetrics(epoch, lossSum / n, testL2, testH1, lr, watch.Elapsed.TotalSeconds);
                history.Add(metrics);
                if (testL2 < bestL2)
                {
                    bestL2 = testL2; bestEpoch = epoch;
                    (checkpoint with { Training = Summary(spec, train, test, history, bestEpoch, bestL2) }).Save(runFolder, model);
                }
                SaveLast(last, model, optimizer, epoch, bestEpoch, bestL2);
                EpochMetrics.WriteAll(runFolder, history, Summary(spec, train, test, history, bestEpoch, bestL2));
                progress?.Invoke(new TrainingProgress(epoch, o.Epochs, batches, batches, metrics.TrainLoss, metrics));
            }
        }
        finally
        {
            trainScale.Dispose(); trainOffset.Dispose(); testScale.Dispose(); testOffset.Dispose();
        }
        return new TrainingResult(runFolder, history, bestEpoch, bestL2, model.ParameterCount(), startEpoch > 0);
    }

    /// <summary>Copies the weights of the checkpoint in <paramref name="folder"/> into <paramref name="model"/>, which must have the same architecture.</summary>
    static void LoadInitialWeights(NeuralOperatorModel model, NeuralOperatorOptions options, string folder)
    {
        var source = OperatorCheckpoint.Read(folder);
        if (source.ModelName != model.ModelName || !JsonNode.DeepEquals(JsonNode.Parse(source.OptionsJson), JsonNode.Parse(options.ToJson())))
            throw new CheckpointException(folder, $"its {source.ModelName} architecture differs from the {model.ModelName} this run trains; initial weights need the same model and options");
        source.LoadWeights(model, folder);
    }

    /// <summary>Mean relative L2 and H1 errors of <paramref name="model"/> on <paramref name="data"/>, without gradients.</summary>
    public static (double RelativeL2, double RelativeH1) Evaluate(NeuralOperatorModel model, TrainingData data, Tensor scale, Tensor offset,
        RelativeL2Loss relL2, RelativeH1Loss relH1, int batchSize)
    {
        model.eval();
        var (l2, h1, _) = Errors(x => model.call(x) * scale + offset, data, relL2, relH1, batchSize);
        return (l2, h1);
    }

    /// <summary>
    /// Mean relative L2 and H1 errors and the largest pointwise error of <paramref name="forwardRaw"/>
    /// (normalized inputs to raw outputs) on <paramref name="data"/>, batch by batch without gradients.
    /// </summary>
    internal static (double RelativeL2, double RelativeH1, double MaxError) Errors(Func<Tensor, Tensor> forwardRaw, TrainingData data,
        RelativeL2Loss relL2, RelativeH1Loss relH1, int batchSize)
    {
        using var noGrad = no_grad();
        double l2 = 0, h1 = 0, max = 0;
        long n = data.Samples;
        for (long first = 0; first < n; first += batchSize)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(batchSize, n - first);
            var prediction = forwardRaw(data.Inputs.narrow(0, first, count));
            var target = data.Outputs.narrow(0, first, count);
            l2 += relL2.PerSample(prediction, target).sum().item<float>();
            h1 += relH1.PerSample(prediction, target).sum().item<float>();
            max = Math.Max(max, (prediction - target).abs().max().item<float>());
        }
        return (l2 / n, h1 / n, max);
    }

    static JsonObject Summary(TrainingSpec spec, OperatorDataset train, OperatorDataset test, IReadOnlyList<EpochMetrics> history, int bestEpoch, double bestL2) => new()
    {
        ["spec"] = spec.ToJson(),
        ["train_data"] = train.SourcePath,
        ["train_samples"] = train.Samples,
        ["test_data"] = test.SourcePath,
        ["test_samples"] = test.Samples,
        ["epochs_completed"] = history.Count,
        ["best_epoch"] = bestEpoch,
        ["best_test_rel_l2"] = bestL2,
    };

    static void SaveLast(string folder, NeuralOperatorModel model, TorchSharp.Modules.OptimizerHelper optimizer, int epoch, int bestEpoch, double bestL2)
    {
        Directory.CreateDirectory(folder);
        OperatorCheckpoint.SaveWeights(model, Path.Combine(folder, OperatorCheckpoint.WeightsFile));
        string opt = Path.Combine(folder, "optimizer.bin");
        optimizer.save_state_dict(opt + ".tmp");
        File.Move(opt + ".tmp", opt, overwrite: true);
        // state.json last: an epoch counts as saved only once its weights and optimizer state are.
        var state = new JsonObject { ["epoch"] = epoch, ["best_epoch"] = bestEpoch, ["best_test_rel_l2"] = bestL2 };
        OperatorCheckpoint.WriteAtomically(Path.Combine(folder, "state.json"), state.ToJsonString());
    }

    static (int StartEpoch, List<EpochMetrics> History, int BestEpoch, double BestL2) PrepareFolder(string folder, JsonObject runJson, bool resume)
    {
        string runFile = Path.Combine(folder, "run.json");
        if (!resume)
        {
            if (File.Exists(runFile) || File.Exists(Path.Combine(folder, OperatorCheckpoint.DescriptionFile)))
                throw new CheckpointException(folder, "a training run already lives here; pass --resume to continue it or choose another --out");
            Directory.CreateDirectory(folder);
            OperatorCheckpoint.WriteAtomically(runFile, runJson.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            return (0, [], 0, double.PositiveInfinity);
        }
        if (!File.Exists(runFile)) throw new CheckpointException(folder, "no run.json: nothing to resume");
        var recorded = JsonNode.Parse(File.ReadAllText(runFile))!;
        var recordedThreadless = Threadless(recorded);
        if (!JsonNode.DeepEquals(recordedThreadless, Threadless(runJson)))
            throw new CheckpointException(folder, "the run was started with other settings; resume needs the same model, options and training settings");
        string stateFile = Path.Combine(folder, LastFolder, "state.json");
        if (!File.Exists(stateFile)) return (0, [], 0, double.PositiveInfinity); // killed before the first epoch ended
        var state = JsonNode.Parse(File.ReadAllText(stateFile))!;
        int epoch = state["epoch"]!.GetValue<int>();
        var history = File.Exists(Path.Combine(folder, "metrics.csv")) ? EpochMetrics.ReadAll(folder).Where(m => m.Epoch <= epoch).ToList() : [];
        if (history.Count != epoch) throw new CheckpointException(folder, $"metrics.csv holds {history.Count} epochs but the saved state is at epoch {epoch}");
        return (epoch, history, state["best_epoch"]!.GetValue<int>(), state["best_test_rel_l2"]!.GetValue<double>());
    }

    // Threads change speed, not results: a run may be resumed with another thread count.
    static JsonNode Threadless(JsonNode run)
    {
        var copy = JsonNode.Parse(run.ToJsonString())!;
        copy["training"]?.AsObject().Remove("threads");
        return copy;
    }
}
