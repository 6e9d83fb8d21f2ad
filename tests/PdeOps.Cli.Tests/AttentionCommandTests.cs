using System.Text.Json;

namespace PdeOps.Cli.Tests;

/// <summary>The attention models through the command line: train, evaluate at another resolution, predict.</summary>
[Collection("console")]
public sealed class AttentionCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-attention-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData("attention", "--kernel", "softmax")]
    [InlineData("attention", "--kernel", "linear")]
    [InlineData("transolver", "--slices", "8")]
    public void TrainEvalAndPredictWork(string model, string option, string value)
    {
        foreach (var (file, samples, res, seed) in new[] { ("train.h5", 20, 17, 1), ("test.h5", 4, 33, 2) })
            Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", samples.ToString(), "--res", res.ToString(), "--seed", seed.ToString(), "--out", PathOf(file)).Exit);
        string run = PathOf(model + value);
        var (exit, output, error) = CliRunner.Run("train", "--model", model, "--data", PathOf("train.h5"), "--test", PathOf("test.h5"),
            "--epochs", "2", "--batch", "10", "--width", "16", "--heads", "2", "--layers", "2", option, value, "--out", run, "--threads", "1", "--json");
        Assert.True(exit == 0, error);
        using (var json = JsonDocument.Parse(output)) Assert.Equal(model, json.RootElement.GetProperty("model").GetString());
        var options = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model.json"))).RootElement.GetProperty("options");
        Assert.Equal(value, options.GetProperty(option.TrimStart('-')).ToString());
        Assert.Equal("closed", options.GetProperty("convention").GetString());

        (exit, output, error) = CliRunner.Run("eval", "--model", run, "--data", PathOf("test.h5"), "--res", "17", "--points", "50", "--json", "--formats", "png");
        Assert.True(exit == 0, error);
        using (var json = JsonDocument.Parse(output))
        {
            Assert.All(json.RootElement.GetProperty("resolutions").EnumerateArray(), r => Assert.True(r.GetProperty("rel_l2").GetDouble() is > 0 and < 10));
            var atPoints = json.RootElement.GetProperty("points");
            Assert.Equal(50, atPoints.GetProperty("points").GetInt32());
            Assert.True(atPoints.GetProperty("rel_l2").GetDouble() is > 0 and < 10);
        }
        (exit, _, error) = CliRunner.Run("predict", "--model", run, "--input", PathOf("test.h5"), "--out", PathOf(model + ".h5"));
        Assert.True(exit == 0, error);
    }

    [Theory]
    [InlineData("--heads", "3", "--heads")]
    [InlineData("--kernel", "cosine", "--kernel")]
    [InlineData("--slices", "1", "--slices")]
    public void BadAttentionSettingsAreUsageErrors(string option, string value, string named)
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "4", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        string model = option == "--slices" ? "transolver" : "attention";
        var (exit, _, error) = CliRunner.Run("train", "--model", model, "--data", PathOf("d.h5"), "--test", PathOf("d.h5"),
            "--width", "16", option, value, "--out", PathOf("bad"));
        Assert.Equal(2, exit);
        Assert.Contains(named, error);
        Assert.False(Directory.Exists(PathOf("bad")));
    }

    [Theory]
    [InlineData("attention")]
    [InlineData("transolver")]
    public void PointOperatorsWithSpectralConvolutionsTrainEvaluateOnOtherGridsAndRefusePoints(string model)
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "12", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "3", "--res", "33", "--seed", "2", "--out", PathOf("t.h5")).Exit);
        string run = PathOf("spectral");
        var (exit, _, error) = CliRunner.Run("train", "--model", model, "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--epochs", "1", "--batch", "6",
            "--width", "8", "--heads", "2", "--layers", "1", "--modes", "4", "--padding", "2", "--trapezoidal-edges", "--out", run, "--threads", "1");
        Assert.True(exit == 0, error);
        var options = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model.json"))).RootElement.GetProperty("options");
        Assert.Equal(4, options.GetProperty("modes").GetInt32());
        Assert.Equal(2, options.GetProperty("padding").GetInt32());
        Assert.Equal(17, options.GetProperty("padding_reference_size").GetInt32());
        Assert.True(options.GetProperty("trapezoidal_edges").GetBoolean());
        Assert.False(options.TryGetProperty("effective_padding", out _));
        string output;
        (exit, output, error) = CliRunner.Run("eval", "--model", run, "--data", PathOf("t.h5"), "--res", "17", "--json", "--formats", "png");
        Assert.True(exit == 0, error);
        using (var json = JsonDocument.Parse(output))
            Assert.All(json.RootElement.GetProperty("resolutions").EnumerateArray(), r => Assert.True(r.GetProperty("rel_l2").GetDouble() is > 0 and < 10));
        (exit, _, error) = CliRunner.Run("eval", "--model", run, "--data", PathOf("t.h5"), "--points", "20");
        Assert.Equal(2, exit);
        Assert.Contains("spectral convolutions", error);
    }

    [Theory]
    [InlineData("--model mgno --modes 4", "--modes applies")]
    [InlineData("--model mgno --projection-width 16", "--projection-width applies")]
    [InlineData("--model mgno --levels 6", "too small for 6 multigrid levels")] // failed inside the model, as a runtime error
    [InlineData("--model attention --padding 4", "--padding applies")]
    [InlineData("--model transolver --trapezoidal-edges", "--trapezoidal-edges applies")]
    [InlineData("--model transolver --modes 4 --points-fraction 0.5", "--points-fraction cannot")]
    [InlineData("--model attention --trapezoidal-edges", "--trapezoidal-edges applies")]
    [InlineData("--model attention --modes 4 --padding 0 --trapezoidal-edges", "--trapezoidal-edges")]
    [InlineData("--model attention --modes 4 --points-fraction 0.5", "--points-fraction cannot")]
    [InlineData("--model attention --modes 12 --padding 0", "--modes")]
    public void SpectralSettingsThatCannotApplyAreUsageErrors(string settings, string named)
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "4", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        var (exit, _, error) = CliRunner.Run(["train", .. settings.Split(' '), "--data", PathOf("d.h5"), "--test", PathOf("d.h5"),
            "--width", "8", "--heads", "2", "--out", PathOf("bad")]);
        Assert.Equal(2, exit);
        Assert.Contains(named, error);
        Assert.False(Directory.Exists(PathOf("bad")));
    }

    [Fact]
    public void EvalAtPointsNeedsAPointOperator()
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "6", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        string run = PathOf("fno");
        Assert.Equal(0, CliRunner.Run("train", "--model", "fno", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--epochs", "1", "--width", "4", "--modes", "3", "--layers", "1", "--out", run, "--threads", "1").Exit);
        var (exit, _, error) = CliRunner.Run("eval", "--model", run, "--data", PathOf("d.h5"), "--points", "20");
        Assert.Equal(2, exit);
        Assert.Contains("--points needs a point operator", error);
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("softmax")]
    [InlineData("physics")]
    [InlineData("physics", "--slices", "4", "--slices-per-head")]
    public void BenchAttentionReportsTimeAndMemory(string kernel, params string[] slicing)
    {
        var (exit, output, error) = CliRunner.Run(["bench", "attention", "--points", "256", "--width", "16", "--heads", "2", "--kernel", kernel, "--repeat", "2", "--threads", "1",
            "--chunk-elements", "1024", "--json", .. slicing]);
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        if (kernel == "physics")
        {
            Assert.Equal(slicing.Length > 0 ? 4 : 32, json.RootElement.GetProperty("slices").GetInt32());
            Assert.Equal(slicing.Length > 0, json.RootElement.GetProperty("slices_per_head").GetBoolean());
        }
        Assert.Equal(256, json.RootElement.GetProperty("points").GetInt64());
        Assert.Equal(1024, json.RootElement.GetProperty("chunk_elements").GetInt64());
        Assert.True(json.RootElement.GetProperty("forward_backward_s").GetDouble() > 0);
        Assert.Equal(2, json.RootElement.GetProperty("runs_s").GetArrayLength());
        var (bad, _, message) = CliRunner.Run("bench", "attention", "--width", "10", "--heads", "4");
        Assert.Equal(2, bad);
        Assert.Contains("--heads 4 must divide --width 10", message);
    }

    [Fact]
    public void PointsFractionTrainsOnSubsetsAndIsRecorded()
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "12", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        string run = PathOf("half");
        var (exit, _, error) = CliRunner.Run("train", "--model", "transolver", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--epochs", "2",
            "--batch", "6", "--width", "16", "--heads", "2", "--layers", "1", "--slices", "4", "--points-fraction", "0.5", "--out", run, "--threads", "1");
        Assert.True(exit == 0, error);
        var training = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))).RootElement.GetProperty("training");
        Assert.Equal(0.5, training.GetProperty("points_fraction").GetDouble());
        foreach (var (model, value, named) in new[] { ("fno", "0.5", "needs a point operator"), ("transolver", "1.5", "(0, 1]"), ("transolver", "0", "(0, 1]") })
        {
            var (code, _, message) = CliRunner.Run("train", "--model", model, "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--points-fraction", value, "--out", PathOf("bad"));
            Assert.Equal(2, code);
            Assert.Contains(named, message);
        }
        Assert.False(Directory.Exists(PathOf("bad")));
    }

    [Fact]
    public void OtherNewOptionsRefuseBadValuesAndFailuresAreOneLine()
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "4", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        foreach (var args in new[]
        {
            new[] { "train", "--model", "attention", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--frequencies", "0", "--out", PathOf("bad") },
            ["eval", "--model", PathOf("none"), "--data", PathOf("d.h5"), "--formats", "gif"],
            ["eval", "--model", PathOf("none"), "--data", PathOf("d.h5"), "--points", "1"],
            ["bench", "attention", "--points", "2"],
            ["bench", "attention", "--kernel", "cosine"],
            ["bench", "attention", "--chunk-elements", "-1"],
            ["bench", "attention", "--slices", "0", "--kernel", "physics"],
            ["bench", "attention", "--kernel", "linear", "--slices", "8"],
            ["bench", "attention", "--kernel", "softmax", "--slices-per-head"],
        })
        {
            var (exit, _, error) = CliRunner.Run(args);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: {exit} {error}");
            Assert.Single(error.Trim().Split('\n'));
        }
        var (code, _, message) = CliRunner.Run("checkpoint", "upgrade", PathOf("none"));
        Assert.Equal(1, code);
        Assert.Single(message.Trim().Split('\n'));
        Assert.Contains("none", message);
        Assert.False(Directory.Exists(PathOf("bad")));
    }
}
