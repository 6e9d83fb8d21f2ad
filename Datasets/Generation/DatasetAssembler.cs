using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.ExceptionServices;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.IO;

namespace PdeOps.Datasets.Generation;

/// <summary>
/// Builds the final HDF5 file of a run on a thread of its own while samples are computed: each
/// completed chunk is first made durable in <c>FILE.partial/</c> (<see cref="ChunkStore"/>) and then
/// written into the HDF5 file inside that folder (per-sample arrays (N, ...) one sample per HDF5
/// chunk, deflate-compressed; coordinates as 1D float64; provenance as root attributes, see
/// <see cref="DatasetLayout"/>). Chunks a killed run completed are read back from their files.
/// <see cref="Finish"/> moves the file to the output path. Compression thus overlaps the solves.
/// Chunks read back are verified against their checksums, and every value is checked to be finite
/// before it is written: no NaN or infinity reaches an output file.
/// </summary>
internal sealed class DatasetAssembler : IDisposable
{
    readonly ChunkStore _store;
    readonly SampleArrayFileWriter _writer;
    readonly BlockingCollection<(int Chunk, double[][][]? Samples, string[][]? Texts)> _queue = new(boundedCapacity: 4);
    readonly string[][] _texts;
    readonly Thread _thread;
    readonly string _temporary;
    readonly Action<double[][]>? _recycle;
    Exception? _failure;
    bool _closed;

    public DatasetAssembler(ChunkStore store, IReadOnlyDictionary<string, double[]> coordinates, IReadOnlyDictionary<string, object> attributes,
        Action<double[][]>? recycle = null)
    {
        _store = store;
        _recycle = recycle;
        _temporary = Path.Combine(store.Folder, "assembled.h5");
        var shapes = store.Arrays.Select(a => new SampleArrayShape(a.Name, a.SampleShape, store.ElementSize)).ToList();
        _writer = new SampleArrayFileWriter(_temporary, shapes, store.Length, coordinates, attributes, store.Texts.Select(t => t.Name).ToList());
        _texts = store.Texts.Select(_ => new string[store.Length]).ToArray();
        _thread = new Thread(Drain) { IsBackground = true, Name = "dataset writer" };
        _thread.Start();
    }

    /// <summary>
    /// Queues chunk c: computed <paramref name="samples"/> ([sample][array]) with their
    /// <paramref name="texts"/> ([sample][text], when the plan has texts), or null for a chunk
    /// already on disk. Blocks while the writer is four chunks behind.
    /// </summary>
    public void Add(int chunk, double[][][]? samples, string[][]? texts = null)
    {
        if (_failure is { } e) Rethrow(e);
        _queue.Add((chunk, samples, texts));
    }

    void Drain()
    {
        try
        {
            foreach (var (chunk, samples, computedTexts) in _queue.GetConsumingEnumerable())
            {
                var arrays = samples is null ? _store.Read(chunk) : Enumerable.Range(0, _store.Arrays.Count).Select(a => Flatten(samples, a)).ToList();
                // The samples' values now live in the flattened arrays: the workers may refill theirs.
                if (samples is not null && _recycle is not null) foreach (var sample in samples) _recycle(sample);
                var (first, count) = _store.Chunk(chunk);
                for (int a = 0; a < arrays.Count; a++) CheckFinite(arrays[a], a, first);
                if (_store.Texts.Count > 0)
                {
                    var texts = samples is null ? _store.ReadTexts(chunk) : computedTexts ?? throw new InvalidOperationException($"chunk {chunk} was computed without its texts");
                    if (samples is not null) _store.WriteTexts(chunk, texts);
                    for (int k = 0; k < count; k++)
                        for (int t = 0; t < _texts.Length; t++) _texts[t][first - _store.First + k] = texts[k][t];
                }
                if (samples is not null) _store.Write(chunk, arrays);
                for (int a = 0; a < arrays.Count; a++) _writer.Write(a, first - _store.First, count, arrays[a]);
            }
        }
        catch (Exception e)
        {
            _failure = e;
            foreach (var _ in _queue.GetConsumingEnumerable()) { } // unblock producers
        }
    }

    // A value that is finite in double precision can still overflow float32 storage.
    void CheckFinite(Array values, int array, long first)
    {
        int bad = values is float[] f ? FirstNonFinite(f) : FirstNonFinite((double[])values);
        if (bad < 0) return;
        var spec = _store.Arrays[array];
        double value = values is float[] ff ? ff[bad] : ((double[])values)[bad];
        throw new DataFileException(Path.GetFullPath(_store.Output),
            $"sample {first + bad / Math.Max(1, spec.SampleLength)} of array '{spec.Name}' holds {(double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf")}{(values is float[]? " in float32" : "")}; refusing to write non-finite values");
    }

    // A plain loop: a predicate delegate per value costs more than the test itself on megabyte chunks.
    static int FirstNonFinite<T>(T[] values) where T : IFloatingPointIeee754<T>
    {
        for (var i = 0; i < values.Length; i++)
            if (!T.IsFinite(values[i])) return i;
        return -1;
    }

    static void Rethrow(Exception e)
    {
        if (e is DataFileException or IOException or SampleNotConvergedException) ExceptionDispatchInfo.Throw(e);
        throw new InvalidOperationException($"writing the dataset failed: {e.Message}", e);
    }

    Array Flatten(double[][][] samples, int array)
    {
        int length = _store.Arrays[array].SampleLength;
        if (_store.ElementSize == 8)
        {
            var d = new double[samples.Length * length];
            for (int k = 0; k < samples.Length; k++) samples[k][array].CopyTo(d, k * length);
            return d;
        }
        var f = new float[samples.Length * length];
        for (int k = 0; k < samples.Length; k++)
        {
            var source = samples[k][array];
            for (int i = 0; i < length; i++) f[k * length + i] = (float)source[i];
        }
        return f;
    }

    /// <summary>Waits for the queued chunks, closes the file and moves it to the output path.</summary>
    public void Finish()
    {
        _queue.CompleteAdding();
        _thread.Join();
        if (_failure is { } e) Rethrow(e);
        for (int t = 0; t < _texts.Length; t++) _writer.WriteTexts(t, _texts[t]);
        _writer.Dispose();
        _closed = true;
        AtomicFile.Commit(_temporary, Path.GetFullPath(_store.Output));
    }

    /// <summary>Stops the writer after a failure and removes the unfinished HDF5 file; chunk files stay for resuming.</summary>
    public void Dispose()
    {
        if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
        _thread.Join();
        if (!_closed)
        {
            _closed = true;
            try { _writer.Dispose(); }
            catch (Exception) { } // the failure that stopped the run is already on its way up
            try { File.Delete(_temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        _queue.Dispose();
    }
}
