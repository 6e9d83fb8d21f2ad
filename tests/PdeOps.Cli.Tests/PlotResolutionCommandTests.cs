namespace PdeOps.Cli.Tests;

/// <summary><c>pdeops plot resolution</c>: the error across grids of evaluated runs in one figure, and each class of bad input.</summary>
[Collection("console")]
public sealed class PlotResolutionCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-plot-resolution-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    string Run(string name, string evalJson)
    {
        string folder = PathOf(name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "eval.json"), evalJson);
        return folder;
    }

    static string Evaluated(params (int Resolution, double RelL2)[] rows) =>
        "{\"model\": \"fno\", \"resolutions\": [" + string.Join(", ", rows.Select(r => $"{{\"resolution\": {r.Resolution}, \"rel_l2\": {r.RelL2}}}")) + "]}";

    [Fact]
    public void EvaluatedRunsAreDrawnOneLineEach()
    {
        string a = Run("converted", Evaluated((85, 0.03), (141, 0.04), (421, 0.05)));
        string b = Run("as-built", Evaluated((421, 0.3), (85, 0.03)));
        var (exit, output, error) = CliRunner.Run("plot", "resolution", a, b, "--out", PathOf("errors.png"), "--title", "two runs");
        Assert.True(exit == 0, error);
        Assert.Contains("errors.png", output);
        var png = File.ReadAllBytes(PathOf("errors.png"));
        Assert.True(png.Length > 1000);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(0, CliRunner.Run("plot", "resolution", a, "--out", PathOf("errors.svg")).Exit);
        Assert.Contains("converted", File.ReadAllText(PathOf("errors.svg")));
    }

    [Fact]
    public void ARunWithoutAnEvaluationOrWithAnotherFileIsOneLineAndWritesNothing()
    {
        Directory.CreateDirectory(PathOf("untrained"));
        string good = Run("good", Evaluated((85, 0.03)));
        foreach (var (folder, named) in new[] { (PathOf("untrained"), "no eval.json"), (Run("other", "{\"epochs\": 3}"), "not the output of 'pdeops eval --json'"), (Run("empty", Evaluated()), "evaluated on no grid") })
        {
            var (exit, _, error) = CliRunner.Run("plot", "resolution", good, folder, "--out", PathOf("figure.png"));
            Assert.Equal(1, exit);
            Assert.Contains(named, error);
            Assert.Single(error.Trim().Split('\n'));
            Assert.False(File.Exists(PathOf("figure.png")));
        }
    }

    [Fact]
    public void BadCommandLinesAreUsageErrors()
    {
        string good = Run("good", Evaluated((85, 0.03)));
        Assert.Equal(2, CliRunner.Run("plot", "resolution", good, "--out", PathOf("figure.txt")).Exit);
        Assert.Equal(2, CliRunner.Run("plot", "resolution", "--out", PathOf("figure.png")).Exit);
        Assert.Equal(2, CliRunner.Run("plot", "resolution", good).Exit);
        Assert.False(File.Exists(PathOf("figure.png")));
    }
}
