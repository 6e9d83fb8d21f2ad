using System.Text;
using PdeOps.Datasets.Storage;
using PureHDF;

namespace PdeOps.Datasets.Tests.Readers;

/// <summary>Small dataset files in the PdeOps, PDEBench and MATLAB v7.3 layouts, with values that encode their indices.</summary>
internal static class TestFiles
{
    /// <summary>Value at sample n, row i, column j: distinct and asymmetric in every index.</summary>
    public static float Pattern(int n, int i, int j) => 1000 * n + 10 * i + j;

    public static void PdeOps(string path, int n, int h, int w, long firstSample = 0, bool float64 = false, string generator = "darcy", string? gridConvention = null)
    {
        var a = new float[n, h, w];
        var u = new float[n, h, w];
        var a64 = new double[n, h, w];
        var u64 = new double[n, h, w];
        for (int s = 0; s < n; s++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    a[s, i, j] = Pattern(s, i, j); u[s, i, j] = -Pattern(s, i, j) / 7f;
                    a64[s, i, j] = Pattern(s, i, j) + 1e-9; u64[s, i, j] = -Pattern(s, i, j) / 7.0;
                }
        var builder = new FieldFileBuilder()
            .AddArray("coefficient", float64 ? a64 : a)
            .AddArray("solution", float64 ? u64 : u)
            .AddArray("x", Enumerable.Range(0, w).Select(j => j / (w - 1.0)).ToArray())
            .AddArray("y", Enumerable.Range(0, h).Select(i => i / (h - 1.0)).ToArray())
            .SetAttribute(DatasetLayout.FormatAttribute, DatasetLayout.FormatName)
            .SetAttribute(DatasetLayout.VersionAttribute, DatasetLayout.Version)
            .SetAttribute(DatasetLayout.GeneratorAttribute, generator)
            .SetAttribute(DatasetLayout.InputsAttribute, "coefficient")
            .SetAttribute(DatasetLayout.OutputsAttribute, "solution")
            .SetAttribute(DatasetLayout.SeedAttribute, 42L)
            .SetAttribute(DatasetLayout.TotalSamplesAttribute, firstSample + n)
            .SetAttribute(DatasetLayout.FirstSampleAttribute, firstSample)
            .SetAttribute(DatasetLayout.ToleranceAttribute, 1e-8)
            .SetAttribute(DatasetLayout.DtypeAttribute, float64 ? "float64" : "float32")
            .SetAttribute(DatasetLayout.ParametersAttribute, "{\"alpha\":2}");
        if (gridConvention is not null) builder.SetAttribute(DatasetLayout.GridConventionAttribute, gridConvention);
        builder.Write(path);
    }

    /// <summary>PDEBench 2D Darcy: nu (N, H, W) = pattern, tensor (N, 1, H, W) = -pattern.</summary>
    public static void PdeBenchDarcy(string path, int n, int h, int w, int tensorSamples = -1, float poison = 0)
    {
        int nt = tensorSamples < 0 ? n : tensorSamples;
        var nu = new float[n, h, w];
        var tensor = new float[nt, 1, h, w];
        for (int s = 0; s < n; s++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) nu[s, i, j] = Pattern(s, i, j);
        for (int s = 0; s < nt; s++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) tensor[s, 0, i, j] = -Pattern(s, i, j);
        if (poison != 0) tensor[nt - 1, 0, h - 1, w - 1] = poison;
        var file = new H5File
        {
            ["nu"] = new H5Dataset(nu),
            ["tensor"] = new H5Dataset(tensor),
            ["x-coordinate"] = new H5Dataset(Enumerable.Range(0, w).Select(j => (j + 0.5f) / w).ToArray()),
            ["y-coordinate"] = new H5Dataset(Enumerable.Range(0, h).Select(i => (i + 0.5f) / h).ToArray()),
        };
        file.Attributes["beta"] = 1.0;
        file.Write(path);
    }

