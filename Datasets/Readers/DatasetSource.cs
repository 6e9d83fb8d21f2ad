using PdeOps.Datasets.Storage;
using PureHDF;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Readers;

/// <summary>
/// An open dataset file of any supported layout whose arrays are read block by block of samples,
/// so tools can stream files larger than memory.
/// </summary>
internal sealed class DatasetSource : IDisposable
{
    /// <summary>Values read per block when streaming.</summary>
    const long BlockValues = 1 << 23;

    readonly NativeFile _file;

    DatasetSource(string path, DatasetFormat format, NativeFile file, LayoutContents contents)
    {
        Path = path;
        Format = format;
        _file = file;
        Inputs = contents.Inputs;
        Outputs = contents.Outputs;
        Coordinates = contents.Coordinates;
        Attributes = contents.Attributes;
        if (Attributes.TryGetValue(DatasetLayout.GridConventionAttribute, out var convention)
            && DatasetGridConventions.Parse(convention as string) is null)
            throw new DataFileException(path, $"attribute '{DatasetLayout.GridConventionAttribute}' is \"{RootAttributes.Format(convention)}\"; expected closed, periodic or cell-centred");
        var counts = Arrays.Select(a => (a.Name, a.Samples)).Distinct().ToList();
        if (counts.Select(c => c.Samples).Distinct().Count() > 1)
            throw new DataFileException(path, "inconsistent sample counts: " + string.Join(", ", counts.Select(c => $"'{c.Name}' has {c.Samples}")));
        Samples = counts.Count > 0 ? counts[0].Samples : 0;
        foreach (var array in Arrays)
        {
            var shape = array.StoredShape;
            double perSample = array.DeclaredBytes / Math.Max(1, array.Samples);
            if (array.Samples < 0 || shape.Any(d => d > int.MaxValue) || perSample / Math.Max(1, array.ElementSize) > System.Array.MaxLength)
                throw new DataFileException(path, $"dataset '{array.StoredName}' declares shape ({string.Join(", ", shape)}), too large for one sample to be read; the file is damaged or not a dataset of fields");
        }
        FileBytes = new FileInfo(path).Length;
    }

    /// <summary>Size of the file on disk.</summary>
    public long FileBytes { get; }

    /// <summary>
    /// Deflate, the compression HDF5 files use, shrinks data at most about 1032 times: an array that
    /// declares more than that times the file's size cannot be stored in it.
    /// </summary>
    const double MaxCompression = 1100;

    /// <summary>
    /// Null when every array's declared size could be stored in the file; otherwise why not, e.g. a
    /// damaged dataspace, or a file whose data was never written (such arrays read as fill values).
    /// </summary>
    public string? ImplausibleSize()
    {
        foreach (var array in Arrays)
            if (array.DeclaredBytes > FileBytes * MaxCompression + (1 << 20))
                return $"dataset '{array.StoredName}' declares shape ({string.Join(", ", array.StoredShape)}) {array.StoredType}, {Bytes(array.DeclaredBytes)}, "
                    + $"but the file holds {Bytes(FileBytes)}, more than any compression can fit: the file is damaged or its data was never written";
        return null;
    }

    /// <summary>Throws the <see cref="ImplausibleSize"/> problem as a <see cref="DataFileException"/>, before a tool reads data.</summary>
    public void RequirePlausibleSize()
    {
        if (ImplausibleSize() is { } problem) throw new DataFileException(Path, problem);
    }

    static string Bytes(double bytes) => bytes switch
    {
        >= 1L << 40 => $"{bytes / (1L << 40):F0} TiB",
        >= 1L << 30 => $"{bytes / (1L << 30):F1} GiB",
        >= 1L << 20 => $"{bytes / (1L << 20):F1} MiB",
        _ => $"{bytes / 1024:F0} KiB",
    };

    public string Path { get; }
    public DatasetFormat Format { get; }
    public IReadOnlyList<SourceArray> Inputs { get; }
    public IReadOnlyList<SourceArray> Outputs { get; }
    public IEnumerable<SourceArray> Arrays => Inputs.Concat(Outputs);
    public IReadOnlyDictionary<string, double[]> Coordinates { get; }
    /// <summary>Root attributes of the file plus what the layout reader adds (family, orientation ...).</summary>
    public Dictionary<string, object> Attributes { get; }
    public long Samples { get; }

    /// <summary>Opens <paramref name="path"/> and recognizes its layout.</summary>
    /// <exception cref="DataFileException">The file is missing, not HDF5, damaged, or of an unknown layout.</exception>
    public static DatasetSource Open(string path)
    {
        var (offset, header) = Hdf5Probe.Inspect(path);
        NativeFile file;
        try { file = H5File.OpenRead(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new DataFileException(path, $"not a readable HDF5 file, perhaps truncated ({e.Message})", e);
        }
        try
        {
            var format = Detect(path, file, offset, header);
            var contents = format switch
            {
                DatasetFormat.PdeOps => PdeOpsLayout.Open(path, file),
                DatasetFormat.PdeBench => PdeBenchLayout.Open(path, file),
                _ => MatlabLayout.Open(path, file, header),
            };
            return new DatasetSource(path, format, file, contents);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            file.Dispose();
            if (e is DataFileException) throw;
            throw new DataFileException(path, $"could not be read, perhaps truncated or damaged ({e.Message})", e);
        }
    }

    static DatasetFormat Detect(string path, NativeFile file, long offset, string header)
    {
        if (file.AttributeExists(DatasetLayout.FormatAttribute)
            && RootAttributes.Read(file).TryGetValue(DatasetLayout.FormatAttribute, out var format)
            && format as string == DatasetLayout.FormatName)
            return DatasetFormat.PdeOps;
        var names = Hdf5Arrays.Names(file);
        if ((offset > 0 && header.StartsWith("MATLAB", StringComparison.Ordinal))
            || names.Any(n => file.Dataset(n).AttributeExists("MATLAB_class")))
            return DatasetFormat.FnoMatlab;
        if (names.Contains(PdeBenchLayout.TensorName)) return DatasetFormat.PdeBench;
        throw new DataFileException(path,
            $"unknown dataset layout (root datasets: {(names.Count == 0 ? "none" : string.Join(", ", names))}); expected a PdeOps file "
            + $"(attribute format=\"{DatasetLayout.FormatName}\"), a PDEBench file (dataset 'tensor') or a MATLAB v7.3 .mat file");
    }

    /// <summary>Consecutive blocks (first, count) covering samples <paramref name="first"/> .. + <paramref name="count"/> of <paramref name="array"/>.</summary>
    public static IEnumerable<(long First, int Count)> Blocks(SourceArray array, long first, long count)
    {
        long perBlock = Math.Max(1, BlockValues / Math.Max(1, array.SampleSize));
        for (long s = first; s < first + count; s += perBlock)
            yield return (s, (int)Math.Min(perBlock, first + count - s));
    }

    /// <summary>Reads samples <paramref name="first"/> .. + <paramref name="count"/> of <paramref name="array"/> as one float array.</summary>
    public float[] ReadAll(SourceArray array, long first, int count)
    {
        long total = (long)count * array.SampleSize;
        if (total > System.Array.MaxLength)
            throw new DataFileException(Path, $"'{array.Name}' has {total} values in {count} samples, more than one array can hold; read fewer samples");
        var values = new float[total];
        foreach (var (start, n) in Blocks(array, first, count))
            array.Read(start, n).CopyTo(values, (start - first) * array.SampleSize);
        return values;
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();
}
