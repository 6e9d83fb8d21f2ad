using System.Text.Json;

namespace PdeOps.Cli.Tests;

/// <summary>The shipped CNNs and their conversions through the command line: trained on one grid, evaluated on another.</summary>
[Collection("console")]
public sealed class ConvertedModelCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-converted-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    [Theory]
    [InlineData("unet-no", "--levels", "2")]
    [InlineData("resnet-no", "--layers", "2")]
    [InlineData("unet", "--levels", "1")]
    [InlineData("local-fno", "--local-radius", "0.15")]
    [InlineData("vit-no", "--patch-size", "4")]
    public void TrainOnOneGridAndEvaluateOnAnother(string model, string option, string value)
    {
        foreach (var (file, samples, res, seed) in new[] { ("train.h5", 16, 17, 1), ("test.h5", 4, 33, 2) })
            Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", samples.ToString(), "--res", res.ToString(), "--seed", seed.ToString(), "--out", PathOf(file)).Exit);
        string run = PathOf(model);
        var (exit, output, error) = CliRunner.Run("train", "--model", model, "--data", PathOf("train.h5"), "--test", PathOf("train.h5"),
            "--epochs", "2", "--batch", "8", "--width", "8", option, value, "--out", run, "--threads", "1", "--json");
        Assert.True(exit == 0, error);
        using (var json = JsonDocument.Parse(output)) Assert.Equal(model, json.RootElement.GetProperty("model").GetString());
        var options = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model.json"))).RootElement.GetProperty("options");
        Assert.Equal(17, options.GetProperty(model == "local-fno" ? "padding_reference_size" : "reference_size").GetInt32());

        (exit, output, error) = CliRunner.Run("eval", "--model", run, "--data", PathOf("test.h5"), "--res", "17,33", "--json", "--formats", "png");
        Assert.True(exit == 0, error);
        using (var json = JsonDocument.Parse(output))
            Assert.All(json.RootElement.GetProperty("resolutions").EnumerateArray(), r => Assert.True(r.GetProperty("rel_l2").GetDouble() is > 0 and < 10));
        // The plain network is warned about on the finer grid; its conversion is not.
        Assert.Equal(model == "unet", error.Contains("computes another operator"));

        // A grid too coarse for the converted kernels is refused in one line, and nothing is written.
        string? tooCoarse = model switch
        {
            "local-fno" => "coarser than the DISCO stencil",
            _ => null,
        };
        if (model == "unet-no")
        {
            // Fixed offsets: a coarser input runs on the reference grid, and the user is told so.
            Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "2", "--res", "9", "--seed", "3", "--out", PathOf("coarse.h5")).Exit);
            (exit, _, error) = CliRunner.Run("predict", "--model", run, "--input", PathOf("coarse.h5"), "--out", PathOf("coarse-prediction.h5"));
            Assert.True(exit == 0, error);
            Assert.Contains("is injected into 17x17", error);
        }
        if (tooCoarse is not null)
        {
            Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "2", "--res", "5", "--seed", "3", "--out", PathOf("coarse.h5")).Exit);
            (exit, _, error) = CliRunner.Run("predict", "--model", run, "--input", PathOf("coarse.h5"), "--out", PathOf("coarse-prediction.h5"));
            Assert.Equal(1, exit);
            Assert.Contains(tooCoarse, error);
            Assert.Single(error.Trim().Split('\n'), l => l.StartsWith("pdeops: error"));
            Assert.False(File.Exists(PathOf("coarse-prediction.h5")));
        }
    }

    [Theory]
    [InlineData("local-fno", "--local-radius", "0.05", "--local-radius")]
    [InlineData("local-fno", "--local-radius", "0.7", "--local-radius")]
    [InlineData("unet-no", "--levels", "9", "--levels")]
    [InlineData("unet-no", "--train-res", "10,17", "--train-res")]
    [InlineData("fno", "--train-res", "17,17", "--train-res")]
    [InlineData("fno", "--train-res", "9,x", "--train-res")]
    [InlineData("resnet", "--layers", "0", "--layers")]
    [InlineData("unet", "--width", "0", "--width")]
    [InlineData("vit", "--patch-size", "9", "--patch-size")]
    [InlineData("vit-no", "--heads", "3", "--heads")]
    [InlineData("fno", "--patch-size", "4", "--patch-size")]
    [InlineData("fno", "--slices-per-head", "true", "--slices-per-head")]
    [InlineData("attention", "--slices", "8", "--slices")]
    [InlineData("fno", "--discretization-convergent", "true", "--discretization-convergent")]
    [InlineData("fno", "--positional-embedding", "true", "--positional-embedding")]
    [InlineData("mgno", "--positional-embedding", "maybe", "'maybe'")]
    public void BadSettingsAreUsageErrorsBeforeAnyWork(string model, string option, string value, string named)
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "4", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        var (exit, _, error) = CliRunner.Run("train", "--model", model, "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), option, value, "--out", PathOf("bad"));
        Assert.Equal(2, exit);
        Assert.Contains(named, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(PathOf("bad")));
    }

    [Fact]
    public void ADiscretizationConvergentMgnoRecordsItsReferenceAndEvaluatesOnAFinerGrid()
    {
        foreach (var (file, res, seed) in new[] { ("d.h5", 17, 1), ("fine.h5", 33, 2) })
            Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "4", "--res", res.ToString(), "--seed", seed.ToString(), "--out", PathOf(file)).Exit);
        string run = PathOf("mgno-dc");
        var (exit, _, error) = CliRunner.Run("train", "--model", "mgno", "--discretization-convergent", "--positional-embedding", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"),
            "--epochs", "1", "--batch", "4", "--width", "4", "--layers", "1", "--levels", "2", "--out", run, "--threads", "1");
        Assert.True(exit == 0, error);
        var options = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model.json"))).RootElement.GetProperty("options");
        Assert.True(options.GetProperty("discretization_convergent").GetBoolean());
        Assert.Equal(17, options.GetProperty("reference_size").GetInt32());
        Assert.True(options.GetProperty("positional_embedding").GetBoolean());
        (exit, _, error) = CliRunner.Run("eval", "--model", run, "--data", PathOf("fine.h5"), "--formats", "png");
        Assert.True(exit == 0, error);

        (exit, _, error) = CliRunner.Run("train", "--model", "fno", "--discretization-convergent", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--out", PathOf("bad"));
        Assert.Equal(2, exit);
        Assert.Contains("--discretization-convergent applies to --model mgno", error);
        Assert.False(Directory.Exists(PathOf("bad")));
    }

    [Fact]
    public void MultiResolutionTrainingTakesTheCoarsestGridAsTheReference()
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "8", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        string run = PathOf("multi");
        var (exit, _, error) = CliRunner.Run("train", "--model", "unet-no", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--train-res", "9,17",
            "--epochs", "1", "--batch", "4", "--width", "4", "--levels", "1", "--out", run, "--threads", "1");
        Assert.True(exit == 0, error);
        var model = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model.json"))).RootElement;
        Assert.Equal(9, model.GetProperty("options").GetProperty("reference_size").GetInt32());
        var resolutions = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))).RootElement.GetProperty("training").GetProperty("resolutions");
        Assert.Equal(new[] { 9, 17 }, resolutions.EnumerateArray().Select(r => r.GetInt32()));
    }

    [Theory]
    [InlineData("unet-no")]
    [InlineData("local-fno")]
    public void OneDimensionalDataIsAUsageErrorForTheConvolutionalNetworks(string model)
    {
        Assert.Equal(0, CliRunner.Run("generate", "burgers", "--samples", "2", "--res", "64", "--fine-res", "256", "--seed", "1", "--out", PathOf("b.h5")).Exit);
        var (exit, _, error) = CliRunner.Run("train", "--model", model, "--data", PathOf("b.h5"), "--test", PathOf("b.h5"), "--out", PathOf("bad"));
        Assert.Equal(2, exit);
        Assert.Contains("works on 2D fields", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(Directory.Exists(PathOf("bad")));
    }
}
