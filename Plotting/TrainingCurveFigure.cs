using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace PdeOps.Plotting;

/// <summary>
/// Training curve of a neural operator: training loss and test relative L2 error against epoch,
/// on a logarithmic y axis with a legend. Values that a log axis cannot show (zero, negative, NaN,
/// infinite) are left out, so a test error recorded only every few epochs can be passed with NaN in between.
/// </summary>
public static class TrainingCurveFigure
{
    /// <summary>Builds the plot model of the training curve.</summary>
    /// <param name="epochs">Epoch of each record.</param>
    /// <param name="trainLoss">Training loss at each epoch.</param>
    /// <param name="testRelL2">Relative L2 error on the test set at each epoch (NaN where not evaluated).</param>
    /// <param name="title">Plot title.</param>
    /// <param name="yLabel">Title of the y axis.</param>
    /// <param name="trainName">Legend entry of the training loss.</param>
    /// <param name="testName">Legend entry of the test error.</param>
    /// <exception cref="ArgumentException">The three lists differ in length.</exception>
    public static PlotModel Create(IReadOnlyList<int> epochs, IReadOnlyList<double> trainLoss, IReadOnlyList<double> testRelL2,
        string title = "training", string yLabel = "relative L2", string trainName = "train loss", string testName = "test relative L2")
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(trainLoss);
        ArgumentNullException.ThrowIfNull(testRelL2);
        if (trainLoss.Count != epochs.Count || testRelL2.Count != epochs.Count)
            throw new ArgumentException($"{epochs.Count} epochs but {trainLoss.Count} training losses and {testRelL2.Count} test errors; give one of each per epoch");
        var model = new PlotModel { Title = title, Background = OxyColors.White };
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "epoch", MajorGridlineStyle = LineStyle.Dot });
        model.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Left, Title = yLabel, MajorGridlineStyle = LineStyle.Dot });
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight });
        model.Series.Add(Series(trainName, epochs, trainLoss));
        model.Series.Add(Series(testName, epochs, testRelL2));
        return model;
    }

    static LineSeries Series(string name, IReadOnlyList<int> epochs, IReadOnlyList<double> values)
    {
        var series = new LineSeries { Title = name, StrokeThickness = 1.5, MarkerSize = 3 };
        for (int i = 0; i < epochs.Count; i++)
            if (double.IsFinite(values[i]) && values[i] > 0) series.Points.Add(new DataPoint(epochs[i], values[i]));
        // Sparse records (a test error every few epochs) get markers; dense curves stay plain lines.
        series.MarkerType = series.Points.Count <= 50 ? MarkerType.Circle : MarkerType.None;
        return series;
    }
}
