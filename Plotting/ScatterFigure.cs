using OxyPlot;
using OxyPlot.Series;

namespace PdeOps.Plotting;

/// <summary>One marker per point y against x, over reference lines (an error bound against the true error, y = x, a tolerance).</summary>
public static class ScatterFigure
{
    /// <summary>
    /// Builds a plot of the points (<paramref name="x"/>, <paramref name="y"/>) named
    /// <paramref name="pointsName"/>, drawn over the reference <paramref name="lines"/> as
    /// <see cref="LineFigure.Create"/> draws curves.
    /// </summary>
    /// <exception cref="ArgumentException">The points or a line have unequal numbers of x and y values.</exception>
    public static PlotModel Create(string title, string xLabel, string yLabel, string pointsName, IReadOnlyList<double> x, IReadOnlyList<double> y,
        IEnumerable<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> lines, bool logX = false, bool logY = false)
    {
        if (x.Count != y.Count) throw new ArgumentException($"the points have {x.Count} x values and {y.Count} y values");
        var model = LineFigure.Create(title, xLabel, yLabel, lines, logY, logX);
        var points = new ScatterSeries { Title = pointsName, MarkerType = MarkerType.Circle, MarkerSize = 3.5, MarkerFill = OxyColor.FromRgb(20, 20, 20) };
        for (int i = 0; i < x.Count; i++) points.Points.Add(new ScatterPoint(x[i], y[i]));
        model.Series.Add(points);
        return model;
    }
}
