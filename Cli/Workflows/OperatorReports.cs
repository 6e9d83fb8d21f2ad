using PdeOps.Datasets.Readers;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Training;
using PdeOps.Plotting;

namespace PdeOps.Cli.Workflows;

/// <summary>The figures that train, eval and plot write for trained operators.</summary>
public static class OperatorReports
{
    /// <summary>training-curve.png and .svg from the epoch history.</summary>
    public static IReadOnlyList<string> WriteTrainingCurve(string folder, IReadOnlyList<EpochMetrics> history, string title)
    {
        var model = TrainingCurveFigure.Create(history.Select(m => m.Epoch).ToList(), history.Select(m => m.TrainLoss).ToList(),
            history.Select(m => m.TestRelativeL2).ToList(), title);
        var paths = new[] { Path.Combine(folder, "training-curve.png"), Path.Combine(folder, "training-curve.svg") };
        foreach (var p in paths) FigureExport.Save(model, p);
        return paths;
    }

    /// <summary>
    /// Input, truth, prediction and error panels for the given samples of <paramref name="data"/>
    /// (first input and output channel), as PNG and SVG next to <paramref name="stem"/>.
    /// </summary>
    public static IReadOnlyList<string> WritePredictions(NeuralOperator op, OperatorDataset data, IReadOnlyList<int> samples, string stem, string title,
        IReadOnlyList<string>? formats = null)
    {
        var input = data.Input(op.InputNames[0]);
        var output = data.Output(op.OutputNames[0]);
        int[] grid = input.Shape[^op.SpatialDims..];
        int points = grid.Aggregate(1, (a, b) => a * b);
        int height = op.SpatialDims == 1 ? 1 : grid[0], width = grid[^1];
        var panels = new List<(float[], float[], float[])>();
        foreach (int n in samples.Where(n => n < data.Samples))
        {
            var inputs = op.InputNames.SelectMany(name => data.Input(name).Sample(n).ToArray()).ToArray();
            var predicted = new float[op.OutputChannels * points];
            op.Predict(inputs, predicted, grid);
            panels.Add((input.Sample(n)[..points].ToArray(), output.Sample(n)[..points].ToArray(), predicted[..points]));
        }
        var options = new PredictionFigureOptions
        {
            InputSymbol = op.InputNames[0],
            OutputSymbol = op.OutputNames[0],
            SampleLabels = samples.Where(n => n < data.Samples).Select(n => $"sample {n}").ToList(),
        };
        var paths = (formats ?? BothFormats).Select(f => $"{stem}.{f}").ToArray();
        foreach (var p in paths) PredictionFigure.Save(panels, height, width, title, p, options);
        return paths;
    }

    /// <summary>error-vs-resolution.png and .svg.</summary>
    public static IReadOnlyList<string> WriteResolutionErrors(string folder, IReadOnlyList<EvaluationResult> results, int trainingResolution,
        IReadOnlyList<string>? formats = null)
    {
        var model = ResolutionErrorFigure.Create(results.Select(r => r.Grid[^1]).ToList(), results.Select(r => r.RelativeL2).ToList(),
            results.Select(r => r.RelativeH1).ToList(), trainingResolution);
        var paths = (formats ?? BothFormats).Select(f => Path.Combine(folder, $"error-vs-resolution.{f}")).ToArray();
        foreach (var p in paths) FigureExport.Save(model, p);
        return paths;
    }

    /// <summary>The formats figures are written in unless a command says otherwise: PNG to look at, SVG to print.</summary>
    public static IReadOnlyList<string> BothFormats { get; } = ["png", "svg"];
}
