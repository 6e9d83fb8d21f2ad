namespace PdeOps.Operators.Pinn;

/// <summary>
/// While it lives, a network multiplies its output by a scale, so that its weights train in units
/// of 1 on a problem divided by that scale (<see cref="PinnDataScale"/>) while it answers the
/// problem as given; disposing it folds the scale into the output layer. A network that already
/// answers the problem has its output layer divided by the scale first; a fresh one keeps its
/// weights, read as an answer in units of 1.
/// </summary>
internal sealed class OutputScaleScope : IDisposable
{
    readonly Action<double> scaleLayer;
    readonly Action<double> setMultiplier;
    readonly double scale;
    bool disposed;

    /// <summary>Sets the output multiplier to <paramref name="scale"/>, dividing the output layer by it when <paramref name="keepAnswer"/>.</summary>
    public OutputScaleScope(double scale, bool keepAnswer, Action<double> scaleLayer, Action<double> setMultiplier)
    {
        (this.scale, this.scaleLayer, this.setMultiplier) = (scale, scaleLayer, setMultiplier);
        if (keepAnswer) scaleLayer(1 / scale);
        setMultiplier(scale);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        setMultiplier(1);
        scaleLayer(scale);
    }
}
