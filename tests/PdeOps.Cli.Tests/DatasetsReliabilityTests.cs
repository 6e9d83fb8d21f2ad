using PdeOps.Datasets.Storage;
using PureHDF;

namespace PdeOps.Cli.Tests;

/// <summary>
/// What <c>pdeops datasets info|split|convert|merge</c> guarantee with damaged, huge or unwritable
/// files: one line on stderr naming the file and the cause, exit 1, and no output or <c>.partial</c>
/// file left behind.
/// </summary>
[Collection("console")]
public sealed class DatasetsReliabilityTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-dsrel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    static string OneLine(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {error}");
        Assert.StartsWith("pdeops: ", lines[0]);
        return lines[0].TrimEnd();
    }

    string Generated(string name, int samples, string? shard = null)
    {
        string path = PathOf(name);
        string[] args = ["generate", "darcy", "--samples", samples.ToString(), "--res", "17", "--fine-res", "17", "--threads", "1", "--out", path];
        var (exit, _, error) = CliRunner.Run(shard is null ? args : [.. args, "--shard", shard]);
        Assert.True(exit == 0, error);
        return path;
    }

    // A PDEBench-style Darcy file (nu (N, H, W), tensor (N, 1, H, W)), the input convert takes.
    string PdeBench(string name, int n, int h)
    {
        var nu = new float[n, h, h];
        var tensor = new float[n, 1, h, h];
        var random = new Random(5);
        for (int s = 0; s < n; s++) for (int i = 0; i < h; i++) for (int j = 0; j < h; j++) { nu[s, i, j] = random.NextSingle(); tensor[s, 0, i, j] = random.NextSingle(); }
        var file = new H5File
        {
            ["nu"] = new H5Dataset(nu),
            ["tensor"] = new H5Dataset(tensor),
            ["x-coordinate"] = new H5Dataset(Enumerable.Range(0, h).Select(j => (j + 0.5f) / h).ToArray()),
            ["y-coordinate"] = new H5Dataset(Enumerable.Range(0, h).Select(i => (i + 0.5f) / h).ToArray()),
        };
        string path = PathOf(name);
        file.Write(path);
        return path;
    }

    [Fact]
    public void SplitRefusesToOverwriteWithoutTheOption()
    {
        string source = Generated("s.h5", 6), train = PathOf("tr.h5"), test = PathOf("te.h5");
        File.WriteAllText(test, "keep me");
        var (exit, _, error) = CliRunner.Run("datasets", "split", source, "--train", "4", "--test", "2", "--train-out", train, "--test-out", test);
        Assert.Equal(1, exit);
        string line = OneLine(error);
        Assert.Contains(test, line);
        Assert.Contains("--overwrite", line);
        Assert.False(File.Exists(train));
        Assert.Equal("keep me", File.ReadAllText(test));
        (exit, _, error) = CliRunner.Run("datasets", "split", source, "--train", "4", "--test", "2", "--train-out", train, "--test-out", test, "--overwrite");
        Assert.True(exit == 0, error);
        using var reader = new FieldFileReader(test);
        Assert.Equal(2UL, reader.Dimensions("solution")[0]);
    }

    [Theory]
    [InlineData("merge")]
    [InlineData("split")]
    [InlineData("convert")]
    public void FullDiskNamesTheOutputAndLeavesNothing(string command)
    {
        string[] inputs = command switch
        {
            "merge" => [Generated("s0.h5", 120, "0/2"), Generated("s1.h5", 120, "1/2")],
            "split" => [Generated("s.h5", 120)],
            _ => [PdeBench("p.h5", 60, 17)],
        };
        using var disk = new SmallDisk(1 << 20);
        string output = Path.Combine(disk.Folder, "out.h5"), other = Path.Combine(disk.Folder, "other.h5");
        disk.Fill(leaveBytes: 24 << 10);
        string[] args = command switch
        {
            "merge" => ["datasets", "merge", .. inputs, "--out", output],
            "split" => ["datasets", "split", inputs[0], "--train", "100", "--test", "20", "--train-out", output, "--test-out", other],
            _ => ["datasets", "convert", inputs[0], "--out", output],
        };
        var (exit, _, error) = CliRunner.Run(args);
        Assert.Equal(1, exit);
        Assert.Equal($"pdeops: error: no space left on device writing {output}", OneLine(error));
        Assert.Empty(disk.Files());
    }

    public static TheoryData<string, string> Damages => new()
    {
        { "info", "truncated" }, { "split", "truncated" }, { "convert", "truncated" }, { "merge", "truncated" },
        { "info", "garbled" }, { "split", "garbled" }, { "convert", "garbled" }, { "merge", "garbled" },
        { "info", "signature-only" }, { "merge", "signature-only" },
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public void DamagedFilesAreNamedWithTheCause(string command, string damage)
    {
        // merge gets both shards of a run, the first damaged: intact, they would merge.
        string source = command == "convert" ? PdeBench("p.h5", 8, 17) : Generated("g.h5", 8, command == "merge" ? "0/2" : null);
        string? second = command == "merge" ? Generated("g1.h5", 8, "1/2") : null;
        var bytes = File.ReadAllBytes(source);
        string bad = PathOf("bad.h5");
        switch (damage)
        {
            case "truncated": bytes = bytes[..(bytes.Length * 2 / 3)]; break;
            case "garbled": new Random(1).NextBytes(bytes.AsSpan(96, Math.Min(4000, bytes.Length - 96))); break;
            default: bytes = [.. bytes[..8], .. new byte[4096]]; break;
        }
        File.WriteAllBytes(bad, bytes);
        string output = PathOf("out.h5");
        string[] args = command switch
        {
            "info" => ["datasets", "info", bad],
            "split" => ["datasets", "split", bad, "--train", "6", "--test", "2", "--train-out", output, "--test-out", PathOf("other.h5")],
            "convert" => ["datasets", "convert", bad, "--out", output],
            _ => ["datasets", "merge", bad, second!, "--out", output],
        };
        var (exit, _, error) = CliRunner.Run(args);
        Assert.Equal(1, exit);
        string line = OneLine(error);
        Assert.StartsWith($"pdeops: error: {bad}: ", line);
        if (second is not null) File.Delete(second);
        Assert.DoesNotContain("Array dimensions exceeded", line);
        Assert.DoesNotContain("Object reference", line);
        Assert.DoesNotContain("internal error", line);
        Assert.Equal(new[] { bad, source }.Order(StringComparer.Ordinal), Directory.GetFileSystemEntries(_dir).Order(StringComparer.Ordinal));
    }

    // A PdeOps file declaring coefficient and solution of shape (1e9, 100, 1024) float32 (400 TB each):
    // written with 7 samples, whose dataspaces are then patched to 1e9 samples, as a damaged or
    // never-filled file could declare. Its metadata is consistent; its data cannot all be there.
    string Huge()
    {
        string path = PathOf("huge.h5");
        var coordinates = new Dictionary<string, double[]>
        {
            ["x"] = Enumerable.Range(0, 1024).Select(i => i / 1023.0).ToArray(),
            ["y"] = Enumerable.Range(0, 100).Select(i => i / 99.0).ToArray(),
        };
        var attributes = new Dictionary<string, object>
        {
            [DatasetLayout.FormatAttribute] = DatasetLayout.FormatName,
            [DatasetLayout.InputsAttribute] = "coefficient",
            [DatasetLayout.OutputsAttribute] = "solution",
        };
        SampleArrayShape[] arrays = [new("coefficient", [100, 1024], 4), new("solution", [100, 1024], 4)];
        using (var writer = new SampleArrayFileWriter(path, arrays, 7, coordinates, attributes))
            for (int a = 0; a < 2; a++) writer.Write(a, 0, 7, new float[7 * 100 * 1024]);
        var bytes = File.ReadAllBytes(path);
        byte[] small = [.. BitConverter.GetBytes(7UL), .. BitConverter.GetBytes(100UL), .. BitConverter.GetBytes(1024UL)];
        var large = BitConverter.GetBytes(1_000_000_000UL);
        int patched = 0;
        for (int i = 0; i + small.Length <= bytes.Length; i++)
            if (bytes.AsSpan(i, small.Length).SequenceEqual(small)) { large.CopyTo(bytes, i); patched++; }
        Assert.True(patched >= 2, $"patched {patched} dataspaces");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void HugeDeclaredShapesAreDescribedFromMetadataAndRefusedByConvertAndSplit()
    {
        string huge = Huge();
        Assert.True(new FileInfo(huge).Length < 64 << 20, $"the crafted file is {new FileInfo(huge).Length} bytes");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (exit, output, error) = CliRunner.Run("datasets", "info", huge);
        Assert.True(exit == 0, error);
        Assert.Contains("(1000000000, 100, 1024)", output);
        Assert.Contains("statistics skipped", output);
        foreach (var args in new[]
        {
            new[] { "datasets", "convert", huge, "--out", PathOf("c.h5") },
            new[] { "datasets", "split", huge, "--train", "900000000", "--test", "100000000", "--train-out", PathOf("a.h5"), "--test-out", PathOf("b.h5") },
        })
        {
            (exit, _, error) = CliRunner.Run(args);
            Assert.Equal(1, exit);
            string line = OneLine(error);
            Assert.StartsWith($"pdeops: error: {huge}: ", line);
        }
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
        Assert.Equal([huge], Directory.GetFileSystemEntries(_dir));
    }
}
