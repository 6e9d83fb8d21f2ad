using PdeOps.Physics.IO;
using PureHDF;
using PureHDF.Filters;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Storage;

/// <summary>
/// Collects named arrays and provenance attributes and writes them as one HDF5 file that h5py,
/// MATLAB and HDFView open. Arrays keep C (row-major) order: a <c>float[N, H, W]</c> appears in
/// h5py as shape (N, H, W). Arrays of two or more dimensions are chunked and deflate-compressed.
/// The file is written under <c>FILE.partial</c> and renamed when complete.
/// </summary>
public sealed class FieldFileBuilder
{
    readonly Dictionary<string, Array> _arrays = new(StringComparer.Ordinal);
    readonly Dictionary<string, object> _attributes = new(StringComparer.Ordinal);

    /// <summary>Adds a float or double array (any rank) under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The element type is not float or double, or an element is NaN or infinite.</exception>
    public FieldFileBuilder AddArray(string name, Array values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var type = values.GetType().GetElementType();
        if (type != typeof(float) && type != typeof(double))
            throw new ArgumentException($"array '{name}' holds {type?.Name}; only float and double arrays are stored");
        foreach (var v in values)
        {
            double d = Convert.ToDouble(v);
            if (!double.IsFinite(d)) throw new ArgumentException($"array '{name}' contains {d}; refusing to store non-finite data");
        }
        _arrays[name] = values;
        return this;
    }

    /// <summary>Sets a file attribute: a string, a number, or an array of numbers.</summary>
    public FieldFileBuilder SetAttribute(string name, object value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _attributes[name] = value switch
        {
            int i => (long)i,
            float f => (double)f,
            bool b => b ? 1L : 0L,
            string or long or double or double[] or long[] or int[] => value,
            _ => throw new ArgumentException($"attribute '{name}' has unsupported type {value.GetType().Name}"),
        };
        return this;
    }

    /// <summary>Writes the file atomically to <paramref name="path"/>.</summary>
    public void Write(string path)
    {
        var file = new H5File();
        foreach (var (name, values) in _arrays)
        {
            if (values.Rank >= 2)
            {
                var chunks = ChunkShape(values);
                var creation = new H5DatasetCreation(Filters: [DeflateFilter.Id]);
                file[name] = new H5Dataset(values, chunks: chunks, datasetCreation: creation);
            }
            else file[name] = new H5Dataset(values);
        }
        foreach (var (name, value) in _attributes) file.Attributes[name] = value;
        AtomicFile.Write(path, partial =>
        {
            // PureHDF reports a failed write (a full disk) as a later symptom of its own; the
            // guard keeps the first I/O error so that the caller learns the real cause.
            using var stream = new FileStream(partial, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
            var guard = new FirstErrorStream(stream);
            try
            {
                file.Write(guard);
                guard.Flush();
                stream.Flush(flushToDisk: true);
            }
            catch (Exception) when (guard.Failure is not null)
            {
                guard.ThrowFirstFailure();
                throw;
            }
        });
    }

    // One field per chunk: the last two axes whole, 1 along the leading axes, so reading one
    // sample touches one chunk.
    static uint[] ChunkShape(Array values)
    {
        int rank = values.Rank;
        var chunks = new uint[rank];
        for (int d = 0; d < rank; d++) chunks[d] = d >= rank - 2 ? (uint)Math.Max(1, values.GetLength(d)) : 1u;
        return chunks;
    }
}
