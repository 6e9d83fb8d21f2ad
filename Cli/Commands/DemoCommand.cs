using System.CommandLine;
using System.Globalization;
using System.Text;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Readers;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Models;
using PdeOps.Operators.Training;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Cli.Commands;

/// <summary>
/// <c>pdeops demo</c>: the main jobs on built-in defaults, end to end. It solves a Poisson problem
/// with multigrid against the exact solution, generates a small Darcy dataset, trains MgNO on it
/// (about two minutes on two cores), evaluates it at the training resolution and zero-shot at twice
/// the resolution, and writes the data, the checkpoint, the figures and a short report under runs/demo.
/// </summary>
public static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => Path.Combine("runs", "demo") };
        var n = new Option<int>("--n") { Description = "Interior points per axis of the Poisson problem", DefaultValueFactory = _ => 255 };
        n.RequireAtLeast(3);
        var epochs = new Option<int>("--epochs") { Description = "MgNO training epochs", DefaultValueFactory = _ => 40 };
        epochs.RequireAtLeast(1);
        var threads = CommonOptions.Threads();
        var command = new Command("demo", "Run the built-in demo: Poisson with multigrid, Darcy data, MgNO training and evaluation, figures and a report under runs/demo")
        {
            outDir, n, epochs, threads,
        };
        command.SetAction(parse =>
        {
            string dir = parse.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            var report = new StringBuilder("# PdeOps demo\n\n");
            RunPoisson(dir, parse.GetValue(n), report);
            RunOperator(dir, parse.GetValue(epochs), parse.GetValue(threads), report);
            string reportPath = Path.Combine(dir, "report.md");
            File.WriteAllText(reportPath, report.ToString());
            Console.WriteLine($"Wrote {reportPath}");
            return ExitCodes.Ok;
        });
        return command;
    }

    static void RunPoisson(string dir, int n, StringBuilder report)
    {
        var options = new MultigridOptions();
        string h5 = Path.Combine(dir, "poisson.h5"), png = Path.Combine(dir, "poisson.png");
        var outcome = PoissonWorkflow.Solve(n, options, fmgExtraCycles: 1);
        PoissonWorkflow.WriteHdf5(outcome, options, h5);
        PoissonWorkflow.WritePlot(outcome, png);
        var r = outcome.Result;
        string line = $"Solved -lap u = f on a {outcome.Grid.Nx} x {outcome.Grid.Ny} grid with full multigrid: {r.Iterations} cycles, " +
                      $"relative residual {r.RelativeResidual:E2}, max error vs exact {outcome.MaxError:E3}, {r.SolveSeconds * 1000:F1} ms";
        Console.WriteLine(line);
        Console.WriteLine($"Wrote {h5} (datasets u, f on all vertices, x, y) and {png}");
        report.Append("## Poisson with multigrid\n\n").Append(line).Append(".\nFiles: `poisson.h5`, `poisson.png`.\n\n");
    }

    static void RunOperator(string dir, int epochs, int threads, StringBuilder report)
    {
        string train = Path.Combine(dir, "darcy-train.h5"), test = Path.Combine(dir, "darcy-test.h5"), run = Path.Combine(dir, "mgno");
        foreach (var stale in new[] { train, test }) if (File.Exists(stale)) File.Delete(stale);
        if (Directory.Exists(run)) Directory.Delete(run, recursive: true);
        // Training data at 33 points (solved at 129), test data at 65 (solved at 129): the model is
        // evaluated at 33 and, zero-shot, at 65.
        var generation = new GenerationRunOptions { Threads = threads };
        ProgressDisplay.Run("generating Darcy data", 2, step =>
        {
            DatasetGeneration.Run(new GenerationRequest { Family = "darcy", Samples = 256, Resolution = 33, FineResolution = 129, Seed = 1 }, train, generation);
            step(1);
            DatasetGeneration.Run(new GenerationRequest { Family = "darcy", Samples = 64, Resolution = 65, FineResolution = 129, Seed = 2 }, test, generation);
            step(2);
        });
        var trainSet = DatasetReader.Read(train);
        var testFine = DatasetReader.Read(test);
        var testSet = testFine.Subsample(2);
        var spec = new TrainingSpec
        {
            ModelName = "mgno",
            ModelOptions = MgnoOptions.WithLevels(3) with { Width = 16, Layers = 4 },
            Options = new TrainingOptions { Epochs = epochs, BatchSize = 16, LearningRate = 2e-3, Schedule = ScheduleKind.OneCycle, Seed = 0 },
        };
        TrainingResult? result = null;
        PdeOps.Operators.Runtime.TorchRuntime.SetThreads(threads);
        ProgressDisplay.Run("training MgNO", epochs, done =>
            result = OperatorTrainer.Train(spec, trainSet, testSet, run, progress: p => { if (p.Finished is not null) done(p.Epoch); }));
        using var op = NeuralOperator.Load(run);
        var evaluations = OperatorEvaluation.AcrossResolutions(op, testFine, [33, 65]);
        var figures = OperatorReports.WriteTrainingCurve(run, result!.History, "MgNO on Darcy (33 x 33)").ToList();
        figures.AddRange(OperatorReports.WritePredictions(op, testSet, [0, 1, 2], Path.Combine(run, "test-predictions-33"), "MgNO on test samples at 33 x 33"));
        figures.AddRange(OperatorReports.WritePredictions(op, testFine, [0, 1], Path.Combine(run, "test-predictions-65"), "MgNO trained at 33, evaluated at 65 (zero-shot)"));
        figures.AddRange(OperatorReports.WriteResolutionErrors(run, evaluations, 33));
        double seconds = result.History.Sum(m => m.Seconds);
        var lines = new List<string>
        {
            $"Trained MgNO ({result.Parameters} parameters) on 256 Darcy samples at 33 x 33 for {result.History.Count} epochs ({seconds:F0} s): best test relative L2 {result.BestTestRelativeL2.ToString("P2", CultureInfo.InvariantCulture)} at epoch {result.BestEpoch}.",
        };
        lines.AddRange(evaluations.Select(e =>
            $"At {e.Grid[^1]} x {e.Grid[^1]}{(e.Grid[^1] == 33 ? "" : " (zero-shot)")}: relative L2 {e.RelativeL2.ToString("P2", CultureInfo.InvariantCulture)}, relative H1 {e.RelativeH1.ToString("P2", CultureInfo.InvariantCulture)}, max error {e.MaxError:E2} over {e.Samples} test samples."));
        lines.Add("MgNO's learned 3 x 3 stencils act on the grid they were trained on, so its zero-shot error at another resolution is large; FNO's Fourier layers transfer across resolutions (pdeops eval --res).");
        foreach (var line in lines) Console.WriteLine(line);
        Console.WriteLine($"Wrote {train}, {test}, the checkpoint {run} and figures: {string.Join(", ", figures.Select(Path.GetFileName))}");
        report.Append("## Darcy data and MgNO\n\n").Append(string.Join("\n", lines)).Append("\n\n")
            .Append("Files: `darcy-train.h5`, `darcy-test.h5`, the checkpoint folder `mgno/` (load it with `NeuralOperator.Load`), ")
            .Append(string.Join(", ", figures.Select(f => $"`mgno/{Path.GetFileName(f)}`"))).Append(".\n");
    }
}
