using System.Text.Json;
using PdeOps.Datasets.Storage;

namespace PdeOps.Cli.Tests;

/// <summary><c>--average-symmetries</c> of eval and predict: applied where it can be, refused where it cannot.</summary>
[Collection("console")]
public sealed class SymmetryAveragingCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-symmetry-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    string Train(string name, string normalization)
    {
        if (!File.Exists(PathOf("d.h5")))
            Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "6", "--res", "17", "--seed", "1", "--out", PathOf("d.h5")).Exit);
        string run = PathOf(name);
        var (exit, _, error) = CliRunner.Run("train", "--model", "fno", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--epochs", "1",
            "--width", "4", "--modes", "3", "--layers", "1", "--normalization", normalization, "--out", run, "--threads", "1");
        Assert.True(exit == 0, error);
        return run;
    }

    [Fact]
    public void EvalAndPredictAverageOverTheSymmetriesWhenAsked()
    {
        string run = Train("fno", "global");
        double RelativeL2(params string[] extra)
        {
            var (exit, output, error) = CliRunner.Run(["eval", "--model", run, "--data", PathOf("d.h5"), "--json", "--formats", "png", "--plots", PathOf("eval"), .. extra]);
            Assert.True(exit == 0, error);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(extra.Length > 0, json.RootElement.GetProperty("symmetry_averaging").GetBoolean());
            return json.RootElement.GetProperty("resolutions")[0].GetProperty("rel_l2").GetDouble();
        }
        double plain = RelativeL2(), averaged = RelativeL2("--average-symmetries");
        Assert.True(averaged is > 0 and < 10, $"{averaged}");
        Assert.NotEqual(plain, averaged);
        var (code, _, message) = CliRunner.Run("predict", "--model", run, "--input", PathOf("d.h5"), "--out", PathOf("u.h5"), "--average-symmetries");
        Assert.True(code == 0, message);
        Assert.True(File.Exists(PathOf("u.h5")));
    }

    [Fact]
    public void AveragingIsRefusedWithPointsAndForAPointwiseNormalization()
    {
        var (exit, _, error) = CliRunner.Run("eval", "--model", PathOf("none"), "--data", PathOf("none.h5"), "--points", "20", "--average-symmetries");
        Assert.Equal(2, exit);
        Assert.Contains("--average-symmetries applies to grid predictions", Assert.Single(error.Trim().Split('\n')));

        string run = Train("pointwise", "pointwise");
        foreach (var args in new[]
        {
            new[] { "eval", "--model", run, "--data", PathOf("d.h5"), "--average-symmetries", "--plots", PathOf("eval") },
            ["predict", "--model", run, "--input", PathOf("d.h5"), "--out", PathOf("p.h5"), "--average-symmetries"],
        })
        {
            (exit, _, error) = CliRunner.Run(args);
            Assert.True(exit == 2, $"{args[0]}: {exit} {error}");
            Assert.Contains("per point", Assert.Single(error.Trim().Split('\n')));
        }
        Assert.False(File.Exists(PathOf("p.h5")));
        Assert.False(Directory.Exists(PathOf("eval")));
    }

    [Fact]
    public void DataOnARectangularGridFailsWithOneLineAndLeavesNoOutput()
    {
        string run = Train("fno", "global");
        string rectangle = PathOf("rectangle.h5");
        var coordinates = new Dictionary<string, double[]>
        {
            ["x"] = Enumerable.Range(0, 9).Select(i => i / 8.0).ToArray(),
            ["y"] = Enumerable.Range(0, 17).Select(i => i / 16.0).ToArray(),
        };
        var attributes = new Dictionary<string, object>
        {
            [DatasetLayout.FormatAttribute] = DatasetLayout.FormatName,
            [DatasetLayout.InputsAttribute] = "coefficient",
            [DatasetLayout.OutputsAttribute] = "solution",
        };
        SampleArrayShape[] arrays = [new("coefficient", [17, 9], 4), new("solution", [17, 9], 4)];
        using (var writer = new SampleArrayFileWriter(rectangle, arrays, 2, coordinates, attributes))
            for (int a = 0; a < 2; a++) writer.Write(a, 0, 2, Enumerable.Repeat(1f, 2 * 17 * 9).ToArray());
        Assert.Equal(0, CliRunner.Run("predict", "--model", run, "--input", rectangle, "--out", PathOf("plain.h5")).Exit);

        foreach (var args in new[]
        {
            new[] { "eval", "--model", run, "--data", rectangle, "--average-symmetries", "--plots", PathOf("eval") },
            ["predict", "--model", run, "--input", rectangle, "--out", PathOf("averaged.h5"), "--average-symmetries"],
        })
        {
            var (exit, _, error) = CliRunner.Run(args);
            Assert.True(exit == 1, $"{args[0]}: {exit} {error}");
            // One error line, after the warning that the grid is not the training grid.
            Assert.Contains("square grid", Assert.Single(error.Trim().Split('\n'), line => !line.StartsWith("warning:", StringComparison.Ordinal)));
        }
        Assert.False(File.Exists(PathOf("averaged.h5")));
        Assert.Empty(Directory.GetFiles(_dir, "averaged.h5*"));
    }
}
