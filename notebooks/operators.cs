#:package PdeOps.Datasets@0.1.0
#:package PdeOps.Operators@0.1.0
#:package PdeOps.Plotting@0.1.0

// %% [markdown]
// # Neural operators side by side, and zero-shot super-resolution
//
// Every model of PdeOps on one small problem, Poisson's equation -(u_xx + u_yy) = f on the unit
// square with u = 0 on the boundary and a random forcing f: the operator to learn maps f to u.
// Each model is trained on a 33 x 33 grid and evaluated there and, without retraining, on grids
// of 65 x 65 and 129 x 129 points (zero-shot super-resolution). A neural operator approximates a
// map between functions, so its error should stay put on the finer grids; a plain CNN, which
// learned stencils for one grid spacing, computes another operator there.
//
// | name | model |
// | --- | --- |
// | `fno` | Fourier neural operator (Li et al., ICLR 2021) |
// | `mgno` | multigrid neural operator (He, Liu, Xu, ICLR 2024): V-cycles of learned convolutions |
// | `attention` | multi-head attention as a kernel integral over the grid points, with their quadrature weights (linear, Galerkin-type kernel) |
// | `transolver` | physics attention over learned slices (Transolver, Wu et al., ICML 2024) |
// | `unet` | a plain U-Net, for comparison |
// | `unet-no` | the same U-Net converted by `OperatorConversion` into an operator on any grid |
//
// MgNO's V-cycles are made of 3 x 3 convolutions of the grid they run on, and its padding follows
// the boundary condition: like the plain U-Net it learns an operator for the training grid's
// spacing, and is shown here for its accuracy on that grid.
//
// The last section converts a network written directly in TorchSharp. Sizes are tiny so that the
// notebook runs in about a minute on two CPU cores: the errors are those of short trainings.

// %%
using System.Diagnostics;
using System.IO;
using System.Linq;
using OxyPlot;
using OxyPlot.Legends;
using OxyPlot.Series;
using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Readers;
using PdeOps.Operators.Conversion;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Runtime;
using PdeOps.Operators.Training;
using PdeOps.Plotting;
using TorchSharp;
using static TorchSharp.torch;

// libtorch's thread count is the caller's choice: these tensors are too small to gain from more
// than one thread, and on a busy machine extra threads only wait for each other.
TorchRuntime.SetThreads(1);
// Data, run folders and figures go here (PDEOPS_NOTEBOOK_OUTPUT overrides it).
string output = Path.GetFullPath(Environment.GetEnvironmentVariable("PDEOPS_NOTEBOOK_OUTPUT") is { Length: > 0 } o
    ? Path.Combine(o, "operators") : Path.Combine(Path.GetTempPath(), "pdeops-notebooks", "operators"));
Directory.CreateDirectory(output);

// A smooth forcing: a Gaussian random field with covariance (-Lap + 9)^(-4), scaled by 100.
var smooth = new Dictionary<string, double> { ["alpha"] = 4 };
var generation = new GenerationRunOptions { Threads = 2, Overwrite = true };
string trainFile = Path.Combine(output, "poisson-train-33.h5"), testFile = Path.Combine(output, "poisson-test-129.h5");
DatasetGeneration.Run(new GenerationRequest { Family = "poisson", Samples = 48, Resolution = 33, FineResolution = 65, Seed = 1, Parameters = smooth }, trainFile, generation);
DatasetGeneration.Run(new GenerationRequest { Family = "poisson", Samples = 16, Resolution = 129, FineResolution = 129, Seed = 2, Parameters = smooth }, testFile, generation);
var train = DatasetReader.Read(trainFile);
var test = DatasetReader.Read(testFile);
Console.WriteLine($"{train.Samples} training samples at 33 x 33, {test.Samples} test samples at 129 x 129; output in {output}");

// %% [program]
// The program writes its figures to files and prints where they are (the notebook shows them).
static void Show(string path) => Console.WriteLine($"figure: {path}");

// %% [markdown]
// ## 1. Train each model on the 33 x 33 grid
//
// The same trainer (`OperatorTrainer.Train`), loss (relative L2), optimizer and schedule for every
// model; only the architecture differs. `NeuralOperator.Load` reads each run folder back and
// `OperatorEvaluation.AcrossResolutions` evaluates it on the test set at three resolutions.

