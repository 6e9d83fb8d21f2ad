using System.Globalization;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace PdeOps.Plotting;

/// <summary>
/// Test error of a neural operator against the resolution it is evaluated at (points per axis),
/// the zero-shot super-resolution picture of the FNO paper (Li et al., ICLR 2021): relative L2 and
/// optionally relative H1 error with markers, both axes logarithmic (x ticked at the resolutions given), and a dashed
/// vertical line at the training resolution.
/// </summary>
public static class ResolutionErrorFigure
{
    /// <summary>Builds the plot model of error against resolution.</summary>
    /// <param name="resolutions">Points per axis of each evaluation; positive.</param>
    /// <param name="relL2">Relative L2 error at each resolution.</param>
    /// <param name="relH1">Relative H1 error at each resolution, or null.</param>
    /// <param name="trainingResolution">Resolution the model was trained at, marked by a vertical line; null for none.</param>
    /// <param name="title">Plot title.</param>
    /// <exception cref="ArgumentException">The lists differ in length or a resolution is not positive.</exception>
    public static PlotModel Create(IReadOnlyList<int> resolutions, IReadOnlyList<double> relL2, IReadOnlyList<double>? relH1 = null,
        int? trainingResolution = null, string title = "error against resolution")
    {
        ArgumentNullException.ThrowIfNull(resolutions);
        ArgumentNullException.ThrowIfNull(relL2);
        if (relL2.Count != resolutions.Count)
            throw new ArgumentException($"{resolutions.Count} resolutions but {relL2.Count} relative L2 errors; give one per resolution");
        if (relH1 is not null && relH1.Count != resolutions.Count)
            throw new ArgumentException($"{resolutions.Count} resolutions but {relH1.Count} relative H1 errors; give one per resolution");
        foreach (int n in resolutions)
            if (n <= 0) throw new ArgumentException($"resolution {n} is not a positive number of points per axis");
        if (trainingResolution is <= 0)
            throw new ArgumentException($"training resolution {trainingResolution} is not a positive number of points per axis");

        var model = new PlotModel { Title = title, Background = OxyColors.White };
        var all = (trainingResolution is { } t ? resolutions.Append(t) : resolutions).ToList();
        var x = new TickedLogAxis(all.Select(n => (double)n)) { Position = AxisPosition.Bottom, Title = "points per axis", MajorGridlineStyle = LineStyle.Dot };
        if (all.Count > 0)
        {
            // A little room so that the end markers are not cut in half.
            x.Minimum = all.Min() / 1.2;
            x.Maximum = all.Max() * 1.2;
        }
        model.Axes.Add(x);
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Left, Title = "relative error", MajorGridlineStyle = LineStyle.Dot });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight });
        model.Series.Add(Series("relative L2", resolutions, relL2, MarkerType.Circle));
        if (relH1 is not null) model.Series.Add(Series("relative H1", resolutions, relH1, MarkerType.Square));
        if (trainingResolution is { } train)
        {
            model.Annotations.Add(new LineAnnotation
            {
                Type = LineAnnotationType.Vertical,
                X = train,
                Color = OxyColors.Gray,
                LineStyle = LineStyle.Dash,
                Text = $"trained at {train.ToString(CultureInfo.InvariantCulture)}",
                TextOrientation = AnnotationTextOrientation.Vertical,
            });
        }
        return model;
    }

    static LineSeries Series(string name, IReadOnlyList<int> resolutions, IReadOnlyList<double> errors, MarkerType marker)
    {
        // Sorted by resolution so the line joins neighbouring resolutions whatever the input order.
        var series = new LineSeries { Title = name, StrokeThickness = 1.5, MarkerType = marker, MarkerSize = 4 };
        foreach (int i in Enumerable.Range(0, resolutions.Count).OrderBy(i => resolutions[i]))
            if (double.IsFinite(errors[i]) && errors[i] > 0) series.Points.Add(new DataPoint(resolutions[i], errors[i]));
        return series;
    }
}
