using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.IO;

namespace PdeOps.Datasets.Generation;

/// <summary>
/// The working folder <c>FILE.partial/</c> of a generation run: a manifest naming the request, and
/// one file per completed chunk of samples, each written under a temporary name and renamed, so a
/// chunk file is either complete or absent. Each chunk file ends with the SHA-256 of everything
/// before it: a chunk whose bytes were changed afterwards (a damaged disk, an overwrite) fails
/// <see cref="Verify"/> and is recomputed on resume, and is never assembled into the output. A killed run resumes from the chunks present; the
/// final HDF5 file is assembled from them. Chunk boundaries depend only on the request, never on
/// the thread count, so any resumed run produces the same chunks. A run locks the folder until it
/// is disposed (<see cref="FolderLock"/>: the system drops it when the process ends, however it
/// ends), so a second run on the same output is refused instead of writing beside it.
/// </summary>
internal sealed class ChunkStore : IDisposable
{
    const string Magic = "PDOPCHK2";
    const int HeaderBytes = 8 + 8 + 4, HashBytes = 32;
    const string ManifestName = "manifest.json";
    const long TargetChunkBytes = 16L << 20;

    FolderLock? _lock;

    ChunkStore(string folder, string output, IReadOnlyList<ArraySpec> arrays, IReadOnlyList<TextSpec> texts, int elementSize, long first, long length)
    {
        Folder = folder; Output = output; Arrays = arrays; Texts = texts; ElementSize = elementSize; First = first; Length = length;
        long sampleBytes = arrays.Sum(a => (long)a.SampleLength) * elementSize;
        SamplesPerChunk = (int)Math.Clamp(TargetChunkBytes / Math.Max(1, sampleBytes), 1, 64);
    }

    public string Folder { get; }
    public string Output { get; }
    public IReadOnlyList<ArraySpec> Arrays { get; }
    /// <summary>Per-sample texts, kept beside each chunk file in chunk-N.texts.json.</summary>
    public IReadOnlyList<TextSpec> Texts { get; }
    public int ElementSize { get; }
    /// <summary>First sample of this shard.</summary>
    public long First { get; }
    /// <summary>Samples in this shard.</summary>
    public long Length { get; }
    public int SamplesPerChunk { get; }
    public int ChunkCount => (int)((Length + SamplesPerChunk - 1) / SamplesPerChunk);

    /// <summary>The samples [first, first + count) of chunk c.</summary>
    public (long First, int Count) Chunk(int c)
    {
        long first = First + (long)c * SamplesPerChunk;
        return (first, (int)Math.Min(SamplesPerChunk, First + Length - first));
    }

