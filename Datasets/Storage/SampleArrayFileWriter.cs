using PdeOps.Physics.IO;
using PureHDF;
using PureHDF.Filters;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Storage;

/// <summary>The shape and element size of one per-sample array of a dataset file.</summary>
/// <param name="Name">Dataset name.</param>
/// <param name="SampleShape">Shape of one sample.</param>
/// <param name="ElementSize">4 (float32) or 8 (float64).</param>
/// <param name="Attributes">Attributes of the dataset itself (e.g. axis names), or null.</param>
public sealed record SampleArrayShape(string Name, int[] SampleShape, int ElementSize, IReadOnlyDictionary<string, object>? Attributes = null)
{
    /// <summary>Values per sample.</summary>
    public int SampleLength => SampleShape.Aggregate(1, (a, b) => a * b);
}

/// <summary>
/// Writes an HDF5 file whose per-sample arrays (N, ...) arrive in blocks of samples, so memory stays
/// bounded by a block whatever N is. Arrays are chunked one sample per chunk and deflate-compressed;
/// coordinates and attributes are written as given. The file is written to a temporary path and
/// only moved to its final name by the caller once complete. When a write fails, the writer keeps
/// that first failure: closing it afterwards does not replace the cause (a full disk, say) with the
/// HDF5 library's "closed or in error state", and a failure while closing surfaces the I/O error
/// behind it.
/// </summary>
public sealed class SampleArrayFileWriter : IDisposable
{
    readonly H5Dataset[] _datasets;
    readonly H5Dataset<string[]>[] _texts;
    readonly H5NativeWriter _writer;
    // Owned here, not by the HDF5 writer: when closing fails (a full disk), the writer leaves its
    // stream open, and the file would stay open until the process ends.
    readonly FileStream _stream;
    readonly IReadOnlyList<SampleArrayShape> _arrays;
    readonly string _path;
    Exception? _failure;
    bool _disposed;

    // Deflate at level 1: several times faster than the default level on float fields, and the
    // files still open with any gzip-capable HDF5 reader.
    static readonly H5Filter FastDeflate = new(DeflateFilter.Id, new Dictionary<string, object> { [DeflateFilter.COMPRESSION_LEVEL] = 1 });

    /// <summary>Creates <paramref name="path"/> with <paramref name="samples"/> samples of each array.</summary>
    public SampleArrayFileWriter(string path, IReadOnlyList<SampleArrayShape> arrays, long samples,
        IReadOnlyDictionary<string, double[]> coordinates, IReadOnlyDictionary<string, object> attributes)
        : this(path, arrays, samples, coordinates, attributes, [])
    {
    }

    /// <summary>As the other constructor, with (N) string datasets named <paramref name="texts"/>, filled by <see cref="WriteTexts"/>.</summary>
    public SampleArrayFileWriter(string path, IReadOnlyList<SampleArrayShape> arrays, long samples,
        IReadOnlyDictionary<string, double[]> coordinates, IReadOnlyDictionary<string, object> attributes, IReadOnlyList<string> texts)
    {
        _arrays = arrays;
        _path = path;
        var file = new H5File();
        _datasets = new H5Dataset[arrays.Count];
        for (int a = 0; a < arrays.Count; a++)
        {
            var spec = arrays[a];
            var dims = new ulong[spec.SampleShape.Length + 1];
            var chunks = new uint[dims.Length];
            dims[0] = (ulong)samples; chunks[0] = 1;
            for (int d = 0; d < spec.SampleShape.Length; d++) { dims[d + 1] = (ulong)spec.SampleShape[d]; chunks[d + 1] = (uint)spec.SampleShape[d]; }
            var creation = new H5DatasetCreation(Filters: [FastDeflate]);
            _datasets[a] = spec.ElementSize == 4 ? new H5Dataset<float[]>(dims, chunks, creation) : new H5Dataset<double[]>(dims, chunks, creation);
            foreach (var (name, value) in spec.Attributes ?? new Dictionary<string, object>()) _datasets[a].Attributes[name] = value;
            file[spec.Name] = _datasets[a];
        }
        _texts = new H5Dataset<string[]>[texts.Count];
        for (int t = 0; t < texts.Count; t++) file[texts[t]] = _texts[t] = new H5Dataset<string[]>(fileDims: [(ulong)samples]);
        foreach (var (name, values) in coordinates)
            if (!file.ContainsKey(name)) file[name] = new H5Dataset(values);
        foreach (var (name, value) in attributes) file.Attributes[name] = value;
        _stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try { _writer = file.BeginWrite(_stream); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CloseStream();
            throw Surface(e, "creating");
        }
    }