// %%
var models = new (string Name, NeuralOperatorOptions Options)[]
{
    ("fno", FnoOptions.Defaults(2, GridConvention.Closed) with { Width = 12, Modes = [8, 8], Layers = 3, ProjectionWidth = 32, TrapezoidalEdges = true }),
    ("mgno", MgnoOptions.WithLevels(3) with { Width = 12, Layers = 2 }),
    ("attention", new AttentionOptions { Width = 32, Heads = 2, Layers = 2, Frequencies = 4 }),
    ("transolver", new TransolverOptions { Width = 32, Heads = 2, Layers = 2, Frequencies = 4, Slices = 16 }),
    ("unet", new UNetOptions { Width = 8, Levels = 3 }),
    ("unet-no", new UNetOptions { Width = 8, Levels = 3 }),
};
var results = new Dictionary<string, IReadOnlyList<EvaluationResult>>();
var predictions = new List<(float[] Input, float[] Truth, float[] Prediction)>();
var test65 = test.Subsample(2);
float[] forcing = test65.Inputs[0].Sample(0).ToArray(), solution = test65.Outputs[0].Sample(0).ToArray();
foreach (var (name, options) in models)
{
    var clock = Stopwatch.StartNew();
    string run = Path.Combine(output, "run-" + name);
    if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
    var spec = new TrainingSpec
    {
        ModelName = name,
        ModelOptions = options,
        Options = new TrainingOptions { Epochs = 30, BatchSize = 8, LearningRate = 3e-3, Seed = 0 },
    };
    var training = OperatorTrainer.Train(spec, train, test.Subsample(4), run);
    using var op = NeuralOperator.Load(run);
    results[name] = OperatorEvaluation.AcrossResolutions(op, test, [33, 65, 129], batchSize: 8);
    var prediction = new float[solution.Length];
    op.Predict(forcing, prediction, 65, 65);
    predictions.Add((forcing, solution, prediction));
    Console.WriteLine($"{name,-10} {training.Parameters,7} parameters, {clock.Elapsed.TotalSeconds,5:F1} s; relative L2 "
        + string.Join(", ", results[name].Select(e => $"{e.RelativeL2:F4} at {e.Grid[0]} x {e.Grid[1]}")));
}

// %% [markdown]
// ## 2. Zero-shot super-resolution
//
// Test error at the training resolution and on grids two and four times finer (65 x 65 and
// 129 x 129), and one test sample at 65 x 65 as each model predicts it.

// %%
var errorPlot = LineFigure.Create("Poisson: test error against resolution (trained at 33)", "points per axis", "relative L2",
    results.Select(r => (r.Key, (IReadOnlyList<double>)r.Value.Select(e => (double)e.Grid[^1]).ToList(), (IReadOnlyList<double>)r.Value.Select(e => e.RelativeL2).ToList())),
    logY: true);
// A figure is an OxyPlot model: colours, markers and the legend's place can be changed before it is saved.
var styles = new[] { (OxyColors.SteelBlue, MarkerType.Circle), (OxyColors.ForestGreen, MarkerType.Square), (OxyColors.Crimson, MarkerType.Diamond),
    (OxyColors.DarkOrange, MarkerType.Triangle), (OxyColors.Gray, MarkerType.Cross), (OxyColors.Black, MarkerType.Plus) };
foreach (var (series, (color, marker)) in errorPlot.Series.OfType<LineSeries>().Zip(styles))
    (series.Color, series.MarkerType, series.MarkerStroke, series.MarkerSize) = (color, marker, color, 4);
(errorPlot.Legends[0].LegendPlacement, errorPlot.Legends[0].LegendPosition) = (LegendPlacement.Outside, LegendPosition.RightTop);
string errorPath = Path.Combine(output, "resolution.png");
FigureExport.Save(errorPlot, errorPath, 720, 420);
Show(errorPath);

string predictionPath = Path.Combine(output, "predictions.png");
PredictionFigure.Save(predictions, 65, 65, "trained at 33 x 33, evaluated at 65 x 65", predictionPath,
    new PredictionFigureOptions { InputSymbol = "f", SampleLabels = models.Select(m => m.Name).ToList(), PanelWidth = 300, PanelHeight = 270 });
Show(predictionPath);

// %% [markdown]
// ## 3. Converting a network of your own
//
// `OperatorConversion.Convert` turns a TorchSharp network into a neural operator with the same
// weights: on the grid it was trained on it computes exactly what the network computed, and on
// other grids each convolution keeps its meaning in physical units. The network here is one 3 x 3
// convolution fitted to map u back to f, i.e. to be the Laplacian: a stencil in units of 1/h^2,
// right only for the grid spacing it was trained on. Converted under the stencil-moments rule it
// applies the same differential operator on the finer grid. Errors are measured at interior points
// (the boundary values of f are not determined by u).

