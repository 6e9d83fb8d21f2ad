#:package PdeOps.Datasets@0.1.0
#:package PdeOps.Operators@0.1.0
#:package PdeOps.Plotting@0.1.0

// %% [markdown]
// # Quickstart: learn Darcy flow with a Fourier neural operator
//
// This notebook uses PdeOps from its NuGet packages: it generates a small Darcy dataset with the
// library's multigrid solver, trains a Fourier neural operator (FNO) on it with the library's
// trainer, and evaluates the trained operator on the grid it was trained on and, zero-shot, on a
// grid twice as fine.
//
// Darcy flow: -div(a grad u) = 1 on the unit square, u = 0 on the boundary, with a two-phase
// coefficient a (12 where a Gaussian random field is non-negative, 3 elsewhere), as in the FNO
// paper (Li et al., ICLR 2021). The operator to learn maps a to u.
//
// Sizes are tiny so that the whole notebook runs in well under a minute on two CPU cores; the
// errors are therefore those of a short training, not of the paper.

// %%
using System.Diagnostics;
using System.IO;
using System.Linq;
using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Readers;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Runtime;
using PdeOps.Operators.Training;
using PdeOps.Plotting;

// libtorch's thread count is the caller's choice: these tensors are too small to gain from more
// than one thread, and on a busy machine extra threads only wait for each other.
TorchRuntime.SetThreads(1);
// Data, the run folder and the figures go here (PDEOPS_NOTEBOOK_OUTPUT overrides it).
string output = Path.GetFullPath(Environment.GetEnvironmentVariable("PDEOPS_NOTEBOOK_OUTPUT") is { Length: > 0 } o
    ? Path.Combine(o, "quickstart") : Path.Combine(Path.GetTempPath(), "pdeops-notebooks", "quickstart"));
Directory.CreateDirectory(output);
Console.WriteLine($"libtorch {TorchRuntime.LibTorchVersion}, {TorchRuntime.Threads} threads; output in {output}");

// %% [program]
// The program writes its figures to files and prints where they are (the notebook shows them).
static void Show(string path) => Console.WriteLine($"figure: {path}");

// %% [markdown]
// ## 1. Generate the data
//
// Each sample is solved on a 65 x 65 vertex grid (multigrid-preconditioned CG). The training set
// is stored subsampled to 33 x 33; the test set keeps all 65 x 65 points, so that the same test
// samples can be evaluated at both resolutions. Sample i depends only on the seed and i.

// %%
var clock = Stopwatch.StartNew();
var generation = new GenerationRunOptions { Threads = 2, Overwrite = true };
string trainFile = Path.Combine(output, "darcy-train-33.h5"), testFile = Path.Combine(output, "darcy-test-65.h5");
DatasetGeneration.Run(new GenerationRequest { Family = "darcy", Samples = 64, Resolution = 33, FineResolution = 65, Seed = 1 }, trainFile, generation);
DatasetGeneration.Run(new GenerationRequest { Family = "darcy", Samples = 16, Resolution = 65, FineResolution = 65, Seed = 2 }, testFile, generation);
var train = DatasetReader.Read(trainFile);
var test = DatasetReader.Read(testFile);
var test33 = test.Subsample(2);
Console.WriteLine($"{train.Samples} training samples at 33 x 33, {test.Samples} test samples at 65 x 65 ({clock.Elapsed.TotalSeconds:F1} s)");

var coefficient = test.Inputs[0].Sample(0).ToArray();
var pressure = test.Outputs[0].Sample(0).ToArray();

// %% [markdown]
// ## 2. Train a Fourier neural operator
//
// `OperatorTrainer.Train` fits the model described by a `TrainingSpec` (architecture, optimizer,
// loss, normalization) and writes a self-describing run folder: the best checkpoint, the metrics
// of every epoch and the state to resume from. The FNO keeps 8 Fourier modes per axis and weighs
// the edges of its padded domain by the trapezoidal rule, so that it can be applied on finer grids.

// %%
string runFolder = Path.Combine(output, "run-fno");
if (Directory.Exists(runFolder)) Directory.Delete(runFolder, recursive: true);
var spec = new TrainingSpec
{
    ModelName = "fno",
    ModelOptions = FnoOptions.Defaults(2, GridConvention.Closed) with { Width = 16, Modes = [8, 8], Layers = 4, ProjectionWidth = 32, TrapezoidalEdges = true },
    Options = new TrainingOptions { Epochs = 20, BatchSize = 8, LearningRate = 3e-3, Schedule = ScheduleKind.Cosine, Seed = 0 },
};
clock.Restart();
var training = OperatorTrainer.Train(spec, train, test33, runFolder, progress: p =>
{
    if (p.Finished is { } m) Console.WriteLine($"epoch {m.Epoch,2}: train loss {m.TrainLoss:F4}, test relative L2 {m.TestRelativeL2:F4}");
});
Console.WriteLine($"{training.Parameters} parameters, best test relative L2 {training.BestTestRelativeL2:F4} at epoch {training.BestEpoch} ({clock.Elapsed.TotalSeconds:F1} s)");

string curvePath = Path.Combine(output, "training.png");
FigureExport.Save(TrainingCurveFigure.Create(training.History.Select(m => m.Epoch).ToList(), training.History.Select(m => m.TrainLoss).ToList(),
    training.History.Select(m => m.TestRelativeL2).ToList()), curvePath, 640, 400);
Show(curvePath);

// %% [markdown]
// ## 3. Evaluate across resolutions
//
// `NeuralOperator.Load` reads the run folder back: no model class to know. The test set is
// evaluated at 33 x 33 (the training grid, by subsampling) and at 65 x 65, a grid the model never
// saw (zero-shot super-resolution).

// %%
var op = NeuralOperator.Load(runFolder);
var errors = OperatorEvaluation.AcrossResolutions(op, test, [33, 65], batchSize: 8);
foreach (var e in errors) Console.WriteLine($"{e.Grid[0]} x {e.Grid[1]}: relative L2 {e.RelativeL2:F4}, relative H1 {e.RelativeH1:F4}, max error {e.MaxError:E2}");
string resolutionPath = Path.Combine(output, "resolution.png");
FigureExport.Save(ResolutionErrorFigure.Create(errors.Select(e => e.Grid[^1]).ToList(), errors.Select(e => e.RelativeL2).ToList(),
    errors.Select(e => e.RelativeH1).ToList(), trainingResolution: 33, title: "FNO on Darcy: error against resolution"), resolutionPath, 640, 400);
Show(resolutionPath);

// %% [markdown]
// ## 4. Input, truth, prediction and error
//
// One test sample on the fine grid, predicted by the operator trained on the coarse one.

// %%
var prediction = new float[pressure.Length];
op.Predict(coefficient, prediction, 65, 65);
string predictionPath = Path.Combine(output, "prediction.png");
PredictionFigure.Save(coefficient, pressure, prediction, 65, 65, "FNO trained at 33 x 33, evaluated at 65 x 65", predictionPath);
Show(predictionPath);
op.Dispose();

// %% [markdown]
// ## Result
//
// Relative L2 errors of the test set on the training grid and on the twice finer grid.

// %%
Console.WriteLine($"rel_l2_33 = {errors[0].RelativeL2:F4}");
Console.WriteLine($"rel_l2_65 = {errors[1].RelativeL2:F4}");
