using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Storage;

namespace PdeOps.Cli.Tests;

/// <summary>
/// What <c>pdeops generate</c> guarantees when things go wrong: damaged chunks are recomputed,
/// non-finite values never reach a file, absurd sizes are refused before work, a full disk is named
/// with the output and leaves only what --resume continues from, bad values are usage errors (exit 2)
/// and a resume checks its settings. Every failure is one line on stderr starting "pdeops: ".
/// </summary>
[Collection("console")]
public sealed class GenerateReliabilityTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-genrel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    static readonly string[] Tiny = ["generate", "darcy", "--res", "17", "--fine-res", "17", "--threads", "1"];

    static string OneLine(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {error}");
        Assert.StartsWith("pdeops: ", lines[0]);
        return lines[0].TrimEnd();
    }

    static float[] Values(string path, string name)
    {
        using var reader = new FieldFileReader(path);
        return (float[])reader.ReadSamples(name, 0, (int)reader.Dimensions(name)[0]);
    }

    // A run of `samples` stopped (as by Ctrl-C) once `stopAfter` samples are done, leaving FILE.partial/.
    static void Interrupted(string path, int samples, int stopAfter, long seed = 1)
    {
        using var cancel = new CancellationTokenSource();
        if (stopAfter == 0) cancel.Cancel();
        var request = new GenerationRequest { Family = "darcy", Samples = samples, Resolution = 17, FineResolution = 17, Seed = seed };
        Assert.ThrowsAny<OperationCanceledException>(() => DatasetGeneration.Run(request, path, new GenerationRunOptions
        {
            Threads = 1,
            Cancellation = cancel.Token,
            Progress = (done, _) => { if (done >= stopAfter) cancel.Cancel(); },
        }));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void DamagedChunksAreRecomputedOnResumeAndTheUserIsTold()
    {
        string resumed = PathOf("r.h5"), whole = PathOf("w.h5");
        Interrupted(resumed, samples: 200, stopAfter: 140);
        var chunks = Directory.GetFiles(resumed + ".partial", "chunk-*.bin").Order(StringComparer.Ordinal).ToArray();
        Assert.True(chunks.Length >= 2, $"expected two completed chunks, found {string.Join(", ", Directory.GetFileSystemEntries(resumed + ".partial"))}");
        // Same size, changed bytes: NaN in the data of the first chunk, a flipped header byte in the second.
        long size = new FileInfo(chunks[0]).Length;
        using (var stream = new FileStream(chunks[0], FileMode.Open, FileAccess.Write))
        {
            stream.Position = stream.Length / 2;
            for (int k = 0; k < 16; k++) stream.Write([0x00, 0x00, 0xC0, 0x7F]);
        }
        using (var stream = new FileStream(chunks[1], FileMode.Open, FileAccess.Write)) { stream.Position = 9; stream.WriteByte(0x55); }
        Assert.Equal(size, new FileInfo(chunks[0]).Length); // only a checksum can see this damage

        var (exit, output, error) = CliRunner.Run([.. Tiny, "--samples", "200", "--seed", "1", "--out", resumed, "--resume"]);
        Assert.True(exit == 0, error);
        Assert.Contains("2 chunks of the earlier run failed their checksum", output);
        Assert.False(Directory.Exists(resumed + ".partial"));
        Assert.Equal(0, CliRunner.Run([.. Tiny, "--samples", "200", "--seed", "1", "--out", whole]).Exit);
        foreach (var name in new[] { "coefficient", "solution" })
        {
            var values = Values(resumed, name);
            Assert.All(values, v => Assert.True(float.IsFinite(v)));
            Assert.Equal(Values(whole, name), values);
        }
    }

    [Fact]
    public void NonFiniteValuesNeverReachTheOutput()
    {
        // A forcing of 1e100 gives a finite float64 solution that overflows float32 storage.
        string path = PathOf("inf.h5");
        var (exit, _, error) = CliRunner.Run([.. Tiny, "--samples", "3", "--param", "forcing=1e100", "--out", path]);
        Assert.Equal(1, exit);
        string line = OneLine(error);
        Assert.Contains("sample 0 of array 'solution'", line);
        Assert.Contains("non-finite", line);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.Exists(path + ".partial") ? Directory.GetFiles(path + ".partial", "chunk-*") : []);
    }

    [Theory]
    [InlineData("--samples", "2000000000", "--samples 2000000000")]
    [InlineData("--res", "1000001", "--res 1000001")]
    [InlineData("--fine-res", "2000000001", "--fine-res 2000000001")]
    public void OversizedRequestsAreRefusedBeforeWork(string option, string value, string named)
    {
        string path = PathOf("big.h5");
        string[] args = option == "--samples"
            ? [.. Tiny, option, value, "--out", path]
            : ["generate", "darcy", "--samples", "2", "--res", option == "--res" ? value : "3", option == "--fine-res" ? "--fine-res" : "--seed", option == "--fine-res" ? value : "0", "--out", path];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (exit, _, error) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        string line = OneLine(error);
        Assert.Contains(named, line);
        Assert.Contains("memory", line);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"refusal took {watch.Elapsed}");
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void RequestsLargerThanTheDiskAreRefusedBeforeWork()
    {
        using var disk = new SmallDisk(1 << 20);
        string path = Path.Combine(disk.Folder, "big.h5");
        var (exit, _, error) = CliRunner.Run([.. Tiny, "--samples", "2000", "--out", path]);
        Assert.Equal(1, exit);
        string line = OneLine(error);
        Assert.Contains(path, line);
        Assert.Contains("of disk", line);
        Assert.Empty(disk.Files());
    }

    [Fact]
    public void FullDiskKeepsOnlyCompletedChunksAndResumeFinishes()
    {
        using var disk = new SmallDisk(1 << 20);
        string path = Path.Combine(disk.Folder, "full.h5");
        // 150 samples: 347 KB of chunk files fit, the compressed HDF5 file beside them does not.
        disk.Fill(leaveBytes: 420 << 10);
        var (exit, _, error) = CliRunner.Run([.. Tiny, "--samples", "150", "--out", path]);
        Assert.Equal(1, exit);
        string line = OneLine(error);
        Assert.StartsWith($"pdeops: error: no space left on device writing {path}", line);
        var files = disk.Files();
        Assert.DoesNotContain("full.h5", files);
        Assert.All(files, f => Assert.Matches(@"^full\.h5\.partial(/(manifest\.json|chunk-\d+\.bin))?$", f));
        int chunks = files.Count(f => f.EndsWith(".bin", StringComparison.Ordinal));
        if (chunks > 0) Assert.EndsWith($"completed chunk{(chunks == 1 ? " is" : "s are")} kept in {path}.partial/, free space and rerun with --resume", line);
        else Assert.Empty(files);

        File.Delete(Path.Combine(disk.Folder, "ballast"));
        (exit, _, error) = CliRunner.Run([.. Tiny, "--samples", "150", "--out", path, "--resume"]);
        Assert.True(exit == 0, error);
        Assert.Equal(["full.h5"], disk.Files());
    }

    [Theory]
    [InlineData("--res", "2")]
    [InlineData("--samples", "0")]
    [InlineData("--param", "gamma=1")]
    [InlineData("--param", "alpha=nan")]
    [InlineData("--param", "alpha=-inf")]
    [InlineData("--param", "alpha=-1")]
    [InlineData("--param", "alpha=1e300")] // the field's amplitude tau^(alpha - 1) is infinite: a worker thread's exception ended the process
    [InlineData("--param", "tolerance=0")]
    [InlineData("--fine-res", "20")]
    public void BadValuesAreUsageErrorsBeforeWork(string option, string value)
    {
        string path = PathOf("bad.h5");
        var args = new List<string> { "generate", "darcy", "--out", path };
        if (option != "--samples") args.AddRange(["--samples", "2"]);
        if (option != "--res") args.AddRange(["--res", "9"]);
        args.AddRange([option, value]);
        var (exit, _, error) = CliRunner.Run([.. args]);
        Assert.Equal(2, exit);
        OneLine(error);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void OutputNamingADirectoryFailsBeforeWork()
    {
        string folder = PathOf("folder.h5");
        Directory.CreateDirectory(folder);
        var (exit, _, error) = CliRunner.Run([.. Tiny, "--samples", "2", "--out", folder]);
        Assert.Equal(2, exit);
        Assert.Contains("--out " + folder + " is a folder", OneLine(error));
        Assert.Equal([folder], Directory.GetFileSystemEntries(_dir));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void ResumeNamesTheDifferingSettingAndTakesExplicitDefaultsAsEqual()
    {
        string path = PathOf("c.h5");
        Interrupted(path, samples: 5, stopAfter: 0, seed: 1);
        var (exit, _, error) = CliRunner.Run([.. Tiny, "--samples", "5", "--seed", "2", "--out", path, "--resume"]);
        Assert.Equal(1, exit);
        Assert.EndsWith("resume needs the same settings: seed was 1, now 2", OneLine(error));
        (exit, _, error) = CliRunner.Run([.. Tiny, "--samples", "5", "--seed", "1", "--param", "alpha=3", "--out", path, "--resume"]);
        Assert.Equal(1, exit);
        Assert.EndsWith("resume needs the same settings: parameter alpha was 2, now 3", OneLine(error));
        Assert.True(Directory.Exists(path + ".partial"));

        // alpha=2 is darcy's default: the same settings as leaving it out.
        (exit, _, error) = CliRunner.Run([.. Tiny, "--samples", "5", "--seed", "1", "--param", "alpha=2", "--out", path, "--resume"]);
        Assert.True(exit == 0, error);
        Assert.False(Directory.Exists(path + ".partial"));
    }

    [Fact]
    public void ResumeOfAFinishedRunReportsItCompleteAndDoesNothing()
    {
        string path = PathOf("done.h5");
        Assert.Equal(0, CliRunner.Run([.. Tiny, "--samples", "3", "--seed", "7", "--out", path]).Exit);
        var written = File.GetLastWriteTimeUtc(path);
        var bytes = File.ReadAllBytes(path);
        var (exit, output, error) = CliRunner.Run([.. Tiny, "--samples", "3", "--seed", "7", "--out", path, "--resume"]);
        Assert.True(exit == 0, error);
        Assert.Contains("already complete", output);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(_dir));

        (exit, _, error) = CliRunner.Run([.. Tiny, "--samples", "3", "--seed", "8", "--out", path, "--resume"]);
        Assert.Equal(1, exit);
        Assert.Contains("seed is 7 in the file, 8 now", OneLine(error));
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }
}
