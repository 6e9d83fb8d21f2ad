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
        ITrainingObjective objective = hooks?.Objective
            ?? (o.PointsFraction is double fraction ? new PointSubsetObjective(fraction, spec.Convention, o.Seed) : DataObjective.For(spec));
        if (train.Samples < 1) throw new ArgumentException($"{train.SourcePath}: no training samples");
        if (test.Samples < 1) throw new ArgumentException($"{test.SourcePath}: no test samples");
        torch.manual_seed(o.Seed);

        var inputs = ChannelNormalization.Fit(train.Inputs, o.Normalization);
        var outputs = ChannelNormalization.Fit(train.Outputs, o.Normalization);
        using var trainData = TrainingData.Create(train, inputs, outputs, spec.SpatialDims);
        using var testData = TrainingData.Create(test, inputs, outputs, spec.SpatialDims);
        var modelOptions = (spec.ModelOptions with { InChannels = trainData.InputChannels.Sum(), OutChannels = trainData.OutputChannels.Sum() })
            .ForTrainingGrid(trainData.Grid).Validated();
        if (modelOptions is FnoOptions fourier) fourier.CheckModesFit(trainData.Grid);
        var runJson = spec.ToJson();
        if (spec.InitialWeights is { } from)
            runJson["initial_weights"] = new JsonObject
            {
                ["path"] = Path.GetRelativePath(Path.GetFullPath(runFolder), Path.GetFullPath(from)),
                ["weights_sha256"] = File.Exists(Path.Combine(from, OperatorCheckpoint.WeightsFile)) ? OperatorCheckpoint.Sha256Of(Path.Combine(from, OperatorCheckpoint.WeightsFile)) : null,
            };
        runJson["data"] = new JsonObject { ["train"] = DataFingerprint.Of(train).ToJson(), ["test"] = DataFingerprint.Of(test).ToJson() };
        using var model = OperatorModelRegistry.Default.Create(spec.ModelName, modelOptions);
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

        var (folder, state) = RunFolder.Open(runFolder, runJson, resume);
        int startEpoch = state.Epoch;
        var (trainScale, trainOffset) = trainData.OutputDecoder(outputs);
        var (testScale, testOffset) = testData.OutputDecoder(outputs);
        try
        {
            if (state.Epoch > 0)
            {
                state = RunState.Load(runFolder, model, optimizer);
                // metrics.csv may lag the published state after a full disk: rewrite it from the state.
                EpochMetrics.WriteAll(runFolder, state.History, Summary(runJson, train, test, state));
            }
            else if (spec.InitialWeights is { } initial) LoadInitialWeights(model, modelOptions, initial);
            var epochs = new EpochRunner(spec, objective, model, optimizer, trainData, testData, trainScale, trainOffset, testScale, testOffset, progress, cancellation);
            var history = state.History.ToList();
            for (int epoch = state.Epoch + 1; epoch <= o.Epochs; epoch++)
            {
                var metrics = epochs.Run(epoch, state.Epoch);
                history.Add(metrics);
                bool best = metrics.TestRelativeL2 < state.BestTestRelativeL2;
                state = new RunState(epoch, best ? epoch : state.BestEpoch, best ? metrics.TestRelativeL2 : state.BestTestRelativeL2, history.ToList());
                if (best) (checkpoint with { Training = Summary(runJson, train, test, state) }).Save(runFolder, model);
                state.Save(runFolder, model, optimizer);
                EpochMetrics.WriteAll(runFolder, history, Summary(runJson, train, test, state));
                if (best) hooks?.BestCheckpointSaved?.Invoke(epoch, runFolder);
                hooks?.EpochEnded?.Invoke(metrics);
                progress?.Invoke(new TrainingProgress(epoch, o.Epochs, epochs.Batches, epochs.Batches, metrics.TrainLoss, metrics));
            }
        }
        catch
        {
            folder.DiscardFailedStart();
            throw;
        }
        finally
        {
            trainScale.Dispose(); trainOffset.Dispose(); testScale.Dispose(); testOffset.Dispose();
        }
        return new TrainingResult(runFolder, state.History, state.BestEpoch, state.BestTestRelativeL2, model.ParameterCount(), startEpoch > 0);
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
            if (!prediction.isfinite().all().item<bool>()) throw new Inference.NonFinitePredictionException($"on samples {first} to {first + count - 1}");
            var target = data.Outputs.narrow(0, first, count);
            l2 += relL2.PerSample(prediction, target).sum().item<float>();
            h1 += relH1.PerSample(prediction, target).sum().item<float>();
            max = Math.Max(max, (prediction - target).abs().max().item<float>());
        }
        return (l2 / n, h1 / n, max);
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
