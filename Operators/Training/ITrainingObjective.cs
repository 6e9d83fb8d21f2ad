using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Training;

/// <summary>One training batch as the trainer hands it to an <see cref="ITrainingObjective"/>.</summary>
public sealed class TrainingBatch
{
    readonly Tensor _scale, _offset;

    internal TrainingBatch(Tensor inputs, Tensor targets, Tensor scale, Tensor offset, long step = 0, long batchOffset = 0, long? batchSize = null)
    {
        Inputs = inputs; Targets = targets; _scale = scale; _offset = offset; Step = step;
        BatchOffset = batchOffset;
        BatchSize = batchSize ?? inputs.shape[0];
    }

    /// <summary>
    /// The optimizer step this batch belongs to, counted from 0 over the whole run: a pure
    /// function of the run's progress, so an objective that draws random numbers from it (a
    /// subset of points) draws the same ones after a resume.
    /// </summary>
    public long Step { get; }

    /// <summary>
    /// Where these samples start in the step's whole batch: 0 in one process; in data-parallel
    /// training each rank holds the rows [BatchOffset, BatchOffset + Inputs.shape[0]) of a batch of
    /// <see cref="BatchSize"/> samples. An objective that draws random numbers per sample draws them
    /// for the whole batch and keeps its rows, so that every rank count trains alike.
    /// </summary>
    public long BatchOffset { get; }

    /// <summary>Samples in the step's whole batch, over all ranks.</summary>
    public long BatchSize { get; }

    /// <summary>Decodes normalized model outputs on the grid (batch, out, grid...) to raw units (the affine map of the output normalizer).</summary>
    public Tensor Decode(Tensor normalized) => (normalized * _scale).Plus(_offset);

    /// <summary>
    /// Decodes normalized outputs (batch, k, out) at the grid points <paramref name="index"/>
    /// (batch, k; row-major flat indices of the grid) to raw units.
    /// </summary>
    public Tensor DecodePoints(Tensor normalized, Tensor index)
    {
        Tensor AtPoints(Tensor field)
        {
            var flat = field.flatten(2).transpose(1, 2).expand(normalized.shape[0], -1, -1);            // (B, n, out)
            return flat.gather(1, index.unsqueeze(-1).expand(-1, -1, flat.shape[2]));
        }
        return (normalized * AtPoints(_scale)).Plus(AtPoints(_offset));
    }

    /// <summary>Normalized inputs (batch, input channels, grid...).</summary>
    public Tensor Inputs { get; }

    /// <summary>Targets in raw units (batch, output channels, grid...).</summary>
    public Tensor Targets { get; }

    /// <summary>The model's prediction for <see cref="Inputs"/> in raw units, with gradients.</summary>
    public Tensor Predict(NeuralOperatorModel model) => Decode(model.call(Inputs));
}

/// <summary>
/// What a training step minimises: the extension point through which a data loss, a physics loss
/// (a PDE residual on the prediction) or both drive the same trainer, run folders and resume.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>The scalar loss of one batch, with gradients; the trainer checks it is finite, then calls backward.</summary>
    Tensor Loss(NeuralOperatorModel model, TrainingBatch batch);
}

/// <summary>The data loss: a function-space distance between prediction and target (the default objective).</summary>
public sealed class DataObjective(IOperatorLoss loss) : ITrainingObjective
{
    /// <summary>The loss measuring prediction against target.</summary>
    public IOperatorLoss Distance { get; } = loss;

    /// <inheritdoc/>
    public Tensor Loss(NeuralOperatorModel model, TrainingBatch batch) => Distance.Compute(batch.Predict(model), batch.Targets);

    /// <summary>The data objective of <paramref name="spec"/>'s loss setting.</summary>
    public static DataObjective For(TrainingSpec spec) => new(spec.Options.Loss switch
    {
        LossKind.RelativeH1 => new RelativeH1Loss(spec.SpatialDims, spec.Convention),
        LossKind.Mse => new MseLoss(),
        _ => new RelativeL2Loss(spec.SpatialDims, spec.Convention),
    });
}

/// <summary>
/// Extension points of a training run beyond its spec: the objective (default: the data loss the
/// spec names) and callbacks at the end of each published epoch and after each new best checkpoint.
/// Callbacks run on the training thread; an exception from one stops the run like any failure.
/// </summary>
public sealed record TrainingHooks
{
    /// <summary>What each step minimises; null for <see cref="DataObjective.For"/> the spec.</summary>
    public ITrainingObjective? Objective { get; init; }

    /// <summary>Called with each epoch's metrics once its state is published (resumable).</summary>
    public Action<EpochMetrics>? EpochEnded { get; init; }

    /// <summary>Called with the epoch and the run folder after a new best checkpoint was written (on rank 0 only, the rank that writes).</summary>
    public Action<int, string>? BestCheckpointSaved { get; init; }

    /// <summary>
    /// The ranks that train this model together by data parallelism (each takes its share of every
    /// batch and of the test set; gradients are summed over the ranks; rank 0 writes the run
    /// folder, which the others read on resume); null trains in this process alone. Every rank
    /// must call the trainer with the same settings and data, which it checks.
    /// </summary>
    public PdeOps.Distributed.ICommunicator? Communicator { get; init; }
}
