namespace PdeOps.Operators.Training;

/// <summary>
/// Training stopped because the loss or the test error became NaN or infinite. Nothing from the
/// diverged epoch was saved: the best checkpoint and the last good state of the run folder stay as
/// they were, and the run can be resumed from that state (with a lower learning rate).
/// </summary>
public sealed class TrainingDivergedException(string what, int epoch, int step, double learningRate, int lastGoodEpoch)
    : Exception($"training diverged: {what} at epoch {epoch} step {step} (learning rate {learningRate:G3}); " +
        (lastGoodEpoch > 0
            ? $"nothing of epoch {epoch} was saved: the best checkpoint and the state after epoch {lastGoodEpoch} are kept; --resume continues from there, with a lower --lr if given"
            : "no epoch had completed, so no checkpoint was kept; retry with a lower --lr"))
{
    /// <summary>Epoch (from 1) in which the divergence was detected.</summary>
    public int Epoch { get; } = epoch;
    /// <summary>Optimizer step within the epoch (from 1), or the number of steps when the test error diverged.</summary>
    public int Step { get; } = step;
    /// <summary>The last epoch whose state was saved, 0 when none.</summary>
    public int LastGoodEpoch { get; } = lastGoodEpoch;
}
