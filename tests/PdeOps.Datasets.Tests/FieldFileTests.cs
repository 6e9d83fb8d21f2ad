using PdeOps.Datasets.Storage;
using PdeOps.Physics.IO;

namespace PdeOps.Datasets.Tests;

public sealed class FieldFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ArraysAndAttributesRoundTrip()
    {
        var stack = new float[3, 5, 4];
        for (int n = 0; n < 3; n++) for (int j = 0; j < 5; j++) for (int i = 0; i < 4; i++) stack[n, j, i] = n * 100 + j * 10 + i;
        var coords = new[] { 0.1, 0.2, 0.3, 0.4 };
        string path = Path.Combine(_dir, "a.h5");
        new FieldFileBuilder()
            .AddArray("a", stack)
            .AddArray("x", coords)
            .SetAttribute("generator", "test")
            .SetAttribute("seed", 42)
            .SetAttribute("tolerance", 1e-8)
            .Write(path);

        using var reader = new FieldFileReader(path);
        Assert.Equal(new[] { "a", "x" }, reader.DatasetNames.OrderBy(s => s));
        Assert.Equal(new ulong[] { 3, 5, 4 }, reader.Dimensions("a"));
        Assert.Equal(stack, reader.Read<float[,,]>("a"));
        Assert.Equal(coords, reader.Read<double[]>("x"));
        Assert.Equal("test", reader.Attribute("generator"));
        Assert.Equal("42", reader.Attribute("seed"));
        Assert.Equal(1e-8, double.Parse(reader.Attribute("tolerance")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(reader.Attribute("missing"));
        var slice = FieldSlices.Read2D(reader, "a", 2);
        Assert.Equal(231, slice[3, 1]);
    }

    [Fact]
    public void WritingLeavesNoPartialFile()
    {
        string path = Path.Combine(_dir, "b.h5");
        new FieldFileBuilder().AddArray("u", new double[2, 2]).Write(path);
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(AtomicFile.PartialPath(path)));
    }

    [Fact]
    public void AFailedWriteLeavesNothingUnderEitherName()
    {
        string path = Path.Combine(_dir, "c.h5");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, partial =>
        {
            File.WriteAllText(partial, "half");
            throw new InvalidOperationException("disk full");
        }));
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(AtomicFile.PartialPath(path)));
    }

    [Fact]
    public void NonFiniteDataIsRefused()
    {
        var values = new double[2, 2];
        values[1, 0] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => new FieldFileBuilder().AddArray("u", values));
        Assert.Contains("'u'", e.Message);
    }

    [Fact]
    public void MissingAndNonHdf5FilesNameTheFile()
    {
        string missing = Path.Combine(_dir, "none.h5");
        var e1 = Assert.Throws<DataFileException>(() => new FieldFileReader(missing));
        Assert.StartsWith(missing, e1.Message);
        string text = Path.Combine(_dir, "text.h5");
        File.WriteAllText(text, "this is not HDF5");
        var e2 = Assert.Throws<DataFileException>(() => new FieldFileReader(text));
        Assert.Contains("not a readable HDF5 file", e2.Message);
    }

    [Fact]
    public void UnknownDatasetListsWhatExists()
    {
        string path = Path.Combine(_dir, "d.h5");
        new FieldFileBuilder().AddArray("u", new double[2, 2]).Write(path);
        using var reader = new FieldFileReader(path);
        var e = Assert.Throws<DataFileException>(() => reader.ReadFlatDouble("v"));
        Assert.Contains("found: u", e.Message);
    }
}
