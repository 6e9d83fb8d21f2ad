using PdeOps.Datasets.Storage;
using PureHDF;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Readers;

/// <summary>Checked access to the root datasets of an open HDF5 file.</summary>
internal static class Hdf5Arrays
{
    /// <summary>Names of the datasets at the root (groups and other objects excluded).</summary>
    public static List<string> Names(NativeFile file) =>
        file.Children().OfType<IH5Dataset>().Select(d => d.Name).ToList();

    /// <summary>Whether the root holds a dataset named <paramref name="name"/>.</summary>
    public static bool Has(NativeFile file, string name) =>
        file.LinkExists(name) && file.Get(name) is IH5Dataset;

    /// <summary>The floating-point dataset <paramref name="name"/> of rank at least <paramref name="minRank"/>.</summary>
    /// <exception cref="DataFileException">It is absent, not floating point, or of too low a rank.</exception>
    public static IH5Dataset Float(string path, NativeFile file, string name, int minRank = 1)
    {
        if (!Has(file, name))
            throw new DataFileException(path, $"no dataset named '{name}' (found: {string.Join(", ", Names(file))})");
        var dataset = file.Dataset(name);
        if (dataset.Type.Class != H5DataTypeClass.FloatingPoint || dataset.Type.Size is not (4 or 8))
            throw new DataFileException(path, $"dataset '{name}' holds {dataset.Type.Class} data of {dataset.Type.Size} bytes; expected float32 or float64");
        int rank = dataset.Space.Dimensions.Length;
        if (rank < minRank)
            throw new DataFileException(path, $"dataset '{name}' has rank {rank}; expected at least {minRank} axes with the samples on one of them");
        return dataset;
    }

    /// <summary>Reads a small floating-point dataset of any shape as a flat double array.</summary>
    public static double[] ReadSmall(string path, NativeFile file, string name)
    {
        var dataset = Float(path, file, name, minRank: 0);
        try
        {
            return dataset.Type.Size == 8
                ? dataset.Read<double[]>()
                : Array.ConvertAll(dataset.Read<float[]>(), v => (double)v);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFileException(path, $"dataset '{name}' could not be read ({e.Message})", e);
        }
    }

    /// <summary>Reads a coordinate axis: a float dataset with one non-singleton dimension, flattened.</summary>
    public static double[] ReadCoordinate(string path, NativeFile file, string name)
    {
        var dims = Float(path, file, name, minRank: 0).Space.Dimensions;
        if (dims.Count(d => d != 1) > 1)
            throw new DataFileException(path, $"coordinate '{name}' has shape ({string.Join(", ", dims)}); expected one axis");
        var values = ReadSmall(path, file, name);
        if (values.Any(v => !double.IsFinite(v)))
            throw new DataFileException(path, $"coordinate '{name}' holds non-finite values");
        return values;
    }

    /// <summary>Total number of elements of a dataset.</summary>
    public static ulong Size(IH5Dataset dataset) => dataset.Space.Dimensions.Aggregate(1UL, (p, d) => p * d);
}
