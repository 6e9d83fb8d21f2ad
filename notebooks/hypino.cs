#:package PdeOps.Operators@0.1.0
#:package PdeOps.Plotting@0.1.0

// %% [markdown]
// # HyPINO: a PDE written as text, solved by a generated PINN
//
// HyPINO (Bischof et al. 2025) is a hypernetwork: it reads a linear second-order problem (the
// operator, the source, the domain with its holes and the boundary conditions, rendered on a grid)
// and writes every weight of a small physics-informed network (PINN) that solves it, in one
// forward pass. This notebook loads the `small` model trained on this project's two-core machine
// (`bench/results/checkpoints/hypino-small`, about an hour of training on manufactured problems),
// then:
//
// 1. writes a Poisson problem on a square with a hole as text and solves it zero-shot;
// 2. refines the answer: each round renders the current residual as a new problem, generates a
//    correction and adds it (the equation is linear, so the sum of the PINNs is the solution);
// 3. fine-tunes the result on the problem's own PINN loss, beside a PINN trained from random
//    initialisation with the same budget.
//
// The small model is far from the published one (trained for days on GPUs): expect its zero-shot
// answers to be rough, and fine-tuning to do most of the work.

// %%
using System.Diagnostics;
using System.IO;
using System.Linq;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using PdeOps.Operators.Hypino;
using PdeOps.Operators.Pinn;
using PdeOps.Operators.Runtime;
using PdeOps.Physics.Geometry;
using PdeOps.Physics.Pde;
using PdeOps.Plotting;

TorchRuntime.SetThreads(1);
string output = Path.GetFullPath(Environment.GetEnvironmentVariable("PDEOPS_NOTEBOOK_OUTPUT") is { Length: > 0 } o
    ? Path.Combine(o, "hypino") : Path.Combine(Path.GetTempPath(), "pdeops-notebooks", "hypino"));
Directory.CreateDirectory(output);
// The committed model, found from the working folder upwards (PDEOPS_HYPINO_MODEL overrides it).
string FindModel()
{
    if (Environment.GetEnvironmentVariable("PDEOPS_HYPINO_MODEL") is { Length: > 0 } given) return given;
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        string candidate = Path.Combine(dir.FullName, "bench", "results", "checkpoints", "hypino-small");
        if (File.Exists(Path.Combine(candidate, "hypino.json"))) return candidate;
    }
    throw new DirectoryNotFoundException("bench/results/checkpoints/hypino-small not found above the working folder; set PDEOPS_HYPINO_MODEL");
}
string modelFolder = FindModel();
Console.WriteLine($"libtorch {TorchRuntime.LibTorchVersion}; model {modelFolder}; output in {output}");

// %% [program]
static void Show(string path) => Console.WriteLine($"figure: {path}");

// %% [markdown]
// ## 1. A problem as text, solved zero-shot
//
// -Δu = f on the square minus a disk, with the exact solution u = sin(πx) sin(πy) (so the errors
// can be measured): Dirichlet data on the outer sides, the normal derivative on the hole.

// %%
var problem = Problem2D.FromText("uxx + uyy", "-2*pi^2*sin(pi*x)*sin(pi*y)", "square - disk(0.4, 0.3, 0.3)",
    ["sin(pi*x)*sin(pi*y)"], ["hole1: pi*(nx*cos(pi*x)*sin(pi*y) + ny*sin(pi*x)*cos(pi*y))"], "sin(pi*x)*sin(pi*y)");
var hypino = Hypino.Load(modelFolder);
foreach (var warning in hypino.Warnings(problem)) Console.WriteLine($"warning: {warning}");

const int n = 65;
var xs = Enumerable.Range(0, n * n).Select(k => Domain2D.Coordinate(k % n, n)).ToArray();
var ys = Enumerable.Range(0, n * n).Select(k => Domain2D.Coordinate(k / n, n)).ToArray();
var inside = Enumerable.Range(0, n * n).Where(k => problem.Domain.InClosure(xs[k], ys[k])).ToArray();
var exact = problem.Exact!.Compile2D();
double RelativeError(double[] u) =>
    Math.Sqrt(inside.Sum(k => Math.Pow(u[k] - exact.Evaluate(xs[k], ys[k]), 2)) / inside.Sum(k => Math.Pow(exact.Evaluate(xs[k], ys[k]), 2)));
