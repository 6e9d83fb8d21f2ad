using OxyPlot.Axes;

namespace PdeOps.Plotting;

/// <summary>
/// A logarithmic axis whose labelled ticks are exactly the given values (e.g. the resolutions
/// 32, 64, 128, 256 that were evaluated) rather than OxyPlot's automatic decades.
/// </summary>
internal sealed class TickedLogAxis : LogarithmicAxis
{
    readonly double[] _ticks;

    /// <summary>Creates the axis with labelled ticks at the distinct positive <paramref name="ticks"/>.</summary>
    public TickedLogAxis(IEnumerable<double> ticks) => _ticks = [.. ticks.Where(t => t > 0).Distinct().Order()];

    /// <inheritdoc />
    public override void GetTickValues(out IList<double> majorLabelValues, out IList<double> majorTickValues, out IList<double> minorTickValues)
    {
        if (_ticks.Length == 0)
        {
            base.GetTickValues(out majorLabelValues, out majorTickValues, out minorTickValues);
            return;
        }
        var visible = _ticks.Where(t => t >= ActualMinimum && t <= ActualMaximum).ToList();
        majorLabelValues = visible;
        majorTickValues = visible;
        minorTickValues = [];
    }
}