    // The HDF5 library reports some I/O failures in its own words; keep the operating system's error
    // in the chain (a full disk must be named as such) and name the file.
    Exception Surface(Exception e, string doing)
    {
        if (e is IOException) return e;
        if (DiskFullException.Find(e) is not null) return e;
        return new IOException($"{doing} HDF5 file '{_path}' failed: {e.Message}", e);
    }

    /// <summary>Writes samples [first, first + count) of array <paramref name="array"/>: float[] for float32 arrays, double[] for float64.</summary>
    public void Write(int array, long first, int count, Array values)
    {
        var spec = _arrays[array];
        var starts = new ulong[spec.SampleShape.Length + 1];
        var blocks = new ulong[starts.Length];
        starts[0] = (ulong)first; blocks[0] = (ulong)count;
        for (int d = 0; d < spec.SampleShape.Length; d++) blocks[d + 1] = (ulong)spec.SampleShape[d];
        var selection = new HyperslabSelection(starts.Length, starts, blocks);
        if (values.Length != (long)count * spec.SampleLength) throw new ArgumentException($"array '{spec.Name}': {values.Length} values for {count} samples of {spec.SampleLength}");
        if (_failure is not null) throw new InvalidOperationException($"writing '{_path}' already failed ({_failure.Message})", _failure);
        try
        {
            switch (values)
            {
                case float[] f when spec.ElementSize == 4: _writer.Write((H5Dataset<float[]>)_datasets[array], f, fileSelection: selection); break;
                case double[] d when spec.ElementSize == 8: _writer.Write((H5Dataset<double[]>)_datasets[array], d, fileSelection: selection); break;
                default: throw new ArgumentException($"array '{spec.Name}' stores {spec.ElementSize}-byte values; got {values.GetType().Name}");
            }
        }
        catch (Exception e) when (e is not ArgumentException and not OutOfMemoryException)
        {
            _failure = Surface(e, "writing");
            if (ReferenceEquals(_failure, e)) throw;
            throw _failure;
        }
    }

    /// <summary>Writes text dataset <paramref name="text"/> whole: one string per sample.</summary>
    public void WriteTexts(int text, string[] values)
    {
        if (_failure is not null) throw new InvalidOperationException($"writing '{_path}' already failed ({_failure.Message})", _failure);
        try { _writer.Write(_texts[text], values); }
        catch (Exception e) when (e is not ArgumentException and not OutOfMemoryException)
        {
            _failure = Surface(e, "writing");
            if (ReferenceEquals(_failure, e)) throw;
            throw _failure;
        }
    }

    /// <summary>Completes and closes the file. After a failed write, closes it quietly: the failure already reported is the cause.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_failure is not null)
        {
            try { _writer.Dispose(); }
            catch (Exception) { } // the file is abandoned; the first failure stands
            CloseStream();
            return;
        }
        try
        {
            _writer.Dispose();
            _stream.Dispose();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CloseStream();
            var surfaced = Surface(e, "closing");
            if (ReferenceEquals(surfaced, e)) throw;
            throw surfaced;
        }
    }

    /// <summary>Closes the file after a failure; what could not be flushed is lost with the abandoned file.</summary>
    void CloseStream()
    {
        try { _stream.Dispose(); }
        catch (IOException) { } // the handle is closed even when the final flush fails
    }
}
