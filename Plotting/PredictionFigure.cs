using System.Globalization;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Series;

namespace PdeOps.Plotting;

/// <summary>
/// The usual picture of a neural-operator result: input, ground truth, prediction and pointwise
/// |error| side by side, one row per sample. Fields are flat row-major arrays indexed [y, x]
/// (row 0 at y = Y0, drawn at the bottom), as everywhere in PdeOps; a field with one row
/// (height 1, e.g. Burgers) is drawn as line plots instead: input, truth and prediction overlaid, |error|.
/// The error panel states max |prediction - truth| in its title, e.g. "|error| (max 3.1e-4)".
/// </summary>
public static class PredictionFigure
{
    /// <summary>Builds the figure of one sample.</summary>
    /// <param name="input">Operator input on the grid, height*width values, row-major [y, x].</param>
    /// <param name="truth">Reference solution on the same grid.</param>
    /// <param name="prediction">Model prediction on the same grid.</param>
    /// <param name="height">Number of rows (points along y); 1 for 1D fields.</param>
    /// <param name="width">Number of columns (points along x).</param>
    /// <param name="title">Figure title drawn above the panels; empty for none.</param>
    /// <param name="options">Labels, coordinates and panel size; null for the defaults.</param>
    /// <exception cref="ArgumentException">A field's length is not height*width, or the grid is empty.</exception>
    public static FigureGrid Create(float[] input, float[] truth, float[] prediction, int height, int width, string title,
        PredictionFigureOptions? options = null) =>
        Build([(input, truth, prediction)], height, width, title, options ?? new PredictionFigureOptions(), labelRows: options?.SampleLabels is not null);

    /// <summary>Builds the figure of several samples, one row each (first sample at the top).</summary>
    /// <param name="samples">Input, truth and prediction of each sample, height*width values each, row-major [y, x].</param>
    /// <param name="height">Number of rows (points along y); 1 for 1D fields.</param>
    /// <param name="width">Number of columns (points along x).</param>
    /// <param name="title">Figure title drawn above the panels; empty for none.</param>
    /// <param name="options">Labels, coordinates and panel size; null for the defaults.</param>
    /// <exception cref="ArgumentException">There are no samples, a field's length is not height*width, or the labels do not match the samples.</exception>
    public static FigureGrid Create(IReadOnlyList<(float[] Input, float[] Truth, float[] Prediction)> samples, int height, int width,
        string title, PredictionFigureOptions? options = null) =>
        Build(samples, height, width, title, options ?? new PredictionFigureOptions(), labelRows: true);

    /// <summary>Builds the figure of one sample and writes it to <paramref name="path"/> (.png or .svg), atomically.</summary>
    /// <exception cref="ArgumentException">Bad field lengths (see <see cref="Create(float[], float[], float[], int, int, string, PredictionFigureOptions?)"/>) or an extension other than .png or .svg.</exception>
    public static void Save(float[] input, float[] truth, float[] prediction, int height, int width, string title, string path,
        PredictionFigureOptions? options = null)
    {
        FigureFile.FormatOf(path);
        Create(input, truth, prediction, height, width, title, options).Save(path);
    }

    /// <summary>Builds the figure of several samples and writes it to <paramref name="path"/> (.png or .svg), atomically.</summary>
    /// <exception cref="ArgumentException">Bad samples (see <see cref="Create(IReadOnlyList{ValueTuple{float[], float[], float[]}}, int, int, string, PredictionFigureOptions?)"/>) or an extension other than .png or .svg.</exception>
    public static void Save(IReadOnlyList<(float[] Input, float[] Truth, float[] Prediction)> samples, int height, int width, string title,
        string path, PredictionFigureOptions? options = null)
    {
        FigureFile.FormatOf(path);
        Create(samples, height, width, title, options).Save(path);
    }

