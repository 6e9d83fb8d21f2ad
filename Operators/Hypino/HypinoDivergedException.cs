namespace PdeOps.Operators.Hypino;

/// <summary>
/// HyPINO training stopped because the loss became NaN or infinite. Nothing of the steps since the
/// last saved state was kept: the best model and that state stay as they were.
/// </summary>
public sealed class HypinoDivergedException(int step, double learningRate, int lastSavedStep)
    : Exception($"training diverged: the loss became NaN or infinite at step {step} (learning rate {learningRate:G3}); " +
        (lastSavedStep > 0
            ? $"the state after step {lastSavedStep} and the best model are kept; --resume continues from there"
            : "no state had been saved yet; retry with a lower --lr"))
{
    /// <summary>The step (from 1) whose loss was not finite.</summary>
    public int Step { get; } = step;
    /// <summary>The last step whose state was saved, 0 when none.</summary>
    public int LastSavedStep { get; } = lastSavedStep;
}
