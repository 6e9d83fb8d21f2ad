using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace PdeOps.Plotting;

/// <summary>Line plots of one or more curves y(x): 1D solutions, training curves, error against resolution.</summary>
public static class LineFigure
{
    // A qualitative palette whose neighbours differ in hue and lightness.
    static readonly OxyColor[] Palette =
    [
        OxyColor.FromRgb(31, 119, 180), OxyColor.FromRgb(255, 127, 14), OxyColor.FromRgb(44, 160, 44), OxyColor.FromRgb(214, 39, 40),
        OxyColor.FromRgb(148, 103, 189), OxyColor.FromRgb(140, 86, 75), OxyColor.FromRgb(227, 119, 194), OxyColor.FromRgb(127, 127, 127),
        OxyColor.FromRgb(188, 189, 34), OxyColor.FromRgb(23, 190, 207),
    ];

    /// <summary>Builds a plot with one line per named curve; <paramref name="logY"/> uses a logarithmic y axis.</summary>
    public static PlotModel Create(string title, string xLabel, string yLabel,
        IEnumerable<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> curves, bool logY = false, bool logX = false)
    {
        var model = new PlotModel { Title = title, Background = OxyColors.White };
        model.Axes.Add(logX ? new LogarithmicAxis { Position = AxisPosition.Bottom, Title = xLabel } : new LinearAxis { Position = AxisPosition.Bottom, Title = xLabel });
        model.Axes.Add(logY ? new LogarithmicAxis { Position = AxisPosition.Left, Title = yLabel } : new LinearAxis { Position = AxisPosition.Left, Title = yLabel });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight });
        int index = 0;
        foreach (var (name, xs, ys) in curves)
        {
            if (xs.Count != ys.Count) throw new ArgumentException($"curve '{name}' has {xs.Count} x values and {ys.Count} y values");
            // Ten distinct colours, then the same colours dashed; curves of few points show them.
            var series = new LineSeries
            {
                Title = name,
                StrokeThickness = 1.5,
                Color = Palette[index % Palette.Length],
                LineStyle = index / Palette.Length % 2 == 0 ? LineStyle.Solid : LineStyle.Dash,
                MarkerType = xs.Count <= 20 ? MarkerType.Circle : MarkerType.None,
                MarkerSize = 3,
            };
            index++;
            for (int i = 0; i < xs.Count; i++) series.Points.Add(new DataPoint(xs[i], ys[i]));
            model.Series.Add(series);
        }
        return model;
    }
}
