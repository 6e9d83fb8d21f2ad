using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PureHDF;

namespace PdeOps.Datasets.Tests.Readers;

public sealed class DatasetReaderTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-readers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string File(string name) => Path.Combine(_dir, name);

    static float At(FieldArray f, params int[] index)
    {
        long offset = 0;
        for (int a = 0; a < index.Length; a++) offset = offset * f.Shape[a] + index[a];
        return f.Values[offset];
    }

    [Fact]
    public void ReadsPdeOpsFilesByTheirInputsAndOutputsAttributes()
    {
        string path = File("ours.h5");
        TestFiles.PdeOps(path, n: 4, h: 3, w: 5);

        Assert.Equal(DatasetFormat.PdeOps, DatasetReader.Detect(path));
        var data = DatasetReader.Read(path);
        Assert.Equal(4, data.Samples);
        var a = Assert.Single(data.Inputs);
        var u = Assert.Single(data.Outputs);
        Assert.Equal("coefficient", a.Name);
        Assert.Equal("solution", u.Name);
        Assert.Equal(new[] { 4, 3, 5 }, a.Shape);
        Assert.Equal(new[] { "n", "y", "x" }, a.Axes);
        Assert.Equal(TestFiles.Pattern(3, 2, 4), At(a, 3, 2, 4));
        Assert.Equal(-TestFiles.Pattern(1, 2, 0) / 7f, At(u, 1, 2, 0));
        Assert.Equal(5, data.Coordinates["x"].Length);
        Assert.Equal(3, data.Coordinates["y"].Length);
        Assert.Equal("42", data.Attributes["seed"]);
        Assert.Equal("1E-08", data.Attributes["tolerance"]);
        Assert.Equal(2, DatasetReader.Read(path, maxSamples: 2).Samples);
    }

    [Fact]
    public void Float64PdeOpsFilesComeBackAsFloat32()
    {
        string path = File("ours64.h5");
        TestFiles.PdeOps(path, n: 2, h: 3, w: 3, float64: true);
        var data = DatasetReader.Read(path);
        Assert.Equal(TestFiles.Pattern(1, 2, 1), At(data.Input("coefficient"), 1, 2, 1));
    }

    [Fact]
    public void PdeBenchDarcyGivesNuAsInputAndTheSqueezedTensorAsOutput()
    {
        string path = File("2D_DarcyFlow_beta1.0_Train.hdf5");
        TestFiles.PdeBenchDarcy(path, n: 3, h: 4, w: 5);

        Assert.Equal(DatasetFormat.PdeBench, DatasetReader.Detect(path));
        var data = DatasetReader.Read(path);
        var a = data.Input("coefficient");
        var u = data.Output("solution");
        Assert.Equal(new[] { 3, 4, 5 }, a.Shape);
        Assert.Equal(new[] { 3, 4, 5 }, u.Shape);
        for (int n = 0; n < 3; n++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 5; j++)
                {
                    Assert.Equal(TestFiles.Pattern(n, i, j), At(a, n, i, j));
                    Assert.Equal(-TestFiles.Pattern(n, i, j), At(u, n, i, j));
                }
        Assert.Equal(5, data.Coordinates["x"].Length);
        Assert.Equal(4, data.Coordinates["y"].Length);
        Assert.Equal("1", data.Attributes["beta"]);
        Assert.Equal("darcy", data.Attributes["family"]);
    }

    [Fact]
    public void PdeBenchBurgersGivesTheFirstStepAsInputAndTheWholeTrajectoryAsOutput()
    {
        string path = File("1D_Burgers_Sols_Nu0.001.hdf5");
        TestFiles.PdeBenchBurgers(path, n: 3, t: 4, x: 6);

        var data = DatasetReader.Read(path);
        var u0 = data.Input("initial_condition");
        var u = data.Output("solution");
        Assert.Equal(new[] { 3, 6 }, u0.Shape);
        Assert.Equal(new[] { "n", "x" }, u0.Axes);
        Assert.Equal(new[] { 3, 4, 6 }, u.Shape);
        Assert.Equal(new[] { "n", "t", "x" }, u.Axes);
        for (int n = 0; n < 3; n++)
            for (int j = 0; j < 6; j++)
            {
                Assert.Equal(TestFiles.Pattern(n, 0, j), At(u0, n, j));
                for (int k = 0; k < 4; k++) Assert.Equal(TestFiles.Pattern(n, k, j), At(u, n, k, j));
            }
        Assert.Equal(4, data.Coordinates["t"].Length);
        Assert.Equal(6, data.Coordinates["x"].Length);
        Assert.Equal("0.001", data.Attributes["Nu"]);
    }

    [Fact]
    public void PureHdfWritesAUserBlockThatHdf5ReadersSkip()
    {
        string path = File("userblock.mat");
        TestFiles.MatlabDarcy(path, n: 1, h: 2, w: 2);
        var bytes = System.IO.File.ReadAllBytes(path);
        Assert.StartsWith("MATLAB 7.3 MAT-file", System.Text.Encoding.ASCII.GetString(bytes, 0, 19));
        Assert.Equal(new byte[] { 0x89, (byte)'H', (byte)'D', (byte)'F' }, bytes[512..516]);
        using var file = H5File.OpenRead(path);
        Assert.Equal(new ulong[] { 2, 2, 1 }, file.Dataset("coeff").Space.Dimensions);
    }

    [Fact]
    public void MatlabDarcyArraysComeBackInMatlabIndexOrder()
    {
        string path = File("piececonst_r421_N1024_smooth1.mat");
        TestFiles.MatlabDarcy(path, n: 3, h: 4, w: 5);

        Assert.Equal(DatasetFormat.FnoMatlab, DatasetReader.Detect(path));
        var data = DatasetReader.Read(path);
        var a = data.Input("coefficient");
        var u = data.Output("solution");
        Assert.Equal(new[] { 3, 4, 5 }, a.Shape);
        for (int n = 0; n < 3; n++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 5; j++)
                {
                    Assert.Equal(TestFiles.Pattern(n, i, j), At(a, n, i, j));
                    Assert.Equal((float)(-TestFiles.Pattern(n, i, j) / 3.0), At(u, n, i, j));
                }
        Assert.Equal("matlab column-major, axes reversed to (N, ...)", data.Attributes["orientation"]);
        Assert.StartsWith("MATLAB 7.3 MAT-file", data.Attributes["matlab_header"]);
        Assert.Equal("Kcoeff", data.Attributes["ignored_arrays"]);
        Assert.Equal(new[] { 0, 0.25, 0.5, 0.75, 1 }, data.Coordinates["x"]);
        Assert.Equal(4, data.Coordinates["y"].Length);
        Assert.Equal(2, DatasetReader.Read(path, maxSamples: 2).Samples);
        Assert.Equal(TestFiles.Pattern(1, 3, 4), At(DatasetReader.Read(path, maxSamples: 2).Input("coefficient"), 1, 3, 4));
    }

    [Fact]
    public void MatlabBurgersArraysComeBackAsSamplesByPoints()
    {
        string path = File("burgers_data_R10.mat");
        TestFiles.MatlabBurgers(path, n: 3, x: 8);

        var data = DatasetReader.Read(path);
        var a = data.Input("initial_condition");
        Assert.Equal(new[] { 3, 8 }, a.Shape);
        for (int n = 0; n < 3; n++) for (int j = 0; j < 8; j++) Assert.Equal(TestFiles.Pattern(n, 0, j), At(a, n, j));
        Assert.Equal(-TestFiles.Pattern(2, 0, 5), At(data.Output("solution"), 2, 5));
        Assert.Equal("0.1", data.Attributes["visc"]);
        Assert.Equal(0.125, data.Coordinates["x"][1]);
    }

    [Fact]
    public void MatlabNavierStokesTrajectoriesComeBackAsSamplesRowsColumnsTimes()
    {
        string path = File("ns_V1e-3_N5000_T50.mat");
        TestFiles.MatlabNavierStokes(path, n: 2, h: 3, w: 4, t: 5);

        var data = DatasetReader.Read(path);
        var a = data.Input("initial_condition");
        var u = data.Output("solution");
        Assert.Equal(new[] { 2, 3, 4 }, a.Shape);
        Assert.Equal(new[] { 2, 3, 4, 5 }, u.Shape);
        Assert.Equal(new[] { "n", "y", "x", "t" }, u.Axes);
        for (int n = 0; n < 2; n++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 4; j++)
                {
                    Assert.Equal(TestFiles.NsPattern(n, i, j, 0), At(a, n, i, j));
                    for (int k = 0; k < 5; k++) Assert.Equal(TestFiles.NsPattern(n, i, j, k), At(u, n, i, j, k));
                }
        Assert.Equal(new double[] { 1, 2, 3, 4, 5 }, data.Coordinates["t"]);
        Assert.Equal("navier-stokes", data.Attributes["family"]);
    }

    [Fact]
    public void SliceTakesARangeOfSamples()
    {
        string path = File("slice.h5");
        TestFiles.PdeOps(path, n: 5, h: 2, w: 2);
        var part = DatasetReader.Read(path).Slice(2, 2);
        Assert.Equal(2, part.Samples);
        Assert.Equal(TestFiles.Pattern(3, 1, 0), At(part.Input("coefficient"), 1, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetReader.Read(path).Slice(4, 2));
    }

    [Fact]
    public void SubsampleKeepsBothEndsOfAVertexGridAndLeavesTimeAlone()
    {
        string path = File("fine.h5");
        TestFiles.PdeOps(path, n: 2, h: 5, w: 9);
        var coarse = DatasetReader.Read(path).Subsample(2);
        var a = coarse.Input("coefficient");
        Assert.Equal(new[] { 2, 3, 5 }, a.Shape);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 5; j++) Assert.Equal(TestFiles.Pattern(1, 2 * i, 2 * j), At(a, 1, i, j));
        Assert.Equal(new[] { 0, 0.25, 0.5, 0.75, 1 }, coarse.Coordinates["x"]);
        Assert.Equal(new[] { 0, 0.5, 1 }, coarse.Coordinates["y"]);
        Assert.Equal(211, FieldArray.SubsampledLength(421, 2));

        string burgers = File("traj.hdf5");
        TestFiles.PdeBenchBurgers(burgers, n: 1, t: 4, x: 6);
        var u = DatasetReader.Read(burgers).Subsample(2).Output("solution");
        Assert.Equal(new[] { 1, 4, 3 }, u.Shape);
        Assert.Equal(TestFiles.Pattern(0, 3, 4), At(u, 0, 3, 2));
    }

    static void AssertOneLineError(string path, Action read, string expected)
    {
        var e = Assert.Throws<DataFileException>(read);
        Assert.Equal(path, e.FilePath);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains(expected, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AMissingFileIsReported()
    {
        string path = File("absent.h5");
        AssertOneLineError(path, () => DatasetReader.Read(path), "not found");
        AssertOneLineError(path, () => DatasetReader.Detect(path), "not found");
    }

    [Fact]
    public void ATextFileIsNotHdf5()
    {
        string path = File("notes.h5");
        System.IO.File.WriteAllText(path, string.Concat(Enumerable.Repeat("not an hdf5 file\n", 100)));
        AssertOneLineError(path, () => DatasetReader.Read(path), "not an HDF5 file");
    }

    [Fact]
    public void AMatlabV5FileIsRecognizedAndRefused()
    {
        string path = File("old.mat");
        var header = new byte[256];
        System.Text.Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, Platform: PCWIN64").CopyTo(header, 0);
        System.IO.File.WriteAllBytes(path, header);
        AssertOneLineError(path, () => DatasetReader.Read(path), "-v7.3");
    }

    [Fact]
    public void ATruncatedFileIsReported()
    {
        string path = File("cut.hdf5");
        TestFiles.PdeBenchDarcy(path, n: 20, h: 16, w: 16);
        var bytes = System.IO.File.ReadAllBytes(path);
        System.IO.File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        AssertOneLineError(path, () => DatasetReader.Read(path), path);
    }

    [Fact]
    public void AnUnknownLayoutIsReportedWithTheArraysFound()
    {
        string path = File("other.h5");
        new H5File { ["pressure"] = new H5Dataset(new float[2, 3]) }.Write(path);
        AssertOneLineError(path, () => DatasetReader.Detect(path), "unknown dataset layout (root datasets: pressure)");
    }

    [Fact]
    public void NonFiniteValuesAreRefused()
    {
        string nan = File("nan.hdf5");
        TestFiles.PdeBenchDarcy(nan, n: 3, h: 2, w: 2, poison: float.NaN);
        AssertOneLineError(nan, () => DatasetReader.Read(nan), "holds NaN in sample 2");

        string inf = File("inf.hdf5");
        TestFiles.PdeBenchDarcy(inf, n: 3, h: 2, w: 2, poison: float.PositiveInfinity);
        AssertOneLineError(inf, () => DatasetReader.Read(inf), "+Inf");
    }

    [Fact]
    public void UnequalSampleCountsAreRefused()
    {
        string bench = File("uneven.hdf5");
        TestFiles.PdeBenchDarcy(bench, n: 3, h: 2, w: 2, tensorSamples: 2);
        AssertOneLineError(bench, () => DatasetReader.Read(bench), "inconsistent sample counts");

        string mat = File("uneven.mat");
        TestFiles.MatlabDarcy(mat, n: 3, h: 2, w: 2, solSamples: 4);
        AssertOneLineError(mat, () => DatasetReader.Read(mat), "inconsistent sample counts");
    }

    [Fact]
    public void APdeOpsFileNamingAMissingArrayIsReported()
    {
        string path = File("broken.h5");
        new FieldFileBuilder()
            .AddArray("coefficient", new float[2, 2, 2])
            .SetAttribute(DatasetLayout.FormatAttribute, DatasetLayout.FormatName)
            .SetAttribute(DatasetLayout.InputsAttribute, "coefficient")
            .SetAttribute(DatasetLayout.OutputsAttribute, "solution")
            .Write(path);
        AssertOneLineError(path, () => DatasetReader.Read(path), "no dataset named 'solution'");
    }

    [Fact]
    public void FilesWithoutAGridConventionGetTheOneTheirLayoutTells()
    {
        string old = File("old-darcy.h5"), oldBurgers = File("old-burgers.h5"), foreign = File("foreign.h5"), stated = File("stated.h5");
        TestFiles.PdeOps(old, n: 1, h: 3, w: 3);
        TestFiles.PdeOps(oldBurgers, n: 1, h: 3, w: 3, generator: "burgers");
        TestFiles.PdeOps(foreign, n: 1, h: 3, w: 3, generator: "pdebench");
        TestFiles.PdeOps(stated, n: 1, h: 3, w: 3, generator: "burgers", gridConvention: "cell-centred");
        Assert.Equal(DatasetGridConvention.Closed, DatasetReader.Read(old).GridConvention);
        Assert.Equal(DatasetGridConvention.Periodic, DatasetReader.Read(oldBurgers).GridConvention);
        Assert.Null(DatasetReader.Read(foreign).GridConvention);
        Assert.Equal(DatasetGridConvention.CellCentred, DatasetReader.Read(stated).GridConvention);

        string benchDarcy = File("bench-darcy.hdf5"), benchBurgers = File("bench-burgers.hdf5");
        TestFiles.PdeBenchDarcy(benchDarcy, n: 1, h: 2, w: 2);
        TestFiles.PdeBenchBurgers(benchBurgers, n: 1, t: 2, x: 4);
        Assert.Null(DatasetReader.Read(benchDarcy).GridConvention);
        Assert.Equal(DatasetGridConvention.Periodic, DatasetReader.Read(benchBurgers).GridConvention);

        string matDarcy = File("darcy.mat"), matBurgers = File("burgers.mat"), matNs = File("ns.mat");
        TestFiles.MatlabDarcy(matDarcy, n: 1, h: 2, w: 2);
        TestFiles.MatlabBurgers(matBurgers, n: 1, x: 4);
        TestFiles.MatlabNavierStokes(matNs, n: 1, h: 2, w: 2, t: 2);
        Assert.Equal(DatasetGridConvention.Closed, DatasetReader.Read(matDarcy).GridConvention);
        Assert.Equal(DatasetGridConvention.Periodic, DatasetReader.Read(matBurgers).GridConvention);
        Assert.Equal("periodic", DatasetReader.Read(matNs).Attributes[DatasetLayout.GridConventionAttribute]);
    }

    [Fact]
    public void AnUnknownGridConventionIsReported()
    {
        string path = File("odd-grid.h5");
        TestFiles.PdeOps(path, n: 1, h: 3, w: 3, gridConvention: "staggered");
        AssertOneLineError(path, () => DatasetReader.Read(path), "grid_convention");
    }
}