    /// <summary>Opens the working folder of <paramref name="output"/>: a fresh one, or with <paramref name="resume"/> the one a killed run left.</summary>
    /// <exception cref="DataFileException">The folder exists without <paramref name="resume"/>, or belongs to a different request.</exception>
    public static ChunkStore Open(string output, string fingerprint, IReadOnlyList<ArraySpec> arrays, IReadOnlyList<TextSpec> texts, int elementSize, long first, long length, bool resume)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("chunk files are written in the host's byte order, which must be little-endian");
        string folder = AtomicFile.PartialPath(Path.GetFullPath(output));
        string manifest = Path.Combine(folder, ManifestName);
        bool created = false;
        FolderLock? held = null;
        if (Directory.Exists(folder) || File.Exists(folder))
        {
            if (Directory.Exists(folder)) held = Lock(folder);
            try
            {
                if (!resume)
                    throw new DataFileException(folder, "an interrupted run left this working folder; pass --resume to continue it, or delete it to start over");
                if (!File.Exists(manifest)) throw new DataFileException(folder, "no manifest.json: not a generation working folder; delete it to start over");
                string? recorded;
                try { recorded = JsonNode.Parse(File.ReadAllText(manifest))?["request"]?.GetValue<string>(); }
                catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
                {
                    throw new DataFileException(manifest, $"damaged manifest ({e.Message}); delete {folder} to start over", e);
                }
                if (GenerationSettings.Difference(recorded, fingerprint) is { } difference)
                    throw new DataFileException(folder, $"resume needs the same settings: {difference}");
            }
            catch
            {
                held?.Dispose();
                throw;
            }
        }
        else
        {
            Directory.CreateDirectory(folder);
            created = true;
            try
            {
                held = Lock(folder);
                var json = new JsonObject { ["format"] = "pdeops-generation-parts", ["version"] = 2, ["request"] = fingerprint };
                AtomicFile.Write(manifest, partial => File.WriteAllText(partial, json.ToJsonString()));
            }
            catch
            {
                held?.Dispose();
                Directory.Delete(folder, recursive: true);
                throw;
            }
        }
        return new ChunkStore(folder, output, arrays, texts, elementSize, first, length) { Created = created, _lock = held };
    }

    // A run that holds the folder is writing this output now: the caller is refused, whatever else it asked for.
    static FolderLock Lock(string folder) => FolderLock.TryAcquire(folder)
        ?? throw new DataFileException(folder, "another run is writing this output now (it holds this working folder); wait for it to finish, or choose another --out");

    /// <summary>Releases the working folder to other runs (kept on disk for --resume unless <see cref="Delete"/> removed it).</summary>
    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    /// <summary>True when this run created the working folder (false when it resumed one).</summary>
    public bool Created { get; private init; }

    string ChunkPath(int c) => Path.Combine(Folder, $"chunk-{Chunk(c).First:D10}.bin");

    string TextPath(int c) => Path.Combine(Folder, $"chunk-{Chunk(c).First:D10}.texts.json");

    long DataBytes(int c) => Arrays.Sum(a => (long)a.SampleLength) * ElementSize * Chunk(c).Count;

    long ChunkBytes(int c) => HeaderBytes + DataBytes(c) + HashBytes;

    /// <summary>Bytes of disk the chunk files of the given chunks take.</summary>
    public long ChunkFileBytes(IEnumerable<int> chunks) => chunks.Sum(ChunkBytes);

    /// <summary>Whether a file of chunk c exists (complete or not).</summary>
    public bool Exists(int c) => File.Exists(ChunkPath(c));

    /// <summary>Number of chunk files present in the folder.</summary>
    public int FilesPresent() => Directory.Exists(Folder) ? Directory.GetFiles(Folder, "chunk-*.bin").Length : 0;

    /// <summary>
    /// True when chunk c was completed by this or an earlier run and is intact: the file has the
    /// size, header and SHA-256 trailer of chunk c. A damaged chunk, or one of an older format, is false.
    /// </summary>
    public bool Verify(int c) => TryRead(c) is not null && (Texts.Count == 0 || TryReadTexts(c) is not null);

    /// <summary>
    /// Writes the texts of chunk c ([sample][text]); called before the chunk's data file, so a data
    /// file whose texts are missing or damaged marks the chunk for recomputation.
    /// </summary>
    public void WriteTexts(int c, string[][] texts)
    {
        var json = new JsonArray(texts.Select(sample => (JsonNode)new JsonArray(sample.Select(t => (JsonNode)t).ToArray())).ToArray());
        AtomicFile.Write(TextPath(c), temporary => File.WriteAllText(temporary, json.ToJsonString()));
    }

    /// <summary>The texts of chunk c ([sample][text]), verified.</summary>
    /// <exception cref="DataFileException">The file is missing or does not hold the chunk's texts.</exception>
    public string[][] ReadTexts(int c) =>
        TryReadTexts(c) ?? throw new DataFileException(TextPath(c), "the chunk's texts are missing or damaged; rerun with --resume to recompute the chunk");

    string[][]? TryReadTexts(int c)
    {
        try
        {
            if (!File.Exists(TextPath(c))) return null;
            var samples = JsonNode.Parse(File.ReadAllText(TextPath(c)))!.AsArray()
                .Select(s => s!.AsArray().Select(t => t!.GetValue<string>()).ToArray()).ToArray();
            return samples.Length == Chunk(c).Count && samples.All(s => s.Length == Texts.Count) ? samples : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            return null;
        }
    }

    /// <summary>The data bytes of chunk c (all arrays, in order), or null when the file is absent, of the wrong size, or fails its checksum.</summary>
    byte[]? TryRead(int c)
    {
        var (first, count) = Chunk(c);
        string path = ChunkPath(c);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length != ChunkBytes(c)) return null;
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException) { return null; }
        if (bytes.Length != ChunkBytes(c) || !bytes.AsSpan(0, 8).SequenceEqual(Encoding.ASCII.GetBytes(Magic))
            || BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)) != first || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)) != count)
            return null;
        int body = bytes.Length - HashBytes;
        Span<byte> hash = stackalloc byte[HashBytes];
        SHA256.HashData(bytes.AsSpan(0, body), hash);
        return hash.SequenceEqual(bytes.AsSpan(body)) ? bytes : null;
    }

    /// <summary>Writes chunk c: <paramref name="arrays"/>[a] holds array a of all the chunk's samples in storage precision (float[] or double[]).</summary>
    public void Write(int c, IReadOnlyList<Array> arrays)
    {
        var (first, count) = Chunk(c);
        AtomicFile.Write(ChunkPath(c), temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Put(ReadOnlySpan<byte> bytes)
            {
                hash.AppendData(bytes);
                stream.Write(bytes);
            }
            Put(Encoding.ASCII.GetBytes(Magic));
            Span<byte> header = stackalloc byte[12];
            BinaryPrimitives.WriteInt64LittleEndian(header, first);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], count);
            Put(header);
            // Little-endian hosts only (x64, arm64): the values are written as they lie in memory.
            foreach (var values in arrays)
                Put(values is float[] f ? MemoryMarshal.AsBytes(f.AsSpan()) : MemoryMarshal.AsBytes(((double[])values).AsSpan()));
            stream.Write(hash.GetHashAndReset());
            stream.Flush(flushToDisk: true);
        });
    }

    /// <summary>Reads chunk c, verified, as one array per entry of <see cref="Arrays"/> in storage precision (float[] or double[]).</summary>
    /// <exception cref="DataFileException">The chunk file is missing or fails its checksum.</exception>
    public IReadOnlyList<Array> Read(int c)
    {
        var bytes = TryRead(c) ?? throw new DataFileException(ChunkPath(c), "chunk file is missing or fails its checksum (changed since it was written); rerun with --resume to recompute it");
        var (_, count) = Chunk(c);
        var result = new List<Array>(Arrays.Count);
        int offset = HeaderBytes;
        foreach (var spec in Arrays)
        {
            int length = checked(spec.SampleLength * ElementSize * count);
            var span = bytes.AsSpan(offset, length);
            result.Add(ElementSize == 4 ? MemoryMarshal.Cast<byte, float>(span).ToArray() : MemoryMarshal.Cast<byte, double>(span).ToArray());
            offset += length;
        }
        return result;
    }

    /// <summary>Removes the working folder once the output is in place (the lock goes with <see cref="Dispose"/>).</summary>
    public void Delete() => Directory.Delete(Folder, recursive: true);
}
