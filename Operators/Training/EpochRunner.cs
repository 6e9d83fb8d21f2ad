using System.Diagnostics;
using PdeOps.Distributed;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Training;

/// <summary>
/// The epoch of a training run, in its three steps: the optimizer step of one batch, the pass over
/// the training set in the epoch's order, and the evaluation on the test set; each checks for
/// divergence where it can first be seen (<see cref="TrainingDivergedException"/>). In a
/// <see cref="DataParallelGroup"/> of several ranks each rank computes its share of every batch and
/// of the test set, and the gradients, losses and errors are summed over the ranks.
/// </summary>
internal sealed class EpochRunner(TrainingSpec spec, ITrainingObjective objective, NeuralOperatorModel model, TorchSharp.Modules.OptimizerHelper optimizer,
    TrainingData trainData, TrainingData testData, Tensor trainScale, Tensor trainOffset, Tensor testScale, Tensor testOffset,
    Action<TrainingProgress>? progress, CancellationToken cancellation, DataParallelGroup group)
{
    readonly IReadOnlyList<TorchSharp.Modules.Parameter> _parameters = model.parameters().ToList();

    /// <summary>Odd multiplier that separates the batch-order streams of (seed, epoch) pairs.</summary>
    const long EpochSeedStride = 1_000_003;

    readonly TrainingOptions _o = spec.Options;
    readonly RelativeL2Loss _relL2 = new(spec.SpatialDims, spec.Convention);
    readonly RelativeH1Loss _relH1 = new(spec.SpatialDims, spec.Convention);
    readonly int[] _strides = TrainingResolutions.Strides(spec.Options.Resolutions, trainData.Grid, spec.Convention);

    /// <summary>Optimizer steps per epoch.</summary>
    public int Batches => (int)((trainData.Samples + _o.BatchSize - 1) / _o.BatchSize);

    /// <summary>Trains epoch <paramref name="epoch"/> (from 1) and evaluates it.</summary>
    public EpochMetrics Run(int epoch, int lastGoodEpoch)
    {
        var watch = Stopwatch.StartNew();
        long n = trainData.Samples;
        long totalSteps = (long)Batches * _o.Epochs;
        model.train();
        double lossSum = 0, lr = 0;
        using (var order = randperm(n, generator: new Generator((ulong)(_o.Seed * EpochSeedStride + epoch), CPU)))
        {
            for (int b = 0; b < Batches; b++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                long first = (long)b * _o.BatchSize, count = Math.Min(_o.BatchSize, n - first);
                lr = LearningRateSchedule.At(_o, (long)(epoch - 1) * Batches + b, totalSteps, Batches);
                float loss = Step(order.narrow(0, first, count), lr, epoch, b + 1, lastGoodEpoch, (long)(epoch - 1) * Batches + b);
                lossSum += loss * count;
                progress?.Invoke(new TrainingProgress(epoch, _o.Epochs, b + 1, Batches, lossSum / (first + count), null));
            }
        }
        if (model.FirstNonFiniteParameter() is { } name)
            throw new TrainingDivergedException($"parameter '{name}' became NaN or infinite", epoch, Batches, lr, lastGoodEpoch);
        var (testL2, testH1) = Evaluate(epoch, lr, lastGoodEpoch);
        return new EpochMetrics(epoch, lossSum / n, testL2, testH1, lr, watch.Elapsed.TotalSeconds);
    }

    /// <summary>One optimizer step on the samples <paramref name="index"/>; returns the batch's loss.</summary>
    float Step(Tensor index, double lr, int epoch, int step, int lastGoodEpoch, long globalStep)
    {
        if (!group.Alone) return SharedStep(index, lr, epoch, step, lastGoodEpoch, globalStep);
        index = index.to(trainData.Inputs.device);
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
        optimizer.zero_grad();
        var value = objective.Loss(model, BatchOf(index, globalStep));
        float v = value.item<float>();
        // Checked before the step: diverged gradients never reach the weights.
        if (!float.IsFinite(v)) throw new TrainingDivergedException($"loss became {v}", epoch, step, lr, lastGoodEpoch);
        value.backward();
        optimizer.step();
        return v;
    }

    /// <summary>
    /// The step of one rank of several: its share of the batch <paramref name="index"/>, its loss
    /// weighted by that share before backward, then the gradients and losses summed over the ranks.
    /// A rank whose share is empty (a last batch smaller than the group) runs one sample with weight
    /// zero, so that its gradients exist for the same parameters as everyone else's.
    /// </summary>
    float SharedStep(Tensor index, double lr, int epoch, int step, int lastGoodEpoch, long globalStep)
    {
        long batch = index.shape[0];
        var (first, count) = group.Share(batch);
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
        optimizer.zero_grad();
        float weighted = 0;
        Exception? failure = null;
        try
        {
            var mine = (count > 0 ? index.narrow(0, first, count) : index.narrow(0, 0, 1)).to(trainData.Inputs.device);
            var value = objective.Loss(model, BatchOf(mine, globalStep, count > 0 ? first : 0, batch));
            double share = (double)count / batch;
            weighted = count > 0 ? (float)(value.item<float>() * share) : 0;
            (value * share).backward();
        }
        catch (Exception e) { failure = e; }
        float v = group.ReduceGradients(_parameters, weighted, failure);
        // Every rank sees the same sum, so every rank stops here alike.
        if (!float.IsFinite(v)) throw new TrainingDivergedException($"loss became {v}", epoch, step, lr, lastGoodEpoch);
        optimizer.step();
        return v;
    }

    /// <summary>The samples <paramref name="index"/> on the grid of step <paramref name="globalStep"/> (<see cref="TrainingResolutions"/>).</summary>
    TrainingBatch BatchOf(Tensor index, long globalStep, long batchOffset = 0, long? batchSize = null)
    {
        int stride = _strides[globalStep % _strides.Length];
        Tensor OnGrid(Tensor t) => TrainingResolutions.Subsample(t, stride, spec.SpatialDims);
        var x = OnGrid(trainData.Inputs.index_select(0, index)).contiguous();
        var y = OnGrid(trainData.Outputs.index_select(0, index)).contiguous();
        if (_o.Augmentation == AugmentationKind.Dihedral)
            (x, y) = DihedralAugmentation.Apply(x, y, DihedralAugmentation.Elements(_o.Seed, globalStep, batchOffset, index.shape[0], batchSize ?? index.shape[0]));
        return new TrainingBatch(x, y, OnGrid(trainScale), OnGrid(trainOffset), globalStep, batchOffset, batchSize);
    }

    /// <summary>Mean relative L2 and H1 test errors after epoch <paramref name="epoch"/>, each rank evaluating its share of the test set.</summary>
    (double L2, double H1) Evaluate(int epoch, double lr, int lastGoodEpoch)
    {
        double testL2, testH1;
        try
        {
            var (first, count) = group.Share(testData.Samples);
            var (l2, h1) = group.Communicator.Together(() =>
            {
                model.eval();
                var (l2Sum, h1Sum, _) = OperatorTrainer.ErrorSums(x => (model.call(x) * testScale).Plus(testOffset), testData, _relL2, _relH1, _o.BatchSize, first, count);
                return (l2Sum, h1Sum);
            });
            Span<double> sums = [l2, h1];
            group.Sum(sums);
            (testL2, testH1) = (sums[0] / testData.Samples, sums[1] / testData.Samples);
        }
        catch (Inference.NonFinitePredictionException)
        {
            throw new TrainingDivergedException("the test predictions became NaN or infinite", epoch, Batches, lr, lastGoodEpoch);
        }
        if (!double.IsFinite(testL2) || !double.IsFinite(testH1))
            throw new TrainingDivergedException($"the test error became {testL2}", epoch, Batches, lr, lastGoodEpoch);
        return (testL2, testH1);
    }
}
