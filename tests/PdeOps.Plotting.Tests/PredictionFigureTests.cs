using System.Globalization;
using System.Text.RegularExpressions;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace PdeOps.Plotting.Tests;

public sealed partial class PredictionFigureTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-pred-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    const int H = 24, W = 32;

    /// <summary>A smooth input, its "solution" and a prediction off by a known bump whose peak is at (y, x) = (5, 7).</summary>
    static (float[] Input, float[] Truth, float[] Prediction) Sample(int height, int width, double errorScale)
    {
        var a = new float[height * width];
        var u = new float[height * width];
        var p = new float[height * width];
        for (int j = 0; j < height; j++)
        {
            for (int i = 0; i < width; i++)
            {
                double x = (double)i / (width - 1), y = height > 1 ? (double)j / (height - 1) : 0;
                int k = j * width + i;
                a[k] = (float)(1 + 0.5 * Math.Cos(3 * x + 2 * y));
                u[k] = (float)(Math.Sin(Math.PI * x) * Math.Sin(Math.PI * (y + 0.5)));
                double dj = height > 1 ? j - 5 : 0;
                p[k] = (float)(u[k] + errorScale * Math.Exp(-((i - 7) * (i - 7) + dj * dj) / 8.0));
            }
        }
        return (a, u, p);
    }

    static double MaxAbsDifference(float[] truth, float[] prediction) =>
        truth.Zip(prediction, (t, p) => Math.Abs((double)p - t)).Max();

    [GeneratedRegex(@"\|error\| \(max ([^)]+)\)")]
    private static partial Regex ErrorTitle();

    static double StatedMax(string text)
    {
        var match = ErrorTitle().Match(text);
        Assert.True(match.Success, $"no '|error| (max ...)' in: {text}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public void FourPanelPngHasOnePanelPerFieldSideBySide()
    {
        var (a, u, p) = Sample(H, W, 3e-4);
        string path = Path.Combine(_dir, "pred.png");
        PredictionFigure.Save(a, u, p, H, W, "Darcy sample 0", path);
        var (width, height) = FigureFiles.AssertPng(path, 20_000);
        Assert.Equal(4 * 400, width);
        Assert.Equal(FigureGrid.TitleBandHeight + 360, height);
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void SvgIsValidXmlWithEveryPanelTitleAndUniqueIds()
    {
        var (a, u, p) = Sample(H, W, 3e-4);
        string path = Path.Combine(_dir, "pred.svg");
        PredictionFigure.Save(a, u, p, H, W, "Darcy sample 0", path);
        var (doc, texts) = FigureFiles.ParseSvg(path);
        foreach (string title in new[] { "Darcy sample 0", "input a", "truth u", "prediction", "|error| (max " })
            Assert.Contains(title, texts);
        Assert.Equal(4, doc.Root!.Elements(FigureFiles.Svg + "svg").Count());
        var ids = doc.Descendants().Select(e => (string?)e.Attribute("id")).OfType<string>().ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(MaxAbsDifference(u, p), StatedMax(texts), MaxAbsDifference(u, p) * 0.05);
    }

    [Theory]
    [InlineData(3.1e-4)]
    [InlineData(0.87)]
    [InlineData(42.0)]
    public void ErrorPanelStatesTheMaximumPointwiseError(double scale)
    {
        var (a, u, p) = Sample(H, W, scale);
        var figure = PredictionFigure.Create(a, u, p, H, W, "");
        double max = MaxAbsDifference(u, p);
        // Two significant digits: the stated value is within half a unit of the second digit, 5 % at most.
        Assert.Equal(max, StatedMax(figure[0, 3].Title), max * 0.05);
        Assert.Equal(max, PredictionFigure.MaxAbsError(u, p), 1e-12);
        var colorAxis = figure[0, 3].Axes.OfType<LinearColorAxis>().Single();
        Assert.Equal(0, colorAxis.Minimum);
        Assert.Equal(max, colorAxis.Maximum, max * 1e-6);
    }

    [Fact]
    public void RowsAreYWithRowZeroAtTheBottom()
    {
        // A non-square grid catches a transposition.
        var (a, u, p) = Sample(H, W, 0.1);
        var figure = PredictionFigure.Create(a, u, p, H, W, "", new PredictionFigureOptions { Y0 = -1, Y1 = 2 });
        var heatMap = figure[0, 0].Series.OfType<HeatMapSeries>().Single();
        Assert.Equal(W, heatMap.Data.GetLength(0));
        Assert.Equal(H, heatMap.Data.GetLength(1));
        for (int j = 0; j < H; j += 5)
            for (int i = 0; i < W; i += 7) Assert.Equal(a[j * W + i], heatMap.Data[i, j]);
        Assert.Equal(-1, heatMap.Y0);
        Assert.Equal(2, heatMap.Y1);
        var yAxis = figure[0, 0].Axes.Single(ax => ax.Position == AxisPosition.Left);
        Assert.False(yAxis.StartPosition > yAxis.EndPosition, "y grows upwards");
    }

    [Fact]
    public void TruthAndPredictionShareAColourRangeByDefault()
    {
        var (a, u, p) = Sample(H, W, 0.5);
        var shared = PredictionFigure.Create(a, u, p, H, W, "");
        var truthAxis = shared[0, 1].Axes.OfType<LinearColorAxis>().Single();
        var predictionAxis = shared[0, 2].Axes.OfType<LinearColorAxis>().Single();
        Assert.Equal(truthAxis.Minimum, predictionAxis.Minimum);
        Assert.Equal(truthAxis.Maximum, predictionAxis.Maximum);
        Assert.Equal(p.Max(), predictionAxis.Maximum, 1e-6);

        var own = PredictionFigure.Create(a, u, p, H, W, "", new PredictionFigureOptions { ShareTruthPredictionRange = false });
        Assert.Equal(u.Max(), own[0, 1].Axes.OfType<LinearColorAxis>().Single().Maximum, 1e-6);
    }

    [Fact]
    public void SeveralSamplesAreRowsLabelledBySample()
    {
        var samples = new[] { Sample(H, W, 0.1), Sample(H, W, 0.01), Sample(H, W, 0.001) };
        string png = Path.Combine(_dir, "many.png"), svg = Path.Combine(_dir, "many.svg");
        var options = new PredictionFigureOptions { SampleLabels = ["#3", "#17", "#42"] };
        PredictionFigure.Save(samples, H, W, "test samples", png, options);
        PredictionFigure.Save(samples, H, W, "test samples", svg, options);
        var (width, height) = FigureFiles.AssertPng(png, 40_000);
        Assert.Equal((4 * 400, FigureGrid.TitleBandHeight + 3 * 360), (width, height));
        var (doc, texts) = FigureFiles.ParseSvg(svg);
        Assert.Equal(12, doc.Root!.Elements(FigureFiles.Svg + "svg").Count());
        Assert.Contains("#17: input a", texts);
        var stated = ErrorTitle().Matches(texts).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, stated.Count);
        for (int s = 0; s < 3; s++)
        {
            double max = MaxAbsDifference(samples[s].Truth, samples[s].Prediction);
            Assert.Equal(max, stated[s], max * 0.05);
        }
    }

    [Fact]
    public void OneRowFieldsAreDrawnAsLinePlots()
    {
        const int n = 256;
        var (a, u, p) = Sample(1, n, 2e-3);
        var figure = PredictionFigure.Create(a, u, p, 1, n, "Burgers");
        Assert.Equal(3, figure.Columns);
        Assert.Empty(figure[0, 0].Series.OfType<HeatMapSeries>());
        Assert.Equal(2, figure[0, 1].Series.OfType<LineSeries>().Count());
        double max = MaxAbsDifference(u, p);
        Assert.Equal(max, StatedMax(figure[0, 2].Title), max * 0.05);

        string png = Path.Combine(_dir, "burgers.png"), svg = Path.Combine(_dir, "burgers.svg");
        PredictionFigure.Save(a, u, p, 1, n, "Burgers", png);
        PredictionFigure.Save(a, u, p, 1, n, "Burgers", svg);
        Assert.Equal((3 * 440, FigureGrid.TitleBandHeight + 300), FigureFiles.AssertPng(png, 10_000));
        var (_, texts) = FigureFiles.ParseSvg(svg);
        Assert.Contains("input a", texts);
        Assert.Contains("truth and prediction u", texts);
    }

    [Fact]
    public void FieldOfTheWrongLengthIsRefusedWithTheSizes()
    {
        var (a, u, p) = Sample(H, W, 0.1);
        var ex = Assert.Throws<ArgumentException>(() => PredictionFigure.Create(a, u, p[..^1], H, W, ""));
        Assert.Contains("prediction has 767 values", ex.Message);
        Assert.Contains("height*width = 24*32 = 768", ex.Message);

        var swapped = Assert.Throws<ArgumentException>(() => PredictionFigure.Create(a, u, p, H + 1, W, ""));
        Assert.Contains("input has 768 values", swapped.Message);

        var samples = new[] { Sample(H, W, 0.1), (a, u[..100], p) };
        var inSample = Assert.Throws<ArgumentException>(() => PredictionFigure.Create(samples, H, W, ""));
        Assert.Contains("sample 1: truth has 100 values", inSample.Message);

        Assert.Throws<ArgumentException>(() => PredictionFigure.Create([], H, W, ""));
        Assert.Throws<ArgumentException>(() => PredictionFigure.Create(a, u, p, 0, W, ""));
        Assert.Throws<ArgumentException>(() => PredictionFigure.Create(samples[..1], H, W, "", new PredictionFigureOptions { SampleLabels = ["x", "y"] }));
    }

    [Fact]
    public void OtherExtensionsAreRefusedAndNothingIsWritten()
    {
        var (a, u, p) = Sample(8, 8, 0.1);
        string path = Path.Combine(_dir, "pred.jpg");
        Assert.Throws<ArgumentException>(() => PredictionFigure.Save(a, u, p, 8, 8, "", path));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Fact]
    public void ConstantFieldsAndPerfectPredictionsStillRender()
    {
        var zero = new float[64];
        var one = Enumerable.Repeat(1f, 64).ToArray();
        string path = Path.Combine(_dir, "flat.png");
        PredictionFigure.Save(one, zero, zero, 8, 8, "flat", path);
        FigureFiles.AssertPng(path, 5_000);
        Assert.Equal(0, StatedMax(PredictionFigure.Create(one, zero, zero, 8, 8, "")[0, 3].Title));
    }
}