    /// <summary>PDEBench 1D Burgers: tensor (N, T, X) = pattern(n, t, x), T + 1 time coordinates.</summary>
    public static void PdeBenchBurgers(string path, int n, int t, int x)
    {
        var tensor = new float[n, t, x];
        for (int s = 0; s < n; s++) for (int k = 0; k < t; k++) for (int j = 0; j < x; j++) tensor[s, k, j] = Pattern(s, k, j);
        var file = new H5File
        {
            ["tensor"] = new H5Dataset(tensor),
            ["x-coordinate"] = new H5Dataset(Enumerable.Range(0, x).Select(j => (j + 0.5f) / x).ToArray()),
            ["t-coordinate"] = new H5Dataset(Enumerable.Range(0, t + 1).Select(k => 0.01f * k).ToArray()),
        };
        file.Attributes["Nu"] = 0.001;
        file.Write(path);
    }

    /// <summary>
    /// FNO Darcy .mat: MATLAB arrays coeff and sol of size (N, H, W) with coeff(n, i, j) = pattern,
    /// stored as MATLAB does, column-major, i.e. HDF5 dims (W, H, N); also Kcoeff.
    /// </summary>
    public static void MatlabDarcy(string path, int n, int h, int w, int solSamples = -1)
    {
        int ns = solSamples < 0 ? n : solSamples;
        var coeff = new double[w, h, n];
        var sol = new double[w, h, ns];
        for (int s = 0; s < n; s++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) coeff[j, i, s] = Pattern(s, i, j);
        for (int s = 0; s < ns; s++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) sol[j, i, s] = -Pattern(s, i, j) / 3.0;
        WriteMat(path, new() { ["coeff"] = coeff, ["sol"] = sol, ["Kcoeff"] = new double[w, h, n] });
    }

    /// <summary>FNO Burgers .mat: a and u of MATLAB size (N, X), HDF5 dims (X, N).</summary>
    public static void MatlabBurgers(string path, int n, int x)
    {
        var a = new double[x, n];
        var u = new double[x, n];
        for (int s = 0; s < n; s++) for (int j = 0; j < x; j++) { a[j, s] = Pattern(s, 0, j); u[j, s] = -Pattern(s, 0, j); }
        WriteMat(path, new() { ["a"] = a, ["u"] = u, ["visc"] = new double[,] { { 0.1 } } });
    }

    /// <summary>Value of FNO Navier-Stokes u(n, i, j, k) in the test files.</summary>
    public static float NsPattern(int n, int i, int j, int k) => 1000 * n + 100 * i + 10 * j + k;

    /// <summary>FNO Navier-Stokes .mat: a (N, H, W), u (N, H, W, T), t (1, T); HDF5 dims reversed.</summary>
    public static void MatlabNavierStokes(string path, int n, int h, int w, int t)
    {
        var a = new float[w, h, n];
        var u = new float[t, w, h, n];
        for (int s = 0; s < n; s++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    a[j, i, s] = NsPattern(s, i, j, 0);
                    for (int k = 0; k < t; k++) u[k, j, i, s] = NsPattern(s, i, j, k);
                }
        var times = new double[t, 1];
        for (int k = 0; k < t; k++) times[k, 0] = k + 1;
        WriteMat(path, new() { ["a"] = a, ["u"] = u, ["t"] = times });
    }

    /// <summary>Writes arrays as MATLAB v7.3 does: HDF5 after a 512-byte user block that starts with MATLAB's header text.</summary>
    public static void WriteMat(string path, Dictionary<string, Array> arrays)
    {
        var file = new H5File();
        foreach (var (name, values) in arrays)
        {
            var dataset = new H5Dataset(values);
            dataset.Attributes["MATLAB_class"] = values.GetType().GetElementType() == typeof(float) ? "single" : "double";
            file[name] = dataset;
        }
        file.Write(path, new H5WriteOptions(UserBlockSize: 512));
        var header = new byte[128];
        Array.Fill(header, (byte)' ', 0, 116);
        Encoding.ASCII.GetBytes("MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  6 12:00:00 2020 HDF5 schema 1.00 .").CopyTo(header, 0);
        header[124] = 0x00; header[125] = 0x02; header[126] = (byte)'I'; header[127] = (byte)'M';
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Write(header);
    }
}
