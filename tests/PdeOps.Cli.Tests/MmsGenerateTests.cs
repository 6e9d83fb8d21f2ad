using System.Text.Json;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Symbolic;
using PureHDF;

namespace PdeOps.Cli.Tests;

/// <summary><c>pdeops generate mms</c>: manufactured problems as channels, point sets and text; sharded and resumed like every family.</summary>
[Collection("console")]
public sealed class MmsGenerateTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-mms-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    static readonly string[] Small = ["--res", "16", "--seed", "4", "--param", "interior_points=24", "--param", "boundary_points=12", "--threads", "1"];

    [Fact]
    public void SamplesCarryTheirProblemAsTextAndPointsThatSatisfyIt()
    {
        var (exit, _, error) = CliRunner.Run(["generate", "mms", "--samples", "6", "--out", PathOf("mms.h5"), "--param", "physics_fraction=0.5", .. Small]);
        Assert.True(exit == 0, error);
        using var file = H5File.OpenRead(PathOf("mms.h5"));
        Assert.Equal("pde,source,domain,conditions,exact", file.Attribute("texts").Read<string>());
        var pdes = file.Dataset("pde").Read<string[]>();
        var exact = file.Dataset("exact").Read<string[]>();
        var supervised = file.Dataset("supervised").Read<float[,]>();
        var interior = file.Dataset("interior").Read<float[,,]>();
        Assert.Equal([6, 5, 16, 16], file.Dataset("channels").Space.Dimensions.Select(d => (int)d));
        Assert.Contains(0f, supervised.Cast<float>());
        Assert.Contains(1f, supervised.Cast<float>());
        for (var s = 0; s < 6; s++)
        {
            var op = LinearOperator2D.Parse(pdes[s]);
            Assert.Equal(supervised[s, 0] == 1, exact[s].Length > 0);
            if (exact[s].Length == 0) continue;
            // The stored f matches L applied to the stored solution text, at the stored points.
            var lu = op.Apply(Expr.Parse(exact[s], ["x", "y"])).Compile2D();
            for (var k = 0; k < 24; k++)
            {
                var expected = lu.Evaluate(interior[s, k, 0], interior[s, k, 1]);
                Assert.Equal(expected, interior[s, k, 2], Math.Max(1e-3, 1e-5 * Math.Abs(expected)));
            }
        }
    }

    [Fact]
    public void ShardsMergeIntoTheWholeRunTextsIncluded()
    {
        Assert.Equal(0, CliRunner.Run(["generate", "mms", "--samples", "5", "--out", PathOf("whole.h5"), .. Small]).Exit);
        foreach (var k in new[] { 0, 1 })
            Assert.Equal(0, CliRunner.Run(["generate", "mms", "--samples", "5", "--shard", $"{k}/2", "--out", PathOf($"part{k}.h5"), .. Small]).Exit);
        var (exit, _, error) = CliRunner.Run("datasets", "merge", PathOf("part0.h5"), PathOf("part1.h5"), "--out", PathOf("merged.h5"));
        Assert.True(exit == 0, error);
        using var whole = H5File.OpenRead(PathOf("whole.h5"));
        using var merged = H5File.OpenRead(PathOf("merged.h5"));
        foreach (var name in new[] { "pde", "source", "domain", "conditions", "exact" })
            Assert.Equal(whole.Dataset(name).Read<string[]>(), merged.Dataset(name).Read<string[]>());
        Assert.Equal(whole.Dataset("channels").Read<float[]>(), merged.Dataset("channels").Read<float[]>());

        // A split keeps each sample's problem with it.
        (exit, _, error) = CliRunner.Run("datasets", "split", PathOf("whole.h5"), "--train", "3", "--test", "2");
        Assert.True(exit == 0, error);
        using var test = H5File.OpenRead(PathOf("whole-test.h5"));
        Assert.Equal(whole.Dataset("exact").Read<string[]>()[3..], test.Dataset("exact").Read<string[]>());
    }

    [Theory]
    [InlineData("--param", "physics_fraction=2", "physics_fraction must lie in [0, 1]")]
    [InlineData("--param", "zero_sides_fraction=-1", "zero_sides_fraction must lie in [0, 1]")]
    [InlineData("--param", "zero_sides_fraction=abc", "is not NAME=NUMBER")]
    [InlineData("--fine-res", "32", "no fine grid")]
    [InlineData("--res", "4", "8 points per side")]
    public void BadSettingsAreRefusedBeforeAnyWork(string option, string value, string message)
    {
        var args = new List<string> { "generate", "mms", "--samples", "2", "--out", PathOf("bad.h5"), option, value };
        if (option != "--res") args.AddRange(["--res", "16"]);
        var (exit, _, error) = CliRunner.Run(args.ToArray());
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void BenchGenerateReportsBothRatesAndWritesTheReport()
    {
        var report = PathOf("bench.json");
        var (exit, output, error) = CliRunner.Run("bench", "generate", "--samples", "6", "--res", "16", "--repeat", "2", "--warmup", "0.05", "--threads", "2", "--out", report);
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        var root = json.RootElement;
        Assert.Equal("mms", root.GetProperty("family").GetString());
        Assert.Equal(2, root.GetProperty("in_memory_runs").GetArrayLength());
        Assert.Equal(2, root.GetProperty("file_runs").GetArrayLength());
        Assert.True(root.GetProperty("in_memory_samples_per_second_median").GetDouble() > 0);
        Assert.True(root.GetProperty("file_samples_per_second_median").GetDouble() > 0);
        Assert.Contains("in_memory_samples_per_second_median", output);
        // The end-to-end runs write in a temporary folder and leave nothing behind.
        Assert.Equal([report], Directory.GetFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("--family", "nonsense", "--family")]
    [InlineData("--samples", "0", "--samples")]
    [InlineData("--res", "4", "8 points per side")]
    [InlineData("--repeat", "0", "--repeat")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--threads", "100000", "--threads must be at most")]
    [InlineData("--warmup", "-1", "--warmup")]
    [InlineData("--warmup", "nan", "--warmup")]
    [InlineData("--out", "missing/bench.json", "does not exist")]
    [InlineData("--out", "", "is a folder")]
    public void BenchGenerateRefusesBadSettingsBeforeAnyWork(string option, string value, string named)
    {
        var args = new List<string> { "bench", "generate", "--memory-only", option, option == "--out" ? PathOf(value) : value };
        // The small run's settings, unless the case is about one of them.
        foreach (var (name, small) in new[] { ("--samples", "2"), ("--res", "16") })
            if (name != option) args.AddRange([name, small]);
        var (exit, _, error) = CliRunner.Run([.. args]);
        Assert.True(exit == 2, $"{option} {value}: exit {exit}, {error}");
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(named, error);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void BenchGenerateThatCannotWriteItsReportSaysSoInOneLineBeforeAnyWork()
    {
        // A folder that exists but takes no files, whoever runs the test.
        var (exit, _, error) = CliRunner.Run("bench", "generate", "--memory-only", "--samples", "2", "--res", "16", "--warmup", "0", "--repeat", "1", "--out", "/proc/pdeops-bench.json");
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("--out /proc/pdeops-bench.json: files cannot be created in /proc", error);
        Assert.False(File.Exists("/proc/pdeops-bench.json"));
    }
}
