using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace PdeOps.Plotting;

/// <summary>Line plots of one or more curves y(x): 1D solutions, training curves, error against resolution.</summary>
public static class LineFigure
{
    /// <summary>Builds a plot with one line per named curve; <paramref name="logY"/> uses a logarithmic y axis.</summary>
    public static PlotModel Create(string title, string xLabel, string yLabel,
        IEnumerable<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> curves, bool logY = false, bool logX = false)
    {
        var model = new PlotModel { Title = title, Background = OxyColors.White };
        model.Axes.Add(logX ? new LogarithmicAxis { Position = AxisPosition.Bottom, Title = xLabel } : new LinearAxis { Position = AxisPosition.Bottom, Title = xLabel });
        model.Axes.Add(logY ? new LogarithmicAxis { Position = AxisPosition.Left, Title = yLabel } : new LinearAxis { Position = AxisPosition.Left, Title = yLabel });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight });
        foreach (var (name, xs, ys) in curves)
        {
            if (xs.Count != ys.Count) throw new ArgumentException($"curve '{name}' has {xs.Count} x values and {ys.Count} y values");
            var series = new LineSeries { Title = name, StrokeThickness = 1.5 };
            for (int i = 0; i < xs.Count; i++) series.Points.Add(new DataPoint(xs[i], ys[i]));
            model.Series.Add(series);
        }
        return model;
    }
}
