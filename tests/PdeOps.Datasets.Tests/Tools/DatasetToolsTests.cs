using System.Text.Json;
using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PdeOps.Datasets.Tests.Readers;
using PdeOps.Datasets.Tools;
using PdeOps.Physics.IO;

namespace PdeOps.Datasets.Tests.Tools;

public sealed class DatasetToolsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-tools-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void DescribeReportsShapesRolesAndStatistics()
    {
        string path = File("ours.h5");
        TestFiles.PdeOps(path, n: 30, h: 3, w: 4);
        var info = DatasetInfo.Describe(path);

        Assert.Equal(DatasetFormat.PdeOps, info.Format);
        Assert.Equal(30, info.Samples);
        var a = info.Arrays.Single(x => x.Name == "coefficient");
        Assert.Equal(DatasetArrayRole.Input, a.Role);
        Assert.Equal(new long[] { 30, 3, 4 }, a.Shape);
        Assert.Equal("float32", a.Dtype);
        var values = DatasetReader.Read(path).Input("coefficient").Values.Select(v => (double)v).ToArray();
        double mean = values.Average();
        Assert.Equal(values.Min(), a.Min);
        Assert.Equal(values.Max(), a.Max);
        Assert.Equal(mean, a.Mean, 1e-9 * Math.Abs(mean));
        Assert.Equal(Math.Sqrt(values.Average(v => (v - mean) * (v - mean))), a.Std, 1e-9 * a.Std);
        Assert.Equal(DatasetArrayRole.Output, info.Arrays.Single(x => x.Name == "solution").Role);
        var x = info.Arrays.Single(x => x.Name == "x");
        Assert.Equal(DatasetArrayRole.Coordinate, x.Role);
        Assert.Equal(0, x.Min);
        Assert.Equal(1, x.Max);
        Assert.Equal("darcy", info.Attributes["generator"]);

        using var json = JsonDocument.Parse(info.ToJson());
        Assert.Equal("PdeOps", json.RootElement.GetProperty("format").GetString());
        Assert.Equal("input", json.RootElement.GetProperty("arrays")[0].GetProperty("role").GetString());
        Assert.Equal(30, json.RootElement.GetProperty("arrays")[0].GetProperty("shape")[0].GetInt32());
    }

    [Fact]
    public void DescribeShowsHowMatlabArraysAreReoriented()
    {
        string path = File("darcy.mat");
        TestFiles.MatlabDarcy(path, n: 3, h: 4, w: 5);
        var info = DatasetInfo.Describe(path);
        var a = info.Arrays.Single(x => x.Name == "coefficient");
        Assert.Equal(DatasetFormat.FnoMatlab, info.Format);
        Assert.Equal(new long[] { 3, 4, 5 }, a.Shape);
        Assert.Equal(new long[] { 5, 4, 3 }, a.StoredShape);
        Assert.Equal("float64", a.Dtype);
        Assert.Equal("coeff (axes reversed)", a.Source);
        Assert.Equal(TestFiles.Pattern(2, 3, 4), a.Max);
    }

    [Fact]
    public void DescribeCountsNonFiniteValuesInsteadOfFailing()
    {
        string path = File("nan.hdf5");
        TestFiles.PdeBenchDarcy(path, n: 3, h: 2, w: 2, poison: float.NaN);
        var u = DatasetInfo.Describe(path).Arrays.Single(x => x.Name == "solution");
        Assert.Equal(1, u.NonFinite);
        Assert.Equal(-TestFiles.Pattern(2, 1, 0), u.Min);
    }

    [Fact]
    public void SplitWritesConsecutiveSamplesWithAdjustedProvenance()
    {
        string path = File("run.h5"), train = File("train.h5"), test = File("test.h5");
        TestFiles.PdeOps(path, n: 10, h: 3, w: 4, firstSample: 100);
        DatasetSplit.Split(path, train, test, 6, 3);

        var all = DatasetReader.Read(path);
        var tr = DatasetReader.Read(train);
        var te = DatasetReader.Read(test);
        Assert.Equal(DatasetFormat.PdeOps, tr.Format);
        Assert.Equal(6, tr.Samples);
        Assert.Equal(3, te.Samples);
        Assert.Equal(all.Slice(0, 6).Input("coefficient").Values, tr.Input("coefficient").Values);
        Assert.Equal(all.Slice(6, 3).Output("solution").Values, te.Output("solution").Values);
        Assert.Equal(all.Coordinates["x"], te.Coordinates["x"]);
        Assert.Equal("train", tr.Attributes["split"]);
        Assert.Equal("test", te.Attributes["split"]);
        Assert.Equal("100", tr.Attributes["first_sample"]);
        Assert.Equal("106", te.Attributes["first_sample"]);
        foreach (var name in new[] { "seed", "generator", "parameters", "tolerance", "total_samples", "dtype" })
        {
            Assert.Equal(all.Attributes[name], tr.Attributes[name]);
            Assert.Equal(all.Attributes[name], te.Attributes[name]);
        }
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
    }

    [Fact]
    public void SplitKeepsFloat64Data()
    {
        string path = File("run64.h5"), train = File("train64.h5"), test = File("test64.h5");
        TestFiles.PdeOps(path, n: 4, h: 2, w: 2, float64: true);
        DatasetSplit.Split(path, train, test, 2, 2);
        using var reader = new FieldFileReader(test);
        var values = reader.Read<double[,,]>("coefficient");
        Assert.Equal(TestFiles.Pattern(3, 1, 0) + 1e-9, values[1, 1, 0]);
    }

    [Fact]
    public void SplitRefusesMoreSamplesThanTheFileHolds()
    {
        string path = File("small.h5"), train = File("tr.h5"), test = File("te.h5");
        TestFiles.PdeOps(path, n: 10, h: 2, w: 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.Split(path, train, test, 6, 5));
        Assert.Contains("holds 10", e.Message);
        Assert.False(System.IO.File.Exists(train));
        Assert.False(System.IO.File.Exists(test));
    }

    [Fact]
    public void ConvertTurnsPdeBenchDarcyIntoOurLayout()
    {
        string source = File("2D_DarcyFlow_beta1.0_Train.hdf5"), target = File("darcy.h5");
        TestFiles.PdeBenchDarcy(source, n: 3, h: 4, w: 5);
        DatasetConversion.Convert(source, target);

        var before = DatasetReader.Read(source);
        var after = DatasetReader.Read(target);
        Assert.Equal(DatasetFormat.PdeOps, after.Format);
        Assert.Equal(before.Input("coefficient").Values, after.Input("coefficient").Values);
        Assert.Equal(before.Output("solution").Values, after.Output("solution").Values);
        Assert.Equal(new[] { 3, 4, 5 }, after.Output("solution").Shape);
        Assert.Equal(before.Coordinates["x"], after.Coordinates["x"]);
        Assert.Equal(before.Coordinates["y"], after.Coordinates["y"]);
        Assert.Equal("PdeBench:" + Path.GetFullPath(source), after.Attributes["converted_from"]);
        Assert.Equal("coefficient", after.Attributes["inputs"]);
        Assert.Equal("solution", after.Attributes["outputs"]);
        Assert.Equal("float32", after.Attributes["dtype"]);
        Assert.Equal("1", after.Attributes["beta"]);
        Assert.Equal(DatasetLayout.FormatName, after.Attributes["format"]);
    }

    [Fact]
    public void ConvertKeepsTheTimeAxisOfPdeBenchTrajectories()
    {
        string source = File("1D_Burgers.hdf5"), target = File("burgers.h5");
        TestFiles.PdeBenchBurgers(source, n: 2, t: 4, x: 6);
        DatasetConversion.Convert(source, target);
        var after = DatasetReader.Read(target);
        Assert.Equal(new[] { "n", "t", "x" }, after.Output("solution").Axes);
        Assert.Equal(4, after.Coordinates["t"].Length);
        Assert.Equal(DatasetReader.Read(source).Output("solution").Values, after.Output("solution").Values);
        using var reader = new FieldFileReader(target);
        Assert.Equal("periodic", reader.Attribute(DatasetLayout.GridConventionAttribute));
    }

    [Fact]
    public void ConvertTurnsMatlabNavierStokesIntoOurLayoutInReaderOrientation()
    {
        string source = File("ns.mat"), target = File("ns.h5");
        TestFiles.MatlabNavierStokes(source, n: 2, h: 3, w: 4, t: 5);
        DatasetConversion.Convert(source, target);

        var after = DatasetReader.Read(target);
        var u = after.Output("solution");
        Assert.Equal(new[] { 2, 3, 4, 5 }, u.Shape);
        Assert.Equal(new[] { "n", "y", "x", "t" }, u.Axes);
        Assert.Equal(TestFiles.NsPattern(1, 2, 3, 4), u.Values[^1]);
        Assert.Equal(TestFiles.NsPattern(0, 0, 1, 2), u.Values[1 * 5 + 2]);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5 }, after.Coordinates["t"]);
        Assert.StartsWith("FnoMatlab:", after.Attributes["converted_from"]);
        Assert.Equal("navier-stokes", after.Attributes["generator"]);

        using var reader = new FieldFileReader(target);
        Assert.Equal(new ulong[] { 2, 3, 4, 5 }, reader.Dimensions("solution"));
    }

    [Fact]
    public void ConvertFailsCleanlyOnBadInput()
    {
        string source = File("nan.hdf5"), target = File("out.h5");
        TestFiles.PdeBenchDarcy(source, n: 3, h: 2, w: 2, poison: float.NaN);
        Assert.Throws<DataFileException>(() => DatasetConversion.Convert(source, target));
        Assert.False(System.IO.File.Exists(target));
        Assert.False(System.IO.File.Exists(AtomicFile.PartialPath(target)));
    }
}
