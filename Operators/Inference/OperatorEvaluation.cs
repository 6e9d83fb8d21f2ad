using PdeOps.Datasets.Readers;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Training;

namespace PdeOps.Operators.Inference;

/// <summary>Errors of a trained operator on one dataset at one resolution.</summary>
public sealed record EvaluationResult(int[] Grid, int Samples, double RelativeL2, double RelativeH1, double MaxError);

/// <summary>
/// Evaluates a <see cref="NeuralOperator"/> on a dataset, at its own resolution or subsampled to
/// coarser ones (zero-shot evaluation across resolutions for resolution-independent models):
/// mean relative L2 and H1 errors per sample (function-space norms with the training grid's
/// quadrature) and the largest pointwise error.
/// </summary>
public static class OperatorEvaluation
{
    /// <summary>
    /// Evaluates on <paramref name="data"/> as stored, <paramref name="batchSize"/> samples per
    /// forward pass or fewer where that many would not fit in memory (<see cref="NeuralOperator.BatchThatFits"/>).
    /// </summary>
    public static EvaluationResult Evaluate(NeuralOperator op, OperatorDataset data, int batchSize = 20)
    {
        var inputs = op.Checkpoint.Inputs;
        var outputs = op.Checkpoint.Outputs;
        using var tensors = TrainingData.Create(data, inputs, outputs, op.SpatialDims);
        batchSize = op.BatchThatFits(batchSize, tensors.Grid);
        var relL2 = new RelativeL2Loss(op.SpatialDims, op.Convention);
        var relH1 = new RelativeH1Loss(op.SpatialDims, op.Convention);
        return op.Locked(() =>
        {
            var (l2, h1, max) = OperatorTrainer.Errors(x => op.ForwardRaw(x, tensors.Grid), tensors, relL2, relH1, batchSize);
            return new EvaluationResult(tensors.Grid, (int)tensors.Samples, l2, h1, max);
        });
    }

    /// <summary>
    /// Evaluates at each of <paramref name="resolutions"/> (points per axis) by subsampling
    /// <paramref name="data"/>: on closed grids (R - 1) must divide (N - 1), on periodic grids R must divide N.
    /// </summary>
    /// <exception cref="ArgumentException">A resolution cannot be reached by subsampling.</exception>
    public static IReadOnlyList<EvaluationResult> AcrossResolutions(NeuralOperator op, OperatorDataset data, IReadOnlyList<int> resolutions, int batchSize = 20)
    {
        int stored = data.Outputs[0].Shape[^1];
        var results = new List<EvaluationResult>();
        foreach (int r in resolutions)
        {
            int stride = StrideTo(stored, r, op.Convention);
            results.Add(Evaluate(op, stride == 1 ? data : data.Subsample(stride), batchSize));
        }
        return results;
    }

    /// <summary>The subsampling stride from <paramref name="stored"/> to <paramref name="target"/> points.</summary>
    public static int StrideTo(int stored, int target, GridConvention convention)
    {
        if (target == stored) return 1;
        bool ok = convention == GridConvention.Closed
            ? target >= 2 && target < stored && (stored - 1) % (target - 1) == 0
            : target >= 2 && target < stored && stored % target == 0;
        if (!ok)
            throw new ArgumentException(convention == GridConvention.Closed
                ? $"resolution {target} cannot be reached from {stored} points by subsampling: (resolution - 1) must divide {stored - 1}"
                : $"resolution {target} cannot be reached from {stored} periodic points: it must divide {stored}");
        return convention == GridConvention.Closed ? (stored - 1) / (target - 1) : stored / target;
    }
}
