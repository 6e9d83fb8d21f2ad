using System.Globalization;
using PureHDF;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Storage;

/// <summary>Thrown when a data file is missing, unreadable, or not of the layout expected.</summary>
public sealed class DataFileException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    /// <summary>The file concerned.</summary>
    public string FilePath { get; } = path;
}

/// <summary>Reads arrays and attributes of an HDF5 file written by <see cref="FieldFileBuilder"/> or by other tools.</summary>
public sealed class FieldFileReader : IDisposable
{
    readonly NativeFile _file;

    /// <summary>Opens <paramref name="path"/> for reading.</summary>
    /// <exception cref="DataFileException">The file is missing or not HDF5.</exception>
    public FieldFileReader(string path)
    {
        Path = path;
        if (!File.Exists(path)) throw new DataFileException(path, "file not found");
        try { _file = H5File.OpenRead(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFileException(path, $"not a readable HDF5 file ({e.Message})", e);
        }
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Names of the datasets at the root of the file.</summary>
    public IReadOnlyList<string> DatasetNames =>
        Guard("its list of datasets", () => _file.Children().OfType<IH5Dataset>().Select(d => d.Name).ToList());

    /// <summary>Dimensions of dataset <paramref name="name"/>.</summary>
    public ulong[] Dimensions(string name) => Guard($"the shape of dataset '{name}'", () => Dataset(name).Space.Dimensions);

    // Metadata of a damaged file can fail inside the HDF5 library with messages that name neither
    // the file nor the problem; say both.
    T Guard<T>(string what, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is not DataFileException and not OutOfMemoryException)
        {
            throw new DataFileException(Path, $"{what} could not be read; the file is truncated or damaged ({e.Message})", e);
        }
    }

    /// <summary>Reads dataset <paramref name="name"/> as an array of the requested type, e.g. <c>double[,]</c>.</summary>
    public T Read<T>(string name)
    {
        var ds = Dataset(name);
        try { return ds.Read<T>(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFileException(Path, $"dataset '{name}' could not be read as {typeof(T).Name} ({e.Message})", e);
        }
    }

    /// <summary>
    /// Reads a floating-point dataset of any rank as a flat row-major double array with its
    /// dimensions; float32 data is widened.
    /// </summary>
    public (double[] Values, ulong[] Dimensions) ReadFlatDouble(string name)
    {
        var ds = Dataset(name);
        var dims = ds.Space.Dimensions;
        if (ds.Type.Class != H5DataTypeClass.FloatingPoint)
            throw new DataFileException(Path, $"dataset '{name}' holds {ds.Type.Class} data, expected floating point");
        try
        {
            if (ds.Type.Size == 8) return (ds.Read<double[]>(), dims);
            return (Array.ConvertAll(ds.Read<float[]>(), v => (double)v), dims);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFileException(Path, $"dataset '{name}' could not be read; the file is truncated or damaged ({e.Message})", e);
        }
    }

    /// <summary>Bytes per value of floating-point dataset <paramref name="name"/> (4 or 8).</summary>
    public int ElementSize(string name)
    {
        var ds = Guard($"dataset '{name}'", () => Dataset(name));
        if (ds.Type.Class != H5DataTypeClass.FloatingPoint)
            throw new DataFileException(Path, $"dataset '{name}' holds {ds.Type.Class} data, expected floating point");
        return (int)ds.Type.Size;
    }

    /// <summary>
    /// Reads samples [first, first + count) along the leading axis of dataset <paramref name="name"/>
    /// in its stored precision: a flat float[] or double[].
    /// </summary>
    public Array ReadSamples(string name, long first, int count)
    {
        var ds = Dataset(name);
        var dims = ds.Space.Dimensions;
        if (dims.Length < 1 || first < 0 || (ulong)(first + count) > dims[0])
            throw new DataFileException(Path, $"dataset '{name}' has {(dims.Length > 0 ? dims[0] : 0)} samples; cannot read [{first}, {first + count})");
        var starts = new ulong[dims.Length];
        var blocks = (ulong[])dims.Clone();
        starts[0] = (ulong)first; blocks[0] = (ulong)count;
        var selection = new PureHDF.Selections.HyperslabSelection(dims.Length, starts, blocks);
        try
        {
            return ElementSize(name) == 8 ? ds.Read<double[]>(fileSelection: selection) : ds.Read<float[]>(fileSelection: selection);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not DataFileException)
        {
            throw new DataFileException(Path, $"dataset '{name}' could not be read; the file is truncated or damaged ({e.Message})", e);
        }
    }

    /// <summary>Reads a scalar string or numeric attribute of the root group, or null when absent.</summary>
    public string? Attribute(string name) => Guard($"attribute '{name}'", () => ReadAttribute(name));

    string? ReadAttribute(string name)
    {
        if (!_file.AttributeExists(name)) return null;
        var attr = _file.Attribute(name);
        return attr.Type.Class switch
        {
            H5DataTypeClass.String or H5DataTypeClass.VariableLength => attr.Read<string>(),
            H5DataTypeClass.FloatingPoint => attr.Read<double>().ToString("R", CultureInfo.InvariantCulture),
            H5DataTypeClass.FixedPoint => attr.Read<long>().ToString(CultureInfo.InvariantCulture),
            _ => throw new DataFileException(Path, $"attribute '{name}' has unsupported type {attr.Type.Class}"),
        };
    }

    /// <summary>Every root attribute with its value as stored: string, long, double, or an array of those.</summary>
    public IReadOnlyList<(string Name, object Value)> AllAttributes() => Guard("the attributes", ReadAllAttributes);

    List<(string Name, object Value)> ReadAllAttributes()
    {
        var result = new List<(string, object)>();
        foreach (var attr in _file.Attributes())
        {
            bool scalar = attr.Space.Dimensions.Length == 0 || attr.Space.Dimensions.Aggregate(1UL, (a, b) => a * b) == 1 && attr.Space.Dimensions.Length <= 1;
            object value = attr.Type.Class switch
            {
                H5DataTypeClass.String or H5DataTypeClass.VariableLength => attr.Read<string>(),
                H5DataTypeClass.FloatingPoint => scalar ? attr.Read<double>() : attr.Read<double[]>(),
                H5DataTypeClass.FixedPoint => scalar ? attr.Read<long>() : attr.Read<long[]>(),
                _ => throw new DataFileException(Path, $"attribute '{attr.Name}' has unsupported type {attr.Type.Class}"),
            };
            result.Add((attr.Name, value));
        }
        return result;
    }

    IH5Dataset Dataset(string name)
    {
        if (!_file.LinkExists(name)) throw new DataFileException(Path, $"no dataset named '{name}' (found: {string.Join(", ", DatasetNames)})");
        return _file.Dataset(name);
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
