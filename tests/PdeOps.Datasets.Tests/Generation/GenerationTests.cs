using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Diffusion;

namespace PdeOps.Datasets.Tests.Generation;

public sealed class GenerationTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-gen-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    static GenerationRequest Darcy(long samples, int res = 9, int fine = 17, long seed = 4) =>
        new() { Family = "darcy", Samples = samples, Resolution = res, FineResolution = fine, Seed = seed };

    static byte[] RawArray(string path, string name)
    {
        using var reader = new FieldFileReader(path);
        var values = reader.ReadSamples(name, 0, (int)reader.Dimensions(name)[0]);
        var bytes = new byte[Buffer.ByteLength(values)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    [Fact]
    public void DarcyFileHasTheDocumentedLayoutAndSampleIIsItsOwnSolve()
    {
        string path = PathOf("darcy.h5");
        var summary = DatasetGeneration.Run(Darcy(5, res: 9, fine: 33), path, new GenerationRunOptions { Threads = 2 });
        Assert.Equal(5, summary.Samples);
        using var reader = new FieldFileReader(path);
        Assert.Equal(new ulong[] { 5, 9, 9 }, reader.Dimensions("coefficient"));
        Assert.Equal(new ulong[] { 5, 9, 9 }, reader.Dimensions("solution"));
        Assert.Equal(new ulong[] { 9 }, reader.Dimensions("x"));
        Assert.Equal(4, reader.ElementSize("solution"));
        Assert.Equal("pdeops-dataset", reader.Attribute("format"));
        Assert.Equal("darcy", reader.Attribute("generator"));
        Assert.Equal("coefficient", reader.Attribute("inputs"));
        Assert.Equal("solution", reader.Attribute("outputs"));
        Assert.Equal("33", reader.Attribute("fine_resolution"));
        Assert.Equal("9", reader.Attribute("resolution"));
        Assert.Equal("12", reader.Attribute("param_high"));
        Assert.NotNull(reader.Attribute("pdeops_version"));
        Assert.False(Directory.Exists(path + ".partial"));

        // Sample 3 recomputed independently: the GRF of (seed, 3) on the fine grid, solved, subsampled by 4.
        var a = TwoPhaseCoefficient.Sample(33, seed: 4, index: 3);
        var f = new double[33, 33];
        for (int j = 0; j < 33; j++) for (int i = 0; i < 33; i++) f[j, i] = 1;
        var u = new DirichletDiffusionSolver2D(new DirichletDiffusionOptions { RelativeTolerance = 1e-12 }).Solve(a, f).U;
        // The float32 default tolerance leaves an error of about one float32 ulp of max |u|.
        double ulp = MathF.BitIncrement((float)u.Cast<double>().Max()) - (float)u.Cast<double>().Max();
        var storedA = (float[])reader.ReadSamples("coefficient", 3, 1);
        var storedU = (float[])reader.ReadSamples("solution", 3, 1);
        for (int j = 0; j < 9; j++)
            for (int i = 0; i < 9; i++)
            {
                Assert.Equal((float)a[4 * j, 4 * i], storedA[j * 9 + i]);
                Assert.True(Math.Abs(storedU[j * 9 + i] - u[4 * j, 4 * i]) <= 2 * ulp, $"u at ({j}, {i}): {storedU[j * 9 + i]} vs {u[4 * j, 4 * i]}");
            }
    }

    [Fact]
    public void ResumedRunIsByteIdenticalToAnUninterruptedOne()
    {
        // 150 samples at 9^2 make three chunks of 64, 64 and 22; the first run stops after about 70.
        string whole = PathOf("whole.h5"), resumed = PathOf("resumed.h5");
        DatasetGeneration.Run(Darcy(150), whole, new GenerationRunOptions { Threads = 2 });
        using (var cancel = new CancellationTokenSource())
        {
            var options = new GenerationRunOptions { Threads = 2, Cancellation = cancel.Token, Progress = (done, _) => { if (done >= 70) cancel.Cancel(); } };
            Assert.ThrowsAny<OperationCanceledException>(() => DatasetGeneration.Run(Darcy(150), resumed, options));
        }
        Assert.False(File.Exists(resumed));
        Assert.NotEmpty(Directory.GetFiles(resumed + ".partial", "chunk-*.bin"));
        var summary = DatasetGeneration.Run(Darcy(150), resumed, new GenerationRunOptions { Threads = 1, Resume = true });
        Assert.True(summary.Resumed >= 64, $"{summary.Resumed} samples resumed");
        Assert.Equal(RawArray(whole, "coefficient"), RawArray(resumed, "coefficient"));
        Assert.Equal(RawArray(whole, "solution"), RawArray(resumed, "solution"));
    }

    [Fact]
    public void ResumingWithOtherSettingsOrWithoutTheFlagFails()
    {
        string path = PathOf("r.h5");
        Directory.CreateDirectory(path + ".partial");
        var noFlag = Assert.Throws<DataFileException>(() => DatasetGeneration.Run(Darcy(3), path));
        Assert.Contains("--resume", noFlag.Message);
        Directory.Delete(path + ".partial");
        using (var cancel = new CancellationTokenSource())
        {
            cancel.Cancel();
            Assert.ThrowsAny<OperationCanceledException>(() => DatasetGeneration.Run(Darcy(3), path, new GenerationRunOptions { Cancellation = cancel.Token }));
        }
        var other = Assert.Throws<DataFileException>(() => DatasetGeneration.Run(Darcy(3, seed: 5), path, new GenerationRunOptions { Resume = true }));
        Assert.Contains("resume needs the same settings: seed was 4, now 5", other.Message);
    }

    [Fact]
    public void MergedShardsEqualOneRun()
    {
        string whole = PathOf("one.h5"), merged = PathOf("merged.h5");
        DatasetGeneration.Run(Darcy(10), whole);
        var shards = Enumerable.Range(0, 3).Select(k => PathOf($"shard{k}.h5")).ToList();
        for (int k = 0; k < 3; k++) DatasetGeneration.Run(Darcy(10) with { Shard = new ShardSpec(k, 3) }, shards[k]);
        using (var shard1 = new FieldFileReader(shards[1]))
        {
            Assert.Equal("1/3", shard1.Attribute("shard"));
            Assert.Equal("3", shard1.Attribute("first_sample"));
            Assert.Equal(3UL, shard1.Dimensions("solution")[0]);
        }
        Assert.Equal(10, ShardMerge.Merge([shards[2], shards[0], shards[1]], merged));
        Assert.Equal(RawArray(whole, "coefficient"), RawArray(merged, "coefficient"));
        Assert.Equal(RawArray(whole, "solution"), RawArray(merged, "solution"));
        using var reader = new FieldFileReader(merged);
        Assert.Null(reader.Attribute("shard"));
        Assert.Equal("darcy", reader.Attribute("generator"));
        Assert.Equal("closed", reader.Attribute(DatasetLayout.GridConventionAttribute));

        var missing = Assert.Throws<DataFileException>(() => ShardMerge.Merge([shards[0], shards[2]], PathOf("m2.h5")));
        Assert.Contains("missing shard(s) 1/3", missing.Message);
        var twice = Assert.Throws<DataFileException>(() => ShardMerge.Merge([shards[0], shards[1], shards[1], shards[2]], PathOf("m3.h5")));
        Assert.Contains("given twice", twice.Message);
        Assert.False(File.Exists(PathOf("m2.h5")) || File.Exists(PathOf("m2.h5.partial")));
    }

    [Theory]
    [InlineData("3/2")]
    [InlineData("1/0")]
    [InlineData("a/b")]
    [InlineData("-1/2")]
    public void BadShardSpecsAreRejected(string text) => Assert.Throws<FormatException>(() => ShardSpec.Parse(text));

    [Fact]
    public void BadRequestsFailBeforeWritingAnything()
    {
        string path = PathOf("bad.h5");
        Assert.Throws<ArgumentException>(() => DatasetGeneration.Run(Darcy(3, res: 10, fine: 17), path));
        Assert.Throws<ArgumentException>(() => DatasetGeneration.Run(Darcy(3) with { Parameters = new Dictionary<string, double> { ["nope"] = 1 } }, path));
        Assert.Throws<ArgumentException>(() => DatasetGeneration.Run(Darcy(3) with { Family = "nosuch" }, path));
        Assert.False(File.Exists(path) || Directory.Exists(path + ".partial"));
        DatasetGeneration.Run(Darcy(2), path);
        Assert.Throws<DataFileException>(() => DatasetGeneration.Run(Darcy(2), path));
    }
}
