using PdeOps.Datasets.Storage;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Readers;

/// <summary>
/// An input or output array of a file, read block by block of samples in the presented
/// orientation (N, ...) whatever the stored one.
/// </summary>
internal sealed class SourceArray(string path, IH5Dataset dataset, string name, DatasetArrayRole role, StoredLayout layout, IReadOnlyList<string> axes)
{
    readonly ulong[] _stored = dataset.Space.Dimensions;

    public string Name { get; } = name;
    public DatasetArrayRole Role { get; } = role;
    public string StoredName { get; } = dataset.Name;
    public IReadOnlyList<ulong> StoredShape => _stored;
    public StoredLayout Layout { get; } = layout;
    public IReadOnlyList<string> Axes { get; } = axes;

    /// <summary>"float32" or "float64".</summary>
    public string StoredType { get; } = dataset.Type.Size == 4 ? "float32" : "float64";

    /// <summary>Bytes per stored value (4 or 8).</summary>
    public int ElementSize => StoredType == "float32" ? 4 : 8;

    /// <summary>Bytes the stored dataset declares (its whole dataspace), as a double so that no shape overflows.</summary>
    public double DeclaredBytes => _stored.Aggregate((double)ElementSize, (p, d) => p * d);

    public long Samples => Layout == StoredLayout.ReversedAxes ? (long)_stored[^1] : (long)_stored[0];

    /// <summary>Shape of one presented sample.</summary>
    public int[] SampleShape => Layout switch
    {
        StoredLayout.SamplesFirst => _stored[1..].Select(d => (int)d).ToArray(),
        StoredLayout.FirstOfAxis1 => _stored[2..].Select(d => (int)d).ToArray(),
        _ => _stored[..^1].Reverse().Select(d => (int)d).ToArray(),
    };

    public int SampleSize => SampleShape.Aggregate(1, (p, d) => checked(p * d));

    /// <summary>Presented shape with <paramref name="count"/> samples.</summary>
    public int[] Shape(int count) => [count, .. SampleShape];

    /// <summary>A description of where the presented array comes from, e.g. "tensor[:, 0]".</summary>
    public string Source => Layout switch
    {
        StoredLayout.SamplesFirst => StoredName,
        StoredLayout.FirstOfAxis1 => $"{StoredName}[:, 0]",
        _ => $"{StoredName} (axes reversed)",
    };

    /// <summary>Reads samples as float32, checking that every value is finite.</summary>
    public float[] Read(long first, int count)
    {
        var values = ReadNative(first, count, checkFinite: true);
        if (values is float[] f) return f;
        var narrowed = Array.ConvertAll((double[])values, v => (float)v);
        CheckFinite(narrowed, first, " after conversion to float32 (a value exceeds the float32 range)");
        return narrowed;
    }

    /// <summary>Reads samples in the stored precision: a float[] or a double[], in presented order.</summary>
    public Array ReadNative(long first, int count, bool checkFinite)
    {
        if (first < 0 || count < 0 || first + count > Samples)
            throw new ArgumentOutOfRangeException(nameof(count), $"samples {first}..{first + count - 1} of '{Name}' are outside 0..{Samples - 1}");
        try
        {
            Array values = StoredType == "float32" ? ReadSlab<float>(first, count) : ReadSlab<double>(first, count);
            if (checkFinite)
            {
                if (values is float[] f) CheckFinite(f, first, "");
                else CheckFinite((double[])values, first);
            }
            return values;
        }
        catch (Exception e) when (e is not DataFileException and not OutOfMemoryException)
        {
            throw new DataFileException(path, $"dataset '{StoredName}' could not be read; the file is truncated or damaged ({e.Message})", e);
        }
    }

    T[] ReadSlab<T>(long first, int count) where T : unmanaged
    {
        T[] Select(ulong[] starts, ulong[] blocks)
        {
            var selection = new HyperslabSelection(starts.Length, starts, blocks);
            if (dataset is not NativeDataset native) return dataset.Read<T[]>(fileSelection: selection);
            // A cache holding every chunk the block touches, so that no chunk is inflated twice
            // (the default of about 1 MB is smaller than one 421 x 421 float64 chunk).
            long bytes = blocks.Aggregate(1L, (p, d) => p * (long)d) * dataset.Type.Size;
            var cache = new SimpleReadingChunkCache(chunkSlotCount: 1 << 16, byteCount: (ulong)(2 * bytes + (64 << 20)));
            return native.Read<T[]>(new H5DatasetAccess(ChunkCache: cache), fileSelection: selection);
        }

        int rank = _stored.Length;
        var starts = new ulong[rank];
        var blocks = (ulong[])_stored.Clone();
        switch (Layout)
        {
            case StoredLayout.SamplesFirst:
                starts[0] = (ulong)first; blocks[0] = (ulong)count;
                return Select(starts, blocks);
            case StoredLayout.FirstOfAxis1:
                starts[0] = (ulong)first; blocks[0] = (ulong)count; blocks[1] = 1;
                return Select(starts, blocks);
            default:
                return ReadReversed<T>(first, count, Select);
        }
    }

    // MATLAB arrays keep the sample axis last in HDF5, so a block of samples is a strided
    // selection. Reading it one chunk-width of samples at a time keeps every read aligned with
    // the chunks: with MATLAB-style chunks of one sample, each read is one whole chunk.
    T[] ReadReversed<T>(long first, int count, Func<ulong[], ulong[], T[]> select)
    {
        int step = count;
        if (dataset.Layout.Class == H5DataLayoutClass.Chunked)
            step = (int)Math.Clamp(dataset.Layout.Chunks[^1], 1UL, (ulong)Math.Max(1, count));
        var starts = new ulong[_stored.Length];
        var blocks = (ulong[])_stored.Clone();
        if (step >= count)
        {
            starts[^1] = (ulong)first; blocks[^1] = (ulong)count;
            return AxisReversal.Reverse(select(starts, blocks), blocks);
        }
        int size = SampleSize;
        var result = new T[(long)count * size];
        for (long s = first; s < first + count;)
        {
            long next = Math.Min(first + count, (s / step + 1) * step);
            starts[^1] = (ulong)s; blocks[^1] = (ulong)(next - s);
            AxisReversal.Reverse(select(starts, blocks), blocks).CopyTo(result, (s - first) * size);
            s = next;
        }
        return result;
    }

    void CheckFinite(float[] values, long first, string context)
    {
        int bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0) ThrowNonFinite(values[bad], first, bad, context);
    }

    void CheckFinite(double[] values, long first)
    {
        int bad = Array.FindIndex(values, v => !double.IsFinite(v));
        if (bad >= 0) ThrowNonFinite(values[bad], first, bad, "");
    }

    void ThrowNonFinite(double value, long first, int offset, string context)
    {
        long sample = first + offset / Math.Max(1, SampleSize);
        string what = double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
        throw new DataFileException(path, $"dataset '{StoredName}' holds {what} in sample {sample}{context}; refusing non-finite data");
    }
}
