using System.Text.Json;
using PdeOps.Datasets.Storage;
using PdeOps.Operators.Inference;

namespace PdeOps.Cli.Tests;

[Collection("console")]
public sealed class OperatorCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-op-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    void Run(params string[] args)
    {
        var (exit, _, error) = CliRunner.Run(args);
        Assert.True(exit == 0, $"pdeops {string.Join(' ', args)}: {error}");
    }

    [Fact]
    public void TrainEvalAndPredictWorkTogether()
    {
        Run("generate", "darcy", "--samples", "40", "--res", "17", "--fine-res", "33", "--seed", "1", "--out", PathOf("train.h5"));
        Run("generate", "darcy", "--samples", "8", "--res", "33", "--seed", "2", "--out", PathOf("test33.h5"));
        Run("datasets", "split", PathOf("test33.h5"), "--train", "4", "--test", "4", "--train-out", PathOf("a.h5"), "--test-out", PathOf("b.h5"));
        // The test set at 17 points: every second point of the 33-point file.
        string run = PathOf("run");
        var (exit, output, error) = CliRunner.Run("train", "--model", "fno", "--data", PathOf("train.h5"), "--test", PathOf("test33.h5"),
            "--epochs", "2", "--batch", "10", "--width", "8", "--modes", "4", "--layers", "2", "--out", run, "--threads", "1", "--json");
        // Trained at 17 points, tested at 33: global normalization makes the model usable at any resolution.
        Assert.True(exit == 0, error);
        using (var json = JsonDocument.Parse(output))
        {
            Assert.Equal(2, json.RootElement.GetProperty("epochs").GetInt32());
            Assert.True(json.RootElement.GetProperty("best_test_rel_l2").GetDouble() > 0);
        }
        foreach (var file in new[] { "model.json", "weights.bin", "metrics.csv", "metrics.json", "training-curve.png", "training-curve.svg", "test-predictions.png" })
            Assert.True(File.Exists(Path.Combine(run, file)), file);

        (exit, output, error) = CliRunner.Run("eval", "--model", run, "--data", PathOf("test33.h5"), "--res", "33,17,9", "--json");
        Assert.True(exit == 0, error);
        using (var json = JsonDocument.Parse(output))
        {
            var root = json.RootElement;
            Assert.Equal(8, root.GetProperty("samples").GetInt32());
            // Every grid is a row alike; the stored one comes first, marked native.
            var all = root.GetProperty("resolutions").EnumerateArray().ToList();
            Assert.Equal([33, 33, 17, 9], all.Select(r => r.GetProperty("resolution").GetInt32()));
            Assert.Equal([true, false, false, false], all.Select(r => r.GetProperty("native").GetBoolean()));
            foreach (var row in all)
                foreach (var key in new[] { "rel_l2", "rel_h1", "max_err" }) Assert.True(row.GetProperty(key).GetDouble() > 0, key);
            Assert.Equal(all[0].GetProperty("rel_l2").GetDouble(), all[1].GetProperty("rel_l2").GetDouble());
            // Figures are listed relative to the model folder, and exist there.
            foreach (var figure in root.GetProperty("figures").EnumerateArray().Select(f => f.GetString()!))
            {
                Assert.False(Path.IsPathRooted(figure), figure);
                Assert.True(File.Exists(Path.Combine(run, figure)), figure);
            }
            var rows = all.Skip(1).ToList();
            // The padding of 9 points at 17 scales to 18 at 33 but to 4.5 at 9: only that grid is flagged.
            Assert.Equal([false, false, true], rows.Select(r => r.TryGetProperty("caveat", out _)));
            Assert.Contains("4.5", rows[2].GetProperty("caveat").GetString());
            Assert.Contains("4.5", error);
        }
        Assert.True(File.Exists(Path.Combine(run, "eval", "error-vs-resolution.png")));

        Run("plot", "training", run, "--out", PathOf("curve.svg"));
        Run("plot", "prediction", "--model", run, "--data", PathOf("b.h5"), "--samples", "0,3", "--out", PathOf("panels.png"));
        Assert.True(File.Exists(PathOf("curve.svg")) && File.Exists(PathOf("panels.png")) && File.Exists(PathOf("panels.svg")));

        Run("predict", "--model", run, "--input", PathOf("b.h5"), "--out", PathOf("pred.h5"));
        using var predicted = new FieldFileReader(PathOf("pred.h5"));
        Assert.Equal(new ulong[] { 4, 33, 33 }, predicted.Dimensions("solution"));
        // The file holds what the embedding API predicts for the same input (up to the rounding of
        // a batch of four against a batch of one).
        using var op = NeuralOperator.Load(run);
        var a = (float[])predicted.ReadSamples("coefficient", 1, 1);
        var u = new float[a.Length];
        op.Predict(a, u, 33, 33);
        var stored = (float[])predicted.ReadSamples("solution", 1, 1);
        double scale = u.Max(Math.Abs);
        Assert.All(Enumerable.Range(0, u.Length), p => Assert.True(Math.Abs(u[p] - stored[p]) <= 1e-5 * scale, $"point {p}"));
    }

    [Fact]
    public void MgnoSmoothingStepsPerLevelReachTheCheckpoint()
    {
        Run("generate", "darcy", "--samples", "6", "--res", "17", "--fine-res", "33", "--seed", "3", "--out", PathOf("d.h5"));
        string run = PathOf("mg");
        Run("train", "--model", "mgno", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--epochs", "1", "--batch", "3",
            "--width", "4", "--layers", "1", "--pre-smoothing", "1,1,2", "--post-smoothing", "0,1,0", "--out", run, "--threads", "1", "--json");
        using (var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model.json"))))
        {
            var options = model.RootElement.GetProperty("options");
            Assert.Equal(3, options.GetProperty("levels").GetInt32());
            Assert.Equal([1, 1, 2], options.GetProperty("pre_smoothing").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal([0, 1, 0], options.GetProperty("post_smoothing").EnumerateArray().Select(e => e.GetInt32()));
        }
        foreach (var bad in new[] { new[] { "--pre-smoothing", "1,x" }, new[] { "--pre-smoothing", "1,1", "--levels", "3" } })
        {
            var (exit, _, error) = CliRunner.Run(["train", "--model", "mgno", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--out", PathOf("bad"), .. bad]);
            Assert.Equal(2, exit);
            Assert.Contains("--pre-smoothing", error);
            Assert.Single(error.Trim().Split('\n'));
        }
    }

    [Fact]
    public void TrainingTakesTheGridConventionOfTheDataset()
    {
        // A family PdeOps does not generate: only the grid_convention attribute says the grid is periodic.
        const int n = 4, size = 8;
        var a = new float[n, size, size];
        var u = new float[n, size, size];
        for (int s = 0; s < n; s++)
            for (int j = 0; j < size; j++)
                for (int i = 0; i < size; i++)
                {
                    a[s, j, i] = MathF.Sin(2 * MathF.PI * (i + s) / size);
                    u[s, j, i] = MathF.Cos(2 * MathF.PI * (j + s) / size);
                }
        var coordinates = Enumerable.Range(0, size).Select(i => (double)i / size).ToArray();
        new FieldFileBuilder()
            .AddArray("a", a).AddArray("u", u).AddArray("x", coordinates).AddArray("y", coordinates)
            .SetAttribute(DatasetLayout.FormatAttribute, DatasetLayout.FormatName)
            .SetAttribute(DatasetLayout.VersionAttribute, DatasetLayout.Version)
            .SetAttribute(DatasetLayout.GeneratorAttribute, "waves")
            .SetAttribute(DatasetLayout.GridConventionAttribute, "periodic")
            .SetAttribute(DatasetLayout.InputsAttribute, "a")
            .SetAttribute(DatasetLayout.OutputsAttribute, "u")
            .Write(PathOf("waves.h5"));
        string run = PathOf("waves");
        Run("train", "--model", "fno", "--data", PathOf("waves.h5"), "--test", PathOf("waves.h5"), "--epochs", "1", "--batch", "2",
            "--width", "4", "--layers", "1", "--modes", "2", "--out", run, "--threads", "1", "--json");
        using (var model = NeuralOperator.Load(run))
            Assert.Equal(PdeOps.Operators.Losses.GridConvention.Periodic, model.Convention);
        using var options = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model.json")));
        Assert.Equal(0, options.RootElement.GetProperty("options").GetProperty("padding").GetInt32());
    }

    [Fact]
    public void FnoTrapezoidalEdgesReachTheCheckpointAndScaleThePaddedInterval()
    {
        Run("generate", "darcy", "--samples", "4", "--res", "17", "--fine-res", "33", "--seed", "4", "--out", PathOf("t.h5"));
        string run = PathOf("trap");
        Run("train", "--model", "fno", "--data", PathOf("t.h5"), "--test", PathOf("t.h5"), "--epochs", "1", "--batch", "2",
            "--width", "4", "--layers", "1", "--modes", "3", "--padding", "3", "--trapezoidal-edges", "--out", run, "--threads", "1", "--json");
        using (var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model.json"))))
        {
            var options = model.RootElement.GetProperty("options");
            Assert.True(options.GetProperty("trapezoidal_edges").GetBoolean());
            Assert.Equal(17, options.GetProperty("padding_reference_size").GetInt32());
        }
        // 3 + 1 padding intervals at 17 points are 2 + 1 at 9: a whole padding, so no caveat.
        var (exit, output, error) = CliRunner.Run("eval", "--model", run, "--data", PathOf("t.h5"), "--res", "9,17", "--json", "--threads", "1");
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("caveat", output);
        var (refused, _, message) = CliRunner.Run("train", "--model", "fno", "--data", PathOf("t.h5"), "--test", PathOf("t.h5"),
            "--padding", "0", "--trapezoidal-edges", "--out", PathOf("bad-trap"));
        Assert.Equal(2, refused);   // a usage error, before any work
        Assert.Contains("--trapezoidal-edges", message);
        Assert.Single(message.Trim().Split('\n'));
    }

    [Fact]
    public void BenchFnoTakesThePaddingAndTheEdgeWeights()
    {
        var (exit, output, error) = CliRunner.Run("bench", "fno", "--res", "24", "--batch", "2", "--repeat", "1", "--padding", "3",
            "--trapezoidal-edges", "--width", "6", "--projection-width", "10", "--threads", "1", "--json");
        Assert.True(exit == 0, error);
        using (var doc = JsonDocument.Parse(output))
        {
            var options = doc.RootElement.GetProperty("options");
            Assert.Equal(3, options.GetProperty("padding").GetInt32());
            Assert.True(options.GetProperty("trapezoidal_edges").GetBoolean());
            Assert.Equal(6, options.GetProperty("width").GetInt32());
            Assert.Equal(10, options.GetProperty("projection_width").GetInt32());
            Assert.True(doc.RootElement.GetProperty("train_step_s").GetDouble() > 0);
        }
        var (refused, _, message) = CliRunner.Run("bench", "mgno", "--padding", "3");
        Assert.Equal(2, refused);
        Assert.Contains("--padding", message);
        (refused, _, message) = CliRunner.Run("bench", "fno", "--projection-width", "0");
        Assert.Equal(2, refused);
        Assert.Contains("--projection-width", message);
        (refused, _, message) = CliRunner.Run("bench", "fno", "--width", "0");
        Assert.Equal(2, refused);
        Assert.Contains("--width", message);
    }

    [Theory]
    [InlineData("poisson --n 1023,40000 --repeat 1", "--n 40000 needs about")] // every size before the first is timed
    [InlineData("darcy --n 200000 --samples 1", "--n 200000 gives 4E+10 grid points")] // crashed the process inside the random field
    public void SolverBenchSizesThatCannotFitAreUsageErrorsBeforeAnyWork(string settings, string named)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (exit, output, error) = CliRunner.Run(["bench", .. settings.Split(' ')]);
        Assert.Equal(2, exit);
        Assert.Contains(named, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Empty(output);
        Assert.True(watch.Elapsed.TotalSeconds < 10, $"took {watch.Elapsed.TotalSeconds:F0} s");
    }

    [Theory]
    [InlineData("fno --res 20000", "memory")] // crashed the process
    [InlineData("fno --width 100000", "training --width 100000")]
    [InlineData("fno --res 8 --padding 0", "12 modes")]
    [InlineData("mgno --res 8", "4 multigrid levels")]
    public void BenchSizesTheModelCannotTakeAreUsageErrorsBeforeAnyWork(string settings, string named)
    {
        var (exit, output, error) = CliRunner.Run(["bench", .. settings.Split(' '), "--repeat", "1", "--threads", "1"]);
        Assert.Equal(2, exit);
        Assert.StartsWith("pdeops: --res ", error);
        Assert.Contains(named, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Empty(output);
    }

    [Fact]
    public void MissingCheckpointFailsWithOneLine()
    {
        var (exit, _, error) = CliRunner.Run("eval", "--model", PathOf("nothing"), "--data", PathOf("x.h5"));
        Assert.Equal(1, exit);
        Assert.Contains("nothing", error);
        Assert.Single(error.Trim().Split('\n'));
    }
}