// %%
manual_seed(0);
var stencil = nn.Sequential(("conv", nn.Conv2d(1, 1, 3, padding: 1, bias: false)));
// u and f of a dataset as [samples, 1, n, n] tensors, f scaled so that the stencil's weights are of order one.
static (Tensor U, Tensor F) Fields(OperatorDataset data)
{
    int n = data.Outputs[0].Shape[^1];
    return (tensor(data.Outputs[0].Values).view(-1, 1, n, n), tensor(data.Inputs[0].Values).view(-1, 1, n, n) / 1000);
}
// Relative L2 error of a prediction of f at the interior points.
static double InteriorError(Tensor predicted, Tensor f)
{
    var inner = TensorIndex.Slice(1, -1);
    var d = predicted[.., .., inner, inner] - f[.., .., inner, inner];
    return (d.norm() / f[.., .., inner, inner].norm()).item<float>();
}
var (u33, f33) = Fields(train);
// The weights that minimize the squared error at the interior points (what training with a
// quadratic loss converges to), by least squares: one equation per point, its 3 x 3 neighbourhood of u.
using (no_grad())
{
    var neighbourhoods = nn.functional.unfold(u33, 3).transpose(1, 2).reshape(-1, 9).to(float64);
    var targets = f33[.., .., 1..^1, 1..^1].reshape(-1, 1).to(float64);
    var (weights, _, _, _) = linalg.lstsq(neighbourhoods, targets);
    stencil.parameters().First().copy_(weights.view(1, 1, 3, 3).to(float32));
}
Console.WriteLine("learned stencil: " + string.Join(" ", stencil.parameters().First().data<float>().ToArray().Select(w => w.ToString("F2"))));
var (u65, f65) = Fields(test65);
var (u65at33, f65at33) = Fields(test.Subsample(4));
double cnn33, cnn65, converted33, converted65, referenceDifference;
// Sample 0 at the interior points of the 65 x 65 grid: u, f and the two predictions, for the figure.
static float[] Interior(Tensor field) => field[0, 0, 1..^1, 1..^1].contiguous().data<float>().ToArray();
float[] sampleU = Interior(u65), sampleF = Interior(f65), byCnn, byConverted;
using (no_grad())
{
    cnn33 = InteriorError(stencil.call(u65at33), f65at33);
    cnn65 = InteriorError(stencil.call(u65), f65);
    byCnn = Interior(stencil.call(u65));
    var before = stencil.call(u65at33);
    // Convert changes the network in place (the stencil is its layer from now on) and returns it as an operator.
    var converted = OperatorConversion.Convert(stencil, new ReferenceGrid2d(33, 33, GridConvention.Closed),
        new ConversionOptions { Convolutions = ConvolutionRule.StencilMoments });
    foreach (var layer in converted.Layers) Console.WriteLine($"{layer.Path}: {layer.Layer} -> {layer.Rule}");
    referenceDifference = (converted.call(u65at33) - before).abs().max().item<float>() / before.abs().max().item<float>();
    converted33 = InteriorError(converted.call(u65at33), f65at33);
    converted65 = InteriorError(converted.call(u65), f65);
    byConverted = Interior(converted.call(u65));
}
Console.WriteLine($"plain CNN: relative L2 {cnn33:F4} at 33 x 33, {cnn65:F4} at 65 x 65");
Console.WriteLine($"converted: relative L2 {converted33:F4} at 33 x 33, {converted65:F4} at 65 x 65 (on 33 x 33 it differs from the CNN by {referenceDifference:E1})");

string stencilPath = Path.Combine(output, "stencil.png");
PredictionFigure.Save([(sampleU, sampleF, byCnn), (sampleU, sampleF, byConverted)], 63, 63, "a stencil fitted at 33 x 33, applied at 65 x 65 (interior points)", stencilPath,
    new PredictionFigureOptions { InputSymbol = "u", OutputSymbol = "f/1000", SampleLabels = ["CNN", "converted"], X0 = 1 / 64.0, X1 = 63 / 64.0, Y0 = 1 / 64.0, Y1 = 63 / 64.0, PanelWidth = 300, PanelHeight = 270 });
Show(stencilPath);

// %% [markdown]
// ## Result
//
// Relative L2 test errors of every model trained at 33 x 33, on that grid and on the finer ones,
// and those of the fitted stencil on the 65 x 65 grid, as it is and converted.

// %%
foreach (var (name, r) in results)
    foreach (var e in r) Console.WriteLine($"{name.Replace('-', '_')}_{e.Grid[0]} = {e.RelativeL2:F4}");
Console.WriteLine($"stencil_cnn_65 = {cnn65:F4}");
Console.WriteLine($"stencil_converted_65 = {converted65:F4}");