double[,] Field(double[] u)
{
    var field = new double[n, n];
    for (int k = 0; k < n * n; k++) field[k / n, k % n] = problem.Domain.InClosure(xs[k], ys[k]) ? u[k] : double.NaN;
    return field;
}

var clock = Stopwatch.StartNew();
var solution = hypino.Solve(problem);
double zeroShot = RelativeError(solution.Predict(xs, ys));
Console.WriteLine($"zero-shot: {solution} in {clock.Elapsed.TotalMilliseconds:F0} ms, relative L2 {zeroShot:F4}");
// Without a truth, the answer's PINN loss beside that of u = 0 says how much of the problem it answers.
var check = Hypino.Check(problem, solution);
Console.WriteLine($"zero-shot PINN loss {check.Loss:E3}, {check.Ratio:P1} of u = 0's {check.ZeroAnswerLoss:E3}");

// %% [markdown]
// ## 2. Iterative refinement
//
// Each round adds a generated correction of the current residual, then refits the output layer of
// every member by least squares on the PINN loss over a fixed set of collocation points (u is
// linear in those weights), so the loss never grows; the corrections' features are what the fit
// can combine. The loss is weighed in units of u: the residual is divided by how much the
// operator amplifies the features, so that the fit does not trade boundary error for residual.

// %%
var errors = new List<(string Stage, double Error)> { ("zero-shot", zeroShot) };
var rounds = hypino.Refine(problem, solution, rounds: 3);
foreach (var round in rounds)
    Console.WriteLine($"round {round.Round}: loss {round.ResidualBefore:E3} -> {round.ResidualAfter:E3} (step {round.StepLength:G3})");
double refined = RelativeError(solution.Predict(xs, ys));
errors.Add(("refined x3", refined));
Console.WriteLine($"after {rounds.Count} rounds: {solution}, relative L2 {refined:F4}");

// %% [markdown]
// ## 3. Fine-tuning, beside a PINN from random initialisation
//
// Both train on the same collocation points with the same budget (Adam, then L-BFGS).

// %%
var budget = new PinnSolveOptions { AdamSteps = 300, LbfgsSteps = 30, CollocationPoints = 1024, BoundaryPoints = 256, RecordEvery = 30 };
var tunedCurve = new List<DataPoint>();
var randomCurve = new List<DataPoint>();
Hypino.FineTune(problem, solution, budget, new Progress<PinnLossRecord>(r => tunedCurve.Add(new(r.Step, r.Loss))));
double tuned = RelativeError(solution.Predict(xs, ys));
var random = new PinnNetwork(hypino.Options.Pinn);
PinnSolver.TrainNetwork(random, problem, budget, new Progress<PinnLossRecord>(r => randomCurve.Add(new(r.Step, r.Loss))));
double fromRandom = RelativeError(random.Predict(xs, ys));
errors.Add(("fine-tuned", tuned));
Console.WriteLine($"fine-tuned from HyPINO: relative L2 {tuned:F4}; same budget from random initialisation: {fromRandom:F4}");

string solutionPath = Path.Combine(output, "solution.png");
FigureExport.Save(HeatMapFigure.Create(Field(solution.Predict(xs, ys)), $"HyPINO, refined and fine-tuned: rel L2 {tuned:F3}", -1, 1, -1, 1), solutionPath);
Show(solutionPath);

var curves = new PlotModel { Title = "PINN loss while fine-tuning" };
curves.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "step" });
curves.Axes.Add(new LogarithmicAxis { Position = AxisPosition.Left, Title = "loss" });
curves.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight });
var fromHypinoSeries = new LineSeries { Title = "from HyPINO" };
fromHypinoSeries.Points.AddRange(tunedCurve);
var fromRandomSeries = new LineSeries { Title = "from random initialisation" };
fromRandomSeries.Points.AddRange(randomCurve);
curves.Series.Add(fromHypinoSeries);
curves.Series.Add(fromRandomSeries);
string curvesPath = Path.Combine(output, "finetune.png");
FigureExport.Save(curves, curvesPath);
Show(curvesPath);

// %% [markdown]
// ## Result

// %%
Console.WriteLine($"zero_shot = {zeroShot:F4}");
Console.WriteLine($"refined = {refined:F4}");
Console.WriteLine($"finetuned = {tuned:F4}");
Console.WriteLine($"random_init = {fromRandom:F4}");
// The model and the PINNs hold native memory: release them.
foreach (var held in new IDisposable[] { solution, random, hypino }) held.Dispose();
