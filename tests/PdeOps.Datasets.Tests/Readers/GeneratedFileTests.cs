using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PdeOps.Datasets.Tools;

namespace PdeOps.Datasets.Tests.Readers;

/// <summary>The readers and tools on files written by the PdeOps generators themselves.</summary>
public sealed class GeneratedFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-generated-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Generate(string family, int samples, int res, params (string, double)[] parameters)
    {
        string path = Path.Combine(_dir, family + ".h5");
        DatasetGeneration.Run(new GenerationRequest
        {
            Family = family,
            Samples = samples,
            Resolution = res,
            Seed = 3,
            Parameters = parameters.ToDictionary(p => p.Item1, p => p.Item2),
        }, path, new GenerationRunOptions { Threads = 2 });
        return path;
    }

    [Fact]
    public void BurgersTrajectoriesHaveATimeAxisThatSubsamplingLeavesAlone()
    {
        string path = Generate("burgers", 2, 64, ("snapshots", 4), ("time_step", 1e-3));
        var data = DatasetReader.Read(path);
        var u = data.Output("solution");
        Assert.Equal(new[] { 2, 4, 64 }, u.Shape);
        Assert.Equal(new[] { "n", "t", "x" }, u.Axes);
        Assert.Equal(new[] { "n", "x" }, data.Input("initial_condition").Axes);

        var coarse = data.Subsample(4);
        Assert.Equal(new[] { 2, 4, 16 }, coarse.Output("solution").Shape);
        Assert.Equal(16, coarse.Coordinates["x"].Length);
        Assert.Equal(4, coarse.Coordinates["t"].Length);
        Assert.Equal(u.Values[64 + 8], coarse.Output("solution").Values[16 + 2]);

        string train = Path.Combine(_dir, "train.h5"), test = Path.Combine(_dir, "test.h5");
        DatasetSplit.Split(path, train, test, 1, 1);
        var back = DatasetReader.Read(test);
        Assert.Equal(new[] { "n", "t", "x" }, back.Output("solution").Axes);
        Assert.Equal(DatasetGridConvention.Periodic, data.GridConvention);
        Assert.Equal(DatasetGridConvention.Periodic, back.GridConvention);
        foreach (string file in new[] { path, train, test })
        {
            using var reader = new FieldFileReader(file);
            Assert.Equal("periodic", reader.Attribute(DatasetLayout.GridConventionAttribute));
        }
        Assert.Equal(data.Slice(1, 1).Output("solution").Values, back.Output("solution").Values);
    }

    [Fact]
    public void DarcyFilesReadWithTheirStoredOrientation()
    {
        string path = Generate("darcy", 2, 17);
        Assert.Equal(DatasetFormat.PdeOps, DatasetReader.Detect(path));
        var data = DatasetReader.Read(path);
        Assert.Equal(new[] { 2, 17, 17 }, data.Input("coefficient").Shape);
        Assert.Equal(new[] { "n", "y", "x" }, data.Output("solution").Axes);
        Assert.Equal(new[] { 2, 9, 9 }, data.Subsample(2).Output("solution").Shape);
        Assert.Equal(1.0, data.Subsample(2).Coordinates["x"][^1]);
        Assert.Equal(DatasetGridConvention.Closed, data.Subsample(2).GridConvention);
        using var reader = new FieldFileReader(path);
        Assert.Equal("closed", reader.Attribute(DatasetLayout.GridConventionAttribute));
    }
}