    /// <summary>The largest |prediction - truth| over all points (NaN if either holds a NaN), as stated in the error panel.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length.</exception>
    public static double MaxAbsError(float[] truth, float[] prediction)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(prediction);
        if (truth.Length != prediction.Length)
            throw new ArgumentException($"truth has {truth.Length} values but prediction has {prediction.Length}");
        double max = 0;
        for (int k = 0; k < truth.Length; k++) max = Math.Max(max, Math.Abs((double)prediction[k] - truth[k]));
        return max;
    }

    /// <summary>Title of the error panel, e.g. "|error| (max 3.1e-4)": the maximum with two significant digits.</summary>
    public static string ErrorTitle(double maxAbsError) =>
        $"|error| (max {maxAbsError.ToString("0.0e+0", CultureInfo.InvariantCulture)})";

    static FigureGrid Build(IReadOnlyList<(float[] Input, float[] Truth, float[] Prediction)> samples, int height, int width,
        string title, PredictionFigureOptions options, bool labelRows)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(title);
        if (height < 1 || width < 1) throw new ArgumentException($"grid {height}x{width} (height x width) must have at least one point along each axis");
        if (samples.Count == 0) throw new ArgumentException("a prediction figure needs at least one sample", nameof(samples));
        if (options.SampleLabels is { } labels && labels.Count != samples.Count)
            throw new ArgumentException($"{labels.Count} sample labels given for {samples.Count} samples", nameof(options));
        bool oneD = height == 1;
        var rows = new List<IReadOnlyList<PlotModel>>(samples.Count);
        for (int s = 0; s < samples.Count; s++)
        {
            var (input, truth, prediction) = samples[s];
            string where = samples.Count > 1 ? $"sample {s}: " : "";
            Check(input, "input", where, height, width);
            Check(truth, "truth", where, height, width);
            Check(prediction, "prediction", where, height, width);
            string label = labelRows ? options.SampleLabels?[s] ?? $"sample {s}" : "";
            rows.Add(oneD ? LinePanels(input, truth, prediction, label, options) : HeatMapPanels(input, truth, prediction, height, width, label, options));
        }
        int panelWidth = options.PanelWidth ?? (oneD ? 440 : 400);
        int panelHeight = options.PanelHeight ?? (oneD ? 300 : 360);
        return new FigureGrid(title, rows, panelWidth, panelHeight);
    }

    static void Check(float[]? field, string name, string where, int height, int width)
    {
        if (field is null) throw new ArgumentNullException(name, $"{where}{name} is null");
        long expected = (long)height * width;
        if (field.Length != expected)
            throw new ArgumentException($"{where}{name} has {field.Length} values but the grid has height*width = {height}*{width} = {expected}", name);
    }

    static string WithLabel(string label, string title) => label.Length > 0 ? $"{label}: {title}" : title;

    static PlotModel[] HeatMapPanels(float[] input, float[] truth, float[] prediction, int height, int width, string label, PredictionFigureOptions o)
    {
        var error = new float[truth.Length];
        for (int k = 0; k < error.Length; k++) error[k] = (float)Math.Abs((double)prediction[k] - truth[k]);
        double maxError = MaxAbsError(truth, prediction);

        PlotModel HeatMap(float[] field, string panelTitle, string colorLabel, OxyPalette? palette = null)
        {
            var model = HeatMapFigure.Create(ToGrid(field, height, width), panelTitle, o.X0, o.X1, o.Y0, o.Y1, colorLabel, palette);
            // In a narrow panel the y title would touch the tick labels.
            model.Axes.Single(axis => axis.Position == AxisPosition.Left).AxisTitleDistance = 6;
            return model;
        }

        var inputPanel = HeatMap(input, WithLabel(label, $"input {o.InputSymbol}"), o.InputSymbol);
        var truthPanel = HeatMap(truth, $"truth {o.OutputSymbol}", o.OutputSymbol);
        var predictionPanel = HeatMap(prediction, "prediction", o.OutputSymbol);
        var errorPanel = HeatMap(error, ErrorTitle(maxError), "", OxyPalettes.Inferno(256));

        var (inLo, inHi) = HeatMapFigure.FiniteRange(input);
        HeatMapFigure.SetColorRange(inputPanel, inLo, inHi);
        var (tLo, tHi) = HeatMapFigure.FiniteRange(truth);
        var (pLo, pHi) = HeatMapFigure.FiniteRange(prediction);
        if (o.ShareTruthPredictionRange)
        {
            (tLo, tHi) = (Math.Min(tLo, pLo), Math.Max(tHi, pHi));
            (pLo, pHi) = (tLo, tHi);
        }
        HeatMapFigure.SetColorRange(truthPanel, tLo, tHi);
        HeatMapFigure.SetColorRange(predictionPanel, pLo, pHi);
        double errorTop = HeatMapFigure.FiniteRange(error).Max;
        HeatMapFigure.SetColorRange(errorPanel, 0, errorTop > 0 ? errorTop : 1);
        return [inputPanel, truthPanel, predictionPanel, errorPanel];
    }

    static PlotModel[] LinePanels(float[] input, float[] truth, float[] prediction, string label, PredictionFigureOptions o)
    {
        int n = truth.Length;
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = n > 1 ? o.X0 + (o.X1 - o.X0) * i / (n - 1) : o.X0;
        var error = new double[n];
        for (int i = 0; i < n; i++) error[i] = Math.Abs((double)prediction[i] - truth[i]);

        var inputPanel = LineFigure.Create(WithLabel(label, $"input {o.InputSymbol}"), "x", o.InputSymbol, [(o.InputSymbol, x, ToDouble(input))]);
        inputPanel.IsLegendVisible = false;
        var solutionPanel = LineFigure.Create($"truth and prediction {o.OutputSymbol}", "x", o.OutputSymbol,
            [("truth", x, ToDouble(truth)), ("prediction", x, ToDouble(prediction))]);
        ((LineSeries)solutionPanel.Series[1]).LineStyle = LineStyle.Dash;
        var errorPanel = LineFigure.Create(ErrorTitle(MaxAbsError(truth, prediction)), "x", "|error|", [("|error|", x, error)]);
        errorPanel.IsLegendVisible = false;
        return [inputPanel, solutionPanel, errorPanel];
    }

    static double[,] ToGrid(float[] field, int height, int width)
    {
        var grid = new double[height, width];
        for (int j = 0; j < height; j++)
            for (int i = 0; i < width; i++) grid[j, i] = field[j * width + i];
        return grid;
    }

    static double[] ToDouble(float[] field) => Array.ConvertAll(field, v => (double)v);
}
