using System.Text.Json;
using PdeOps.Cli.Workflows;
using PdeOps.Operators.Hypino;
using PdeOps.Plotting;
using PdeOps.Plotting.Tests;
using PureHDF;

namespace PdeOps.Cli.Tests;

/// <summary>
/// <c>pdeops hypino train</c> and <c>hypino solve</c>: a model trained for a few steps writes PINNs
/// for problems given as text, refines and fine-tunes them; bad input is refused with one line.
/// </summary>
[Collection("console")]
public sealed class HypinoCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-hypino-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    static readonly string[] Quick = ["--steps", "2", "--warmup", "0", "--batch", "2", "--interior-points", "16", "--boundary-points", "8", "--checkpoint-every", "1", "--threads", "1"];

    string Train(string name = "run")
    {
        var (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", PathOf(name), .. Quick, "--json"]);
        Assert.True(exit == 0, error);
        return PathOf(name);
    }

    static readonly string[] Poisson = ["--pde", "uxx + uyy", "--source", "-2*pi^2*sin(pi*x)*sin(pi*y)", "--dirichlet", "0", "--exact", "sin(pi*x)*sin(pi*y)", "--res", "17", "--threads", "1"];

    [Fact]
    public void AFullDiskStopsTrainingWithOneLineAndResumeFinishesIt()
    {
        string[] settings = ["--steps", "4", "--warmup", "0", "--batch", "2", "--interior-points", "16", "--boundary-points", "8", "--checkpoint-every", "2", "--threads", "1"];
        string probe = Train("probe");
        long weights = new FileInfo(Path.Combine(probe, "weights.bin")).Length;
        long optimizer = new FileInfo(Directory.GetFiles(Path.Combine(probe, "last"), "optimizer-*.bin").Single()).Length;
        using var disk = new SmallDisk(8 * weights + 4 * optimizer);
        // Room for the first checkpoint (the best model and the resumable state), not for the second beside it.
        disk.Fill(leaveBytes: 2 * weights + optimizer + 100_000);
        string run = Path.Combine(disk.Folder, "run");
        var (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", run, .. settings]);
        Assert.Equal(1, exit);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("pdeops: ", StringComparison.Ordinal));
        Assert.StartsWith($"pdeops: error: no space left on device writing {run}", line);
        Assert.DoesNotContain(disk.Files(), f => f.EndsWith(".partial", StringComparison.Ordinal) || f.EndsWith(".tmp", StringComparison.Ordinal));
        File.Delete(Path.Combine(disk.Folder, "ballast"));
        (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", run, .. settings, "--resume"]);
        Assert.True(exit == 0, error);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length); // header, steps 2 and 4
    }

    [Fact]
    public void ATrainedModelSolvesRefinesAndFineTunesAndWritesThePinnTheGridAndTheFigure()
    {
        string model = Train();
        Assert.True(File.Exists(Path.Combine(model, "hypino.json")));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(model, "metrics.csv")).Length);

        var (exit, output, error) = CliRunner.Run(["hypino", "solve", "--model", model, .. Poisson, "--refine", "2", "--finetune", "10",
            "--out", PathOf("u.h5"), "--plot", PathOf("u.png"), "--json"]);
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["zero-shot", "refine 1", "refine 2", "finetune 10"], root.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString()));
        var rounds = root.GetProperty("refinement").EnumerateArray().ToList();
        Assert.Equal(2, rounds.Count);
        Assert.True(root.GetProperty("refit_output_layers").GetBoolean());
        // In units of u (the default) the boundary weights are HyPINO's times how much L amplifies the features: far above 10 for the Laplacian.
        Assert.True(root.GetProperty("refinement_loss").GetProperty("dirichlet_weight").GetDouble() > 10);
        // Fine-tuning goes on in units of u by default, set from the refined ensemble it starts from.
        Assert.True(root.GetProperty("finetune_loss").GetProperty("dirichlet_weight").GetDouble() > 10);
        foreach (var round in rounds)
            Assert.True(round.GetProperty("loss_after").GetDouble() <= round.GetProperty("loss_before").GetDouble());
        // The zero-shot answer's check is the first round's loss before it.
        double checkedLoss = root.GetProperty("zero_shot_check").GetProperty("pinn_loss").GetDouble();
        Assert.Equal(rounds[0].GetProperty("loss_before").GetDouble(), checkedLoss, 1e-9 * checkedLoss);
        int members = 1 + rounds.Count(r => r.GetProperty("step").GetDouble() != 0);
        Assert.Equal(members, root.GetProperty("members").GetInt32());
        Assert.Equal("exact", root.GetProperty("truth").GetString());

        // The PINN file evaluates to the grid written beside it.
        using var pinn = PinnEnsemble.Load(PathOf("u.pinn.json"));
        Assert.Equal(members, pinn.Count);
        using var file = H5File.OpenRead(PathOf("u.h5"));
        var u = file.Dataset("u").Read<double[,]>();
        // To single precision: the members' refit output layers may partly cancel in the sum, and
        // the grid evaluates a batch where this evaluates one point.
        Assert.Equal(u[4, 12], pinn.Predict([0.5], [-0.5])[0], 1e-5 * (1 + Math.Abs(u[4, 12])));
        Assert.Equal(root.GetProperty("rel_l2").GetDouble(), file.Attribute("rel_l2").Read<double>(), 12);
        // Zero-shot, the last round, fine-tuned and the truth above; their errors and the error after each stage below.
        Assert.Equal((4 * SolutionFigure.PanelWidth, FigureGrid.TitleBandHeight + 2 * SolutionFigure.PanelHeight), FigureFiles.AssertPng(PathOf("u.png"), 1000));

        // With the PINN loss's fixed weights, fine-tuning reports HyPINO's weights as they are.
        (exit, output, error) = CliRunner.Run(["hypino", "solve", "--model", model, .. Poisson, "--finetune", "10", "--finetune-weighting", "pinn-loss", "--json"]);
        Assert.True(exit == 0, error);
        using var fixedWeights = JsonDocument.Parse(output);
        var tuned = fixedWeights.RootElement.GetProperty("finetune_loss");
        Assert.Equal(10, tuned.GetProperty("dirichlet_weight").GetDouble());
        Assert.Equal(1, tuned.GetProperty("neumann_weight").GetDouble());
    }

    [Fact]
    public void AZeroShotAnswerIsCheckedAgainstUEqualsZeroAndABarelyBetterOneIsWarnedAbout()
    {
        string model = Train();
        string[] driven = ["--pde", "-uxx - uyy", "--source", "10", "--dirichlet", "0", "--res", "17", "--threads", "1"];
        var (exit, output, error) = CliRunner.Run(["hypino", "solve", "--model", model, .. driven, "--json"]);
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var check = json.RootElement.GetProperty("zero_shot_check");
        double loss = check.GetProperty("pinn_loss").GetDouble(), zero = check.GetProperty("zero_answer_loss").GetDouble();
        Assert.Equal(100, zero, 1e-9); // u = 0 leaves the source 10 as the residual everywhere
        Assert.Equal(loss / zero, check.GetProperty("ratio").GetDouble(), 1e-12);
        var warnings = json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        bool barely = loss > 0.5 * zero;
        Assert.Equal(barely ? 1 : 0, warnings.Count(w => w.Contains("answers little of the problem", StringComparison.Ordinal)));
        Assert.Equal(barely, error.Contains("pdeops: warning: the zero-shot answer's PINN loss", StringComparison.Ordinal));

        // Refined, the answer is no longer the zero-shot one: the check is reported, not warned about.
        (exit, _, error) = CliRunner.Run(["hypino", "solve", "--model", model, .. driven, "--refine", "1", "--json"]);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("answers little of the problem", error);
    }

    [Fact]
    public void ARunIsResumedNotRestartedAndAFinishedRunStaysFinished()
    {
        string model = Train();
        var (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", model, .. Quick]);
        Assert.Equal(1, exit);
        Assert.Contains("already lives here", error);
        (exit, var output, error) = CliRunner.Run(["hypino", "train", "--out", model, .. Quick, "--resume", "--json"]);
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("steps").GetInt32());
        (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", model, .. Quick.Select(a => a == "2" ? "3" : a), "--resume"]);
        Assert.Equal(1, exit);
        Assert.Contains("other settings", error);
    }

    [Theory]
    [InlineData("--pde", "u*ux + uyy", "not linear")]
    [InlineData("--pde", "uxxx + uyy", "HyPINO models solve linear second-order problems")]
    [InlineData("--domain", "square - disk(3, 3, 0.5)", "on the square [-1, 1]^2 minus holes")]
    [InlineData("--model", "missing", "--model: no folder")]
    [InlineData("--refine", "-1", "--refine must be at least 0")]
    [InlineData("--refine", "1000000", "--refine must be at most 50, got 1000000")]
    [InlineData("--plot", "u.jpg", "--plot must end in .png or .svg")]
    [InlineData("--sum-only", "true", "give --refine K as well")]
    [InlineData("--sum-only", "maybe", "'maybe'")]
    [InlineData("--refine-weighting", "pinn-loss", "give --refine K as well")]
    [InlineData("--refine-weighting", "energy", "'energy'")]
    [InlineData("--finetune-weighting", "pinn-loss", "give --finetune STEPS as well")]
    [InlineData("--finetune-weighting", "energy", "'energy'")]
    [InlineData("--source", "log(x)", "--source: the source is NaN at (x, y) = (-1, -1)")]
    [InlineData("--source", "exp(100*x)", "larger in magnitude than 3.4E+38 (the networks compute in single precision)")]
    [InlineData("--source", "1e-35*x", "the problem's data are of size 1E-36 (the largest boundary value, or a tenth of the largest source), below 1E-30")]
    [InlineData("--res", "100000", "--res must be at most 4097")]
    [InlineData("--threads", "100000", "--threads must be at most")]
    [InlineData("--pinn", "u.h5", "--pinn and --out name the same file")]
    public void ProblemsOutsideTheTrainedClassAreRefusedBeforeAnyWork(string option, string value, string message)
    {
        var args = new Dictionary<string, string> { ["--model"] = PathOf("run"), ["--pde"] = "uxx + uyy", ["--source"] = "1", ["--dirichlet"] = "0" };
        args[option] = option is "--plot" or "--model" or "--pinn" ? PathOf(value) : value;
        var line = new List<string> { "hypino", "solve", "--out", PathOf("u.h5") };
        foreach (var (k, v) in args) line.AddRange([k, v]);
        var (exit, _, error) = CliRunner.Run(line.ToArray());
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData(0.8, "is 80 % of u = 0's (10)")]
    [InlineData(2, "is 200 % of u = 0's (10)")]
    [InlineData(37.5, "is 37.5 times u = 0's (10)")]
    [InlineData(1.234e50, "is 1.23E+50 times u = 0's (10)")]
    public void TheWarningForABarelyBetterAnswerGivesAShareOrAMultipleOfUEqualsZerosLoss(double ratio, string expected)
    {
        var warning = PdeOps.Cli.Commands.HypinoSolveCommand.BarelyBetterWarning(new AnswerCheck(10 * ratio, 10));
        Assert.Contains(expected, warning);
        Assert.Single(warning.Split('\n'));
    }

    [Fact]
    public void AZeroShotAnswerAveragedOverTheProblemsSymmetriesHoldsOnePinnPerImage()
    {
        string model = Train();
        string[] elliptic = ["--pde", "uxx + uyy", "--source", "x", "--dirichlet", "y", "--res", "9", "--threads", "1", "--json"];
        string[] heat = ["--benchmark", "heat", "--res", "9", "--threads", "1", "--json"];
        foreach (var (problem, symmetry, members) in new[] { (elliptic, "full", 16), (elliptic, "sign", 2), (elliptic, "none", 1), (heat, "full", 4) })
        {
            var (exit, output, error) = CliRunner.Run(["hypino", "solve", "--model", model, .. problem, "--symmetry", symmetry]);
            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(symmetry, json.RootElement.GetProperty("symmetry").GetString());
            Assert.Equal(members, json.RootElement.GetProperty("zero_shot_members").GetInt32());
        }
        var (code, _, message) = CliRunner.Run(["hypino", "solve", "--model", model, .. elliptic, "--symmetry", "all", "--out", PathOf("u.h5")]);
        Assert.Equal(2, code);
        Assert.Contains("--symmetry", message);
        Assert.False(File.Exists(PathOf("u.h5")));
        (code, _, message) = CliRunner.Run("bench", "hypino", "--model", model, "--symmetry", "eight", "--out", PathOf("report.json"));
        Assert.Equal(2, code);
        Assert.Contains("--symmetry", message);
        Assert.False(File.Exists(PathOf("report.json")));
    }

    [Fact]
    public void TheNewRefinementAndTrainingOptionsFailAtRunTimeWithOneLineAndWriteNothing()
    {
        Directory.CreateDirectory(PathOf("empty"));
        var (exit, _, error) = CliRunner.Run(["hypino", "solve", "--model", PathOf("empty"), .. Poisson, "--refine", "1", "--sum-only", "--refine-weighting", "pinn-loss",
            "--finetune", "5", "--finetune-weighting", "pinn-loss", "--symmetry", "full", "--out", PathOf("u.h5")]);
        Assert.Equal(1, exit);
        Assert.Contains("not a HyPINO model folder", error);
        Assert.Single(error.Trim().Split('\n'));
        (exit, _, error) = CliRunner.Run("bench", "hypino", "--model", PathOf("empty"), "--finetune-from", "refined", "--finetune-weighting", "solution-units",
            "--out", PathOf("report.json"), "--threads", "1");
        Assert.Equal(1, exit);
        Assert.Single(error.Trim().Split('\n'));
        (exit, _, error) = CliRunner.Run("bench", "hypino", "--model", PathOf("empty"), "--manufactured", "3", "--out", PathOf("report.json"), "--threads", "1");
        Assert.Equal(1, exit);
        Assert.Single(error.Trim().Split('\n'));
        string model = Train();
        (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", model, .. Quick, "--zero-sides-fraction", "0.5"]);
        Assert.Equal(1, exit);
        Assert.Contains("already lives here", error);
        Assert.Single(error.Trim().Split('\n'));
        (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", model, .. Quick, "--solved-fraction", "0.5", "--solved-drawn-sources", "0.5"]);
        Assert.Equal(1, exit);
        Assert.Contains("already lives here", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Equal(["empty", "run"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ARunWithClassicallySolvedProblemsRecordsTheirShareAndTheBenchScoresHeldOutOnesAgainstTheSolver()
    {
        var (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", PathOf("solved"), .. Quick, "--solved-fraction", "0.5", "--solved-drawn-sources", "0.25", "--json"]);
        Assert.True(exit == 0, error);
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(PathOf("solved"), "run.json"))))
        {
            Assert.Equal(0.5, run.RootElement.GetProperty("training").GetProperty("solved_fraction").GetDouble());
            Assert.Equal(0.25, run.RootElement.GetProperty("training").GetProperty("solved_drawn_source_fraction").GetDouble());
        }
        (exit, _, error) = CliRunner.Run("bench", "hypino", "--model", PathOf("solved"), "--manufactured", "2", "--solved-fraction", "1", "--rounds", "0",
            "--finetune-steps", "0", "--unet-steps", "0", "--symmetry", "sign", "--threads", "1", "--out", PathOf("report.json"));
        Assert.True(exit == 0, error);
        using var report = JsonDocument.Parse(File.ReadAllText(PathOf("report.json")));
        var rows = report.RootElement.GetProperty("benchmarks").EnumerateArray().ToList();
        Assert.Equal(["solved-0", "solved-1"], rows.Select(r => r.GetProperty("benchmark").GetString()));
        Assert.All(rows, r => Assert.True(double.IsFinite(r.GetProperty("zero_shot").GetProperty("rel_l2").GetDouble())));
        // Beside each error, the check hypino solve gives without a truth: a loss ratio, never negative.
        Assert.All(rows, r => Assert.True(r.GetProperty("zero_shot").GetProperty("check_ratio").GetDouble() >= 0));
        // Averaged over the sign, the report keeps the answer to the problem as given beside it.
        Assert.Equal("sign", report.RootElement.GetProperty("symmetry").GetString());
        Assert.All(rows, r => Assert.True(double.IsFinite(r.GetProperty("zero_shot_plain").GetProperty("rel_l2").GetDouble())));

        File.WriteAllText(PathOf("peer.json"), "rows of text");
        (exit, _, error) = CliRunner.Run("bench", "hypino", "--model", PathOf("solved"), "--only", "heat", "--rounds", "0",
            "--finetune-steps", "0", "--unet-steps", "0", "--pinn-baseline", PathOf("peer.json"), "--threads", "1", "--out", PathOf("again.json"));
        Assert.Equal(2, exit);
        Assert.Contains($"--pinn-baseline: {PathOf("peer.json")} is not a PINN benchmark report", error);
        File.WriteAllText(PathOf("unet.bin"), "not weights");
        (exit, _, error) = CliRunner.Run("bench", "hypino", "--model", PathOf("solved"), "--manufactured", "2", "--rounds", "0",
            "--finetune-steps", "0", "--unet-steps", "0", "--unet-weights", PathOf("unet.bin"), "--threads", "1", "--out", PathOf("again.json"));
        Assert.Equal(1, exit);
        Assert.Contains($"{PathOf("unet.bin")}: not the weights of this U-Net baseline", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(PathOf("again.json")));
    }

    [Fact]
    public void AForeignFolderFailsWithOneLineAndFarCoefficientsAreSolvedWithAWarning()
    {
        Directory.CreateDirectory(PathOf("empty"));
        var (exit, _, error) = CliRunner.Run(["hypino", "solve", "--model", PathOf("empty"), .. Poisson]);
        Assert.Equal(1, exit);
        Assert.Contains("not a HyPINO model folder", error);
        Assert.Single(error.Trim().Split('\n'));

        string model = Train();
        (exit, var output, error) = CliRunner.Run(["hypino", "solve", "--model", model, "--pde", "40*uxx + uyy + 0.5*uxy", "--source", "1", "--dirichlet", "0", "--res", "9", "--threads", "1", "--json"]);
        Assert.True(exit == 0, error);
        Assert.Contains("warning: the uxx coefficient 40 lies far outside the trained range", error);
        Assert.Contains("never trained with a uxy term", error);
        using var json = JsonDocument.Parse(output);
        // The two about the operator; a third when the answer barely beats u = 0.
        Assert.Equal(2, json.RootElement.GetProperty("warnings").EnumerateArray().Count(w => !w.GetString()!.Contains("answers little of the problem", StringComparison.Ordinal)));
    }

    [Fact]
    public void PointCountsBeyondTheMachinesMemoryAndUnknownPresetsAreRefusedBeforeAnyWork()
    {
        var (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", PathOf("run"), "--steps", "2", "--warmup", "0", "--interior-points", "100000000", "--threads", "1"]);
        Assert.Equal(2, exit);
        Assert.Contains("--interior-points 100000000 --boundary-points", error);
        Assert.Contains("of memory", error);
        (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", PathOf("run"), "--preset", "huge"]);
        Assert.Equal(2, exit);
        Assert.Contains("unknown HyPINO preset 'huge'", error);
        Assert.DoesNotContain("(Parameter", error);
        Assert.False(Directory.Exists(PathOf("run")));
    }

    [Theory]
    [InlineData(new[] { "--preset", "huge" }, "unknown HyPINO preset 'huge'")]
    [InlineData(new[] { "--data", "missing.h5" }, "--data: no file")]
    [InlineData(new[] { "--data", "x.h5", "--physics-fraction", "0.5" }, "an mms file fixes its own")]
    [InlineData(new[] { "--residual-weight", "-1" }, "--residual-weight must be zero or positive")]
    [InlineData(new[] { "--lr", "0" }, "the learning rate must be positive")]
    [InlineData(new[] { "--lr", "1e300" }, "--lr 1e300 is beyond single precision")] // failed with libtorch's float overflow
    [InlineData(new[] { "--derivative-weight", "1e39" }, "--derivative-weight 1e39 is beyond single precision")]
    [InlineData(new[] { "--physics-fraction", "2" }, "must lie in [0, 1]")]
    [InlineData(new[] { "--zero-sides-fraction", "-0.1" }, "the zero-sides fraction must lie in [0, 1]")]
    [InlineData(new[] { "--zero-sides-fraction", "half" }, "Cannot parse argument 'half' for option '--zero-sides-fraction'")]
    [InlineData(new[] { "--data", "x.h5", "--zero-sides-fraction", "0.5" }, "--zero-sides-fraction applies to problems drawn on the fly")]
    [InlineData(new[] { "--solved-fraction", "1.5" }, "the solved fraction must lie in [0, 1] (got 1.5)")]
    [InlineData(new[] { "--solved-fraction", "most" }, "Cannot parse argument 'most' for option '--solved-fraction'")]
    [InlineData(new[] { "--data", "x.h5", "--solved-fraction", "0.5" }, "--solved-fraction applies to problems drawn on the fly")]
    [InlineData(new[] { "--solved-drawn-sources", "0.5" }, "drawn sources apply to solved problems")]
    [InlineData(new[] { "--solved-fraction", "0.5", "--solved-drawn-sources", "-1" }, "the drawn-source fraction must lie in [0, 1] (got -1)")]
    [InlineData(new[] { "--init-from", "missing" }, "--init-from: no folder")]
    [InlineData(new[] { "--input-magnitude", "0" }, "--input-magnitude must be positive")]
    [InlineData(new[] { "--input-magnitude", "-3" }, "--input-magnitude must be positive")]
    [InlineData(new[] { "--input-magnitude", "nan" }, "--input-magnitude must be positive")]
    [InlineData(new[] { "--input-magnitude", "abc" }, "Cannot parse argument 'abc' for option '--input-magnitude'")]
    public void BadTrainingSettingsAreUsageErrors(string[] extra, string message)
    {
        File.WriteAllText(PathOf("x.h5"), "not hdf5");
        var (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", PathOf("run"), .. Quick, .. extra]);
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.False(Directory.Exists(PathOf("run")));
    }

    [Fact]
    public void ARunStartsFromATrainedModelAndRefusesAFolderWithoutOneOrAnotherPreset()
    {
        string model = Train();
        var (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", PathOf("longer"), "--init-from", model, .. Quick, "--json"]);
        Assert.True(exit == 0, error);
        Assert.Contains("init_weights_sha256", File.ReadAllText(Path.Combine(PathOf("longer"), "run.json")));
        // Scaling the input changes no weight's shape, so a model read as given can start a scaled one.
        (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", PathOf("scaled"), "--init-from", model, "--input-magnitude", "10", .. Quick, "--json"]);
        Assert.True(exit == 0, error);
        Assert.Contains("\"input_magnitude\": 10", File.ReadAllText(Path.Combine(PathOf("scaled"), "hypino.json")));
        Directory.CreateDirectory(PathOf("empty"));
        foreach (var (start, preset, message) in new[] { (PathOf("empty"), "small", "not a HyPINO model folder"), (model, "paper", "its network differs") })
        {
            (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", PathOf("refused"), "--init-from", start, "--preset", preset, .. Quick]);
            Assert.Equal(1, exit);
            Assert.Single(error.Trim().Split('\n'));
            Assert.Contains(message, error);
            Assert.False(Directory.Exists(PathOf("refused")));
        }
    }

    [Fact]
    public void AnUnreadableDataFileFailsWithOneLineAndLeavesNoRunFolder()
    {
        File.WriteAllText(PathOf("x.h5"), "not hdf5");
        var (exit, _, error) = CliRunner.Run(["hypino", "train", "--out", PathOf("run"), "--data", PathOf("x.h5"), .. Quick]);
        Assert.Equal(1, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(PathOf("run")));
    }

    [Theory]
    [InlineData(new[] { "--only", "laplace" }, "--only: unknown benchmark 'laplace'")]
    [InlineData(new[] { "--model", "missing" }, "--model: no folder")]
    [InlineData(new[] { "--pinn-baseline", "missing.json" }, "--pinn-baseline: no file")]
    [InlineData(new[] { "--unet-minutes", "0" }, "--unet-minutes must be positive")]
    [InlineData(new[] { "--rounds", "-1" }, "--rounds must be at least 0")]
    [InlineData(new[] { "--finetune-from", "random" }, "--finetune-from")]
    [InlineData(new[] { "--finetune-weighting", "energy" }, "'energy'")]
    [InlineData(new[] { "--finetune-weighting", "solution-units", "--finetune-steps", "0" }, "--finetune-weighting changes fine-tuning")]
    [InlineData(new[] { "--manufactured", "-2" }, "--manufactured must be at least 0")]
    [InlineData(new[] { "--manufactured", "3", "--only", "heat" }, "--only and --manufactured exclude each other")]
    [InlineData(new[] { "--zero-sides-fraction", "0.5" }, "--zero-sides-fraction needs --manufactured")]
    [InlineData(new[] { "--manufactured", "3", "--zero-sides-fraction", "1.5" }, "--zero-sides-fraction must be in [0, 1], got 1.5")]
    [InlineData(new[] { "--manufactured", "3", "--zero-sides-fraction", "NaN" }, "--zero-sides-fraction must be in [0, 1], got NaN")]
    [InlineData(new[] { "--manufactured", "3", "--zero-sides-fraction", "abc" }, "--zero-sides-fraction")]
    [InlineData(new[] { "--solved-fraction", "0.5" }, "--solved-fraction needs --manufactured")]
    [InlineData(new[] { "--manufactured", "3", "--solved-fraction", "-1" }, "--solved-fraction must be in [0, 1], got -1")]
    [InlineData(new[] { "--manufactured", "3", "--solved-drawn-sources", "0.5" }, "--solved-drawn-sources needs --solved-fraction")]
    [InlineData(new[] { "--manufactured", "3", "--solved-fraction", "1", "--solved-drawn-sources", "2" }, "--solved-drawn-sources must be in [0, 1], got 2")]
    public void BadBenchSettingsAreUsageErrors(string[] extra, string message)
    {
        Directory.CreateDirectory(PathOf("model"));
        var args = new List<string> { "bench", "hypino", "--model", PathOf("model"), "--out", PathOf("report.json") };
        for (int k = 0; k < extra.Length; k += 2)
        {
            string value = extra[k] is "--model" or "--pinn-baseline" ? PathOf(extra[k + 1]) : extra[k + 1];
            int at = args.IndexOf(extra[k]);
            if (at >= 0) args[at + 1] = value;
            else args.AddRange([extra[k], value]);
        }
        var (exit, _, error) = CliRunner.Run(args.ToArray());
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(PathOf("report.json")));
    }

    [Theory]
    [InlineData]
    [InlineData("--manufactured", "2", "--zero-sides-fraction", "0.5")]
    [InlineData("--manufactured", "2", "--solved-fraction", "0.5")]
    [InlineData("--manufactured", "2", "--solved-fraction", "0.5", "--solved-drawn-sources", "1")]
    public void ABenchOnAFolderWithoutAModelFailsWithOneLineAndWritesNoReport(params string[] extra)
    {
        Directory.CreateDirectory(PathOf("model"));
        var (exit, _, error) = CliRunner.Run(["bench", "hypino", "--model", PathOf("model"), "--out", PathOf("report.json"), "--threads", "1", .. extra]);
        Assert.Equal(1, exit);
        Assert.Contains("not a HyPINO model folder", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(PathOf("report.json")));
    }
}
