using OxyPlot;
using OxyPlot.Axes;
using PdeOps.Plotting;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// The figure of a PINN or HyPINO solve on [-1, 1]²: each stage's solution in the top row, the
/// truth beside them when it is known, all on the truth's colour scale so that an answer too small
/// or too large shows as such; each stage's |error| below its solution; and a curve panel (the
/// training loss, or the error after each stage) closing the last row.
/// </summary>
internal static class SolutionFigure
{
    /// <summary>The size in pixels of each panel.</summary>
    internal const int PanelWidth = 440, PanelHeight = 380;

    /// <summary>
    /// The figure of <paramref name="stages"/> (in the order they ran), with <paramref name="curve"/> after
    /// them; the curve may be left out only when the truth is not known.
    /// </summary>
    public static FigureGrid Create(string title, IReadOnlyList<(string Name, GridValues Values)> stages, PlotModel? curve)
    {
        if (stages.Count == 0) throw new ArgumentException("a solution figure needs at least one stage", nameof(stages));
        var truth = stages[^1].Values.Truth;
        if (truth is not null && curve is null) throw new ArgumentException("with the truth known, the curve panel closes the row of errors", nameof(curve));
        if (curve is not null) Pad(curve);
        var solutions = stages.Select(s => HeatMapFigure.Create(s.Values.Masked(), Caption(s.Name, s.Values), -1, 1, -1, 1)).ToList();
        if (truth is null)
        {
            Scale(solutions, Range(stages.Select(s => s.Values.Masked())));
            return new FigureGrid(title, [curve is null ? solutions : [.. solutions, curve]], PanelWidth, PanelHeight);
        }
        solutions.Add(HeatMapFigure.Create(truth, "truth", -1, 1, -1, 1));
        Scale(solutions, Range([truth]));
        var errors = stages.Select(s => HeatMapFigure.Create(s.Values.Error()!, $"|error|, {s.Name}", -1, 1, -1, 1, "|e|", OxyPalettes.Hot(256))).ToList();
        return new FigureGrid(title, [solutions, [.. errors, curve!]], PanelWidth, PanelHeight);
    }

    // The curve panel with a margin around its points, so that a point at an end of an axis shows whole.
    static void Pad(PlotModel curve)
    {
        foreach (var axis in curve.Axes) (axis.MinimumPadding, axis.MaximumPadding) = (0.06, 0.06);
    }

    static string Caption(string name, GridValues values) => values.RelativeL2 is { } rel ? $"{name}, rel L2 {rel:G3}" : name;

    static (double Low, double High) Range(IEnumerable<double[,]> fields)
    {
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        foreach (var field in fields)
            foreach (var v in field)
                if (double.IsFinite(v)) (low, high) = (Math.Min(low, v), Math.Max(high, v));
        if (!(low <= high)) return (0, 1);       // nothing finite to show
        if (low == high) return (low - 0.5, high + 0.5);
        return (low, high);
    }

    static void Scale(IEnumerable<PlotModel> panels, (double Low, double High) range)
    {
        foreach (var axis in panels.SelectMany(p => p.Axes.OfType<LinearColorAxis>()))
            (axis.Minimum, axis.Maximum, axis.LowColor, axis.HighColor) = (range.Low, range.High, axis.Palette.Colors[0], axis.Palette.Colors[^1]);
    }
}
