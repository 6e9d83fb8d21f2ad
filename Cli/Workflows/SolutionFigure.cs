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
        var answers = stages.Select(s => s.Values.Masked()).ToList();
        var solutions = stages.Select((s, k) => HeatMapFigure.Create(answers[k], Caption(s.Name, s.Values), -1, 1, -1, 1)).ToList();
        if (truth is null)
        {
            Scale(solutions, answers);
            return new FigureGrid(title, [curve is null ? solutions : [.. solutions, curve]], PanelWidth, PanelHeight);
        }
        solutions.Add(HeatMapFigure.Create(truth, "truth", -1, 1, -1, 1));
        Scale(solutions, [truth]);
        var errors = stages.Select(s => HeatMapFigure.Create(s.Values.Error()!, $"|error|, {s.Name}", -1, 1, -1, 1, "|e|", OxyPalettes.Hot(256))).ToList();
        return new FigureGrid(title, [solutions, [.. errors, curve!]], PanelWidth, PanelHeight);
    }

    // The curve panel with a margin around its points, so that a point at an end of an axis shows whole.
    static void Pad(PlotModel curve)
    {
        foreach (var axis in curve.Axes) (axis.MinimumPadding, axis.MaximumPadding) = (0.06, 0.06);
    }

    static string Caption(string name, GridValues values) => values.RelativeL2 is { } rel ? $"{name}, rel L2 {rel:G3}" : name;

    // Every panel on the range of the finite values of fields; values beyond it take the palette's end colours.
    static void Scale(IEnumerable<PlotModel> panels, IEnumerable<double[,]> fields)
    {
        var (low, high) = HeatMapFigure.FiniteRange(fields.SelectMany(f => f.Cast<double>()));
        foreach (var panel in panels)
        {
            HeatMapFigure.SetColorRange(panel, low, high);
            foreach (var axis in panel.Axes.OfType<LinearColorAxis>()) (axis.LowColor, axis.HighColor) = (axis.Palette.Colors[0], axis.Palette.Colors[^1]);
        }
    }
}
