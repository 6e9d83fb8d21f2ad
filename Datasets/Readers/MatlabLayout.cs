using PdeOps.Datasets.Storage;
using PureHDF;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Readers;

/// <summary>
/// Reads the MATLAB v7.3 .mat files of the Fourier Neural Operator paper (Li et al., "Fourier
/// Neural Operator for Parametric Partial Differential Equations", ICLR 2021). MATLAB writes
/// column-major arrays, so an array of MATLAB size (N, s, s) shows in HDF5 as (s, s, N); the
/// reader reverses all axes, as FNO's Python <c>MatReader</c> does, and presents (N, s, s),
/// (N, X) and (N, s, s, T) with element [n, i, j] equal to MATLAB's (n, i, j).
/// <list type="bullet">
/// <item>Darcy (<c>coeff</c>, <c>sol</c>): input "coefficient", output "solution", vertex grid on
/// [0, 1]² (x = y = linspace(0, 1, s)); <c>Kcoeff</c>, <c>Kcoeff_x</c>, <c>Kcoeff_y</c> are ignored.</item>
/// <item>Burgers (<c>a</c> (N, X), <c>u</c> (N, X)): input "initial_condition", output
/// "solution" at the final time, periodic grid x = i / X.</item>
/// <item>Navier-Stokes (<c>a</c> (N, s, s), <c>u</c> (N, s, s, T)): input "initial_condition",
/// output "solution" with axes [n, y, x, t], periodic grid i / s, times from <c>t</c> when present.</item>
/// </list>
/// Other <c>a</c>/<c>u</c> pairs keep their names (and no grid convention). 1×1 arrays (e.g. <c>visc</c>) become attributes.
/// The attribute <c>grid_convention</c> records the grid: "closed" for Darcy, "periodic" for Burgers and Navier-Stokes.
/// </summary>
internal static class MatlabLayout
{
    /// <summary>Value of the "orientation" attribute of arrays read from .mat files.</summary>
    public const string Orientation = "matlab column-major, axes reversed to (N, ...)";

    public static LayoutContents Open(string path, NativeFile file, string header)
    {
        var attributes = RootAttributes.Read(file);
        var names = Hdf5Arrays.Names(file);
        if (header.Length > 0) attributes["matlab_header"] = header;
        attributes["orientation"] = Orientation;
        foreach (var name in names)
        {
            var dataset = file.Dataset(name);
            if (dataset.Type.Class == H5DataTypeClass.FloatingPoint && Hdf5Arrays.Size(dataset) == 1)
                attributes[name] = Hdf5Arrays.ReadSmall(path, file, name)[0];
        }

        SourceArray Array(string stored, string name, DatasetArrayRole role, IReadOnlyList<string>? axes = null)
        {
            var dataset = Hdf5Arrays.Float(path, file, stored, minRank: 2);
            return new SourceArray(path, dataset, name, role, StoredLayout.ReversedAxes, axes ?? FieldArray.DefaultAxes(dataset.Space.Dimensions.Length));
        }

        var coordinates = new Dictionary<string, double[]>(StringComparer.Ordinal);
        SourceArray input, output;
        if (names.Contains("coeff") && names.Contains("sol"))
        {
            input = Array("coeff", "coefficient", DatasetArrayRole.Input);
            output = Array("sol", "solution", DatasetArrayRole.Output);
            attributes["family"] = "darcy";
            attributes.TryAdd(DatasetLayout.GridConventionAttribute, DatasetGridConvention.Closed.Name());
            attributes["source_arrays"] = "coefficient <- coeff; solution <- sol";
            var shape = input.SampleShape;
            if (shape.Length == 2)
            {
                coordinates["y"] = Vertices(shape[0]);
                coordinates["x"] = Vertices(shape[1]);
                attributes["coordinates_note"] = "vertex grid on [0, 1] as in FNO's Darcy scripts (not stored in the file)";
            }
            var ignored = names.Where(n => n.StartsWith("Kcoeff", StringComparison.Ordinal)).ToList();
            if (ignored.Count > 0) attributes["ignored_arrays"] = string.Join(",", ignored);
        }
        else if (names.Contains("a") && names.Contains("u"))
        {
            int aRank = file.Dataset("a").Space.Dimensions.Length, uRank = file.Dataset("u").Space.Dimensions.Length;
            if (aRank == 2 && uRank == 2)
            {
                input = Array("a", "initial_condition", DatasetArrayRole.Input);
                output = Array("u", "solution", DatasetArrayRole.Output);
                attributes["family"] = "burgers";
                attributes.TryAdd(DatasetLayout.GridConventionAttribute, DatasetGridConvention.Periodic.Name());
                coordinates["x"] = Periodic(input.SampleShape[0]);
                attributes["coordinates_note"] = "periodic grid x = i / X on [0, 1) as in FNO's Burgers data (not stored in the file)";
            }
            else if (aRank == 3 && uRank == 4)
            {
                input = Array("a", "initial_condition", DatasetArrayRole.Input);
                output = Array("u", "solution", DatasetArrayRole.Output, ["n", "y", "x", "t"]);
                attributes["family"] = "navier-stokes";
                attributes.TryAdd(DatasetLayout.GridConventionAttribute, DatasetGridConvention.Periodic.Name());
                var shape = output.SampleShape;
                coordinates["y"] = Periodic(shape[0]);
                coordinates["x"] = Periodic(shape[1]);
                attributes["coordinates_note"] = "periodic grid i / s on [0, 1)² as in FNO's Navier-Stokes data (not stored in the file)";
                if (names.Contains("t"))
                {
                    var t = Hdf5Arrays.ReadCoordinate(path, file, "t");
                    if (t.Length == shape[2]) coordinates["t"] = t;
                }
            }
            else
            {
                input = Array("a", "a", DatasetArrayRole.Input);
                output = Array("u", "u", DatasetArrayRole.Output);
            }
            attributes.TryAdd("source_arrays", $"{input.Name} <- a; {output.Name} <- u");
        }
        else
        {
            throw new DataFileException(path, $"MATLAB file without a known FNO array pair (coeff/sol or a/u); found: {string.Join(", ", names)}");
        }
        return new LayoutContents([input], [output], coordinates, attributes);
    }

    static double[] Vertices(int n) => Enumerable.Range(0, n).Select(i => n == 1 ? 0.0 : (double)i / (n - 1)).ToArray();

    static double[] Periodic(int n) => Enumerable.Range(0, n).Select(i => (double)i / n).ToArray();
}
