using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace PdeOps.Plotting.Tests;

public sealed class CurveFigureTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-curve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TrainingCurveHasTwoSeriesOnALogAxisWithLegendAndTitles()
    {
        int[] epochs = [.. Enumerable.Range(1, 100)];
        double[] train = [.. epochs.Select(e => 0.5 * Math.Pow(e, -0.8))];
        // Test error evaluated every 10 epochs; NaN between.
        double[] test = [.. epochs.Select(e => e % 10 == 0 ? 0.6 * Math.Pow(e, -0.6) : double.NaN)];
        var model = TrainingCurveFigure.Create(epochs, train, test);
        Assert.IsType<LogarithmicAxis>(model.Axes.Single(a => a.Position == AxisPosition.Left));
        Assert.Equal("relative L2", model.Axes.Single(a => a.Position == AxisPosition.Left).Title);
        Assert.Equal("epoch", model.Axes.Single(a => a.Position == AxisPosition.Bottom).Title);
        var series = model.Series.OfType<LineSeries>().ToList();
        Assert.Equal(2, series.Count);
        Assert.Equal(100, series[0].Points.Count);
        Assert.Equal(10, series[1].Points.Count);
        Assert.Single(model.Legends);

        string png = Path.Combine(_dir, "train.png"), svg = Path.Combine(_dir, "train.svg");
        FigureExport.Save(model, png);
        FigureExport.Save(model, svg);
        FigureFiles.AssertPng(png, 5_000);
        var (_, texts) = FigureFiles.ParseSvg(svg);
        Assert.Contains("relative L2", texts);
        Assert.Contains("train loss", texts);
    }

    [Fact]
    public void ScatterFigureDrawsOneMarkerPerPointOverItsLines()
    {
        double[] x = [0.1, 0.2, 0.15, 0.3], y = [0.11, 0.21, 0.16, 0.33];
        var model = ScatterFigure.Create("bound", "true error", "bound", "samples", x, y, [("y = x", [0.05, 0.4], [0.05, 0.4])], logX: true, logY: true);
        var points = Assert.Single(model.Series.OfType<ScatterSeries>());
        Assert.Equal(4, points.Points.Count);
        Assert.Equal(0.15, points.Points[2].X);
        Assert.NotEqual(MarkerType.None, points.MarkerType);
        Assert.Single(model.Series.OfType<LineSeries>());
        Assert.All(model.Axes, a => Assert.IsType<LogarithmicAxis>(a));
        string svg = Path.Combine(_dir, "scatter.svg");
        FigureExport.Save(model, svg);
        var (_, texts) = FigureFiles.ParseSvg(svg);
        Assert.Contains("samples", texts);
        Assert.Throws<ArgumentException>(() => ScatterFigure.Create("t", "x", "y", "p", [1.0, 2.0], [1.0], []));
    }

    [Fact]
    public void TrainingCurveOfMismatchedLengthsIsRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => TrainingCurveFigure.Create([1, 2, 3], [1.0, 0.5, 0.2], [0.9, 0.4]));
        Assert.Contains("3 epochs", ex.Message);
        Assert.Contains("2 test errors", ex.Message);
    }

    [Fact]
    public void ResolutionFigureMarksTheTrainingResolution()
    {
        int[] res = [32, 64, 128, 256];
        var model = ResolutionErrorFigure.Create(res, [0.012, 0.010, 0.0105, 0.011], [0.05, 0.04, 0.045, 0.05], trainingResolution: 64);
        var series = model.Series.OfType<LineSeries>().ToList();
        Assert.Equal(2, series.Count);
        Assert.All(series, s => Assert.NotEqual(MarkerType.None, s.MarkerType));
        var line = Assert.IsType<LineAnnotation>(Assert.Single(model.Annotations));
        Assert.Equal(LineAnnotationType.Vertical, line.Type);
        Assert.Equal(64, line.X);
        Assert.Equal("points per axis", model.Axes.Single(a => a.Position == AxisPosition.Bottom).Title);

        string png = Path.Combine(_dir, "res.png"), svg = Path.Combine(_dir, "res.svg");
        FigureExport.Save(model, png);
        FigureExport.Save(model, svg);
        FigureFiles.AssertPng(png, 5_000);
        var (_, texts) = FigureFiles.ParseSvg(svg);
        Assert.Contains("trained at 64", texts);
        // The x axis is labelled at the evaluated resolutions themselves.
        var labels = texts.Split('\n');
        Assert.All(new[] { "32", "64", "128", "256" }, n => Assert.Contains(n, labels));
        Assert.Contains("relative H1", texts);
    }

    [Fact]
    public void ResolutionFigureWithoutH1OrTrainingResolutionHasOneSeries()
    {
        var model = ResolutionErrorFigure.Create([128, 32, 64], [0.02, 0.01, 0.015], null, null);
        var series = Assert.Single(model.Series.OfType<LineSeries>());
        Assert.Equal([32.0, 64.0, 128.0], series.Points.Select(p => p.X));
        Assert.Empty(model.Annotations);
    }

    [Fact]
    public void ResolutionFigureRefusesMismatchedOrNonPositiveInput()
    {
        Assert.Contains("2 relative L2", Assert.Throws<ArgumentException>(() => ResolutionErrorFigure.Create([32, 64, 128], [0.1, 0.2], null, 64)).Message);
        Assert.Contains("relative H1", Assert.Throws<ArgumentException>(() => ResolutionErrorFigure.Create([32, 64], [0.1, 0.2], [0.3], 64)).Message);
        Assert.Throws<ArgumentException>(() => ResolutionErrorFigure.Create([0, 64], [0.1, 0.2]));
        Assert.Throws<ArgumentException>(() => ResolutionErrorFigure.Create([32, 64], [0.1, 0.2], trainingResolution: -1));
    }
}
