using System.Text.Json;
using PdeOps.Datasets.Storage;

namespace PdeOps.Cli.Tests;

[Collection("console")]
public sealed class DatasetsCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-ds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    string Generated(int samples)
    {
        string path = PathOf("d.h5");
        var (exit, _, error) = CliRunner.Run("generate", "darcy", "--samples", samples.ToString(), "--res", "9", "--fine-res", "17", "--out", path);
        Assert.True(exit == 0, error);
        return path;
    }

    [Fact]
    public void InfoReportsLayoutShapesStatisticsAndProvenance()
    {
        var (exit, output, error) = CliRunner.Run("datasets", "info", Generated(5), "--json");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("PdeOps", root.GetProperty("format").GetString());
        Assert.Equal(5, root.GetProperty("samples").GetInt64());
        var coefficient = root.GetProperty("arrays").EnumerateArray().First(a => a.GetProperty("name").GetString() == "coefficient");
        Assert.Equal("input", coefficient.GetProperty("role").GetString());
        Assert.Equal(new[] { 5L, 9, 9 }, coefficient.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()));
        // The two-phase coefficient takes only the values 3 and 12.
        Assert.Equal(3, coefficient.GetProperty("min").GetDouble());
        Assert.Equal(12, coefficient.GetProperty("max").GetDouble());
        Assert.Equal("darcy", root.GetProperty("attributes").GetProperty("generator").GetString());
    }

    [Fact]
    public void SplitWritesTrainAndTestFiles()
    {
        string source = Generated(6);
        var (exit, _, error) = CliRunner.Run("datasets", "split", source, "--train", "4", "--test", "2", "--train-out", PathOf("tr.h5"), "--test-out", PathOf("te.h5"));
        Assert.True(exit == 0, error);
        using var all = new FieldFileReader(source);
        using var test = new FieldFileReader(PathOf("te.h5"));
        Assert.Equal(2UL, test.Dimensions("solution")[0]);
        Assert.Equal((float[])all.ReadSamples("solution", 4, 2), (float[])test.ReadSamples("solution", 0, 2));
        (exit, _, error) = CliRunner.Run("datasets", "split", source, "--train", "5", "--test", "2", "--train-out", PathOf("a.h5"), "--test-out", PathOf("b.h5"));
        Assert.Equal(1, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(PathOf("a.h5")) || File.Exists(PathOf("b.h5")));
    }

    [Fact]
    public void MissingAndTruncatedFilesFailWithOneLine()
    {
        var (exit, _, error) = CliRunner.Run("datasets", "info", PathOf("none.h5"));
        Assert.Equal(1, exit);
        Assert.Contains("none.h5", error);
        string source = Generated(3), truncated = PathOf("cut.h5");
        File.WriteAllBytes(truncated, File.ReadAllBytes(source)[..2000]);
        (exit, _, error) = CliRunner.Run("datasets", "info", truncated);
        Assert.Equal(1, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("cut.h5", error);
    }
}
