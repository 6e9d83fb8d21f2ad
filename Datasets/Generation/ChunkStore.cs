using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Generation;

/// <summary>
/// The working folder <c>FILE.partial/</c> of a generation run: a manifest naming the request, and
/// one file per completed chunk of samples, each written under a temporary name and renamed, so a
/// chunk file is either complete or absent. A killed run resumes from the chunks present; the
/// final HDF5 file is assembled from them. Chunk boundaries depend only on the request, never on
/// the thread count, so any resumed run produces the same chunks.
/// </summary>
internal sealed class ChunkStore
{
    const string Magic = "PDOPCHK1";
    const string ManifestName = "manifest.json";
    const long TargetChunkBytes = 16L << 20;

    ChunkStore(string folder, string output, IReadOnlyList<ArraySpec> arrays, int elementSize, long first, long length)
    {
        Folder = folder; Output = output; Arrays = arrays; ElementSize = elementSize; First = first; Length = length;
        long sampleBytes = arrays.Sum(a => (long)a.SampleLength) * elementSize;
        SamplesPerChunk = (int)Math.Clamp(TargetChunkBytes / Math.Max(1, sampleBytes), 1, 64);
    }

    public string Folder { get; }
    public string Output { get; }
    public IReadOnlyList<ArraySpec> Arrays { get; }
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
    public static ChunkStore Open(string output, string fingerprint, IReadOnlyList<ArraySpec> arrays, int elementSize, long first, long length, bool resume)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("chunk files are written in the host's byte order, which must be little-endian");
        string folder = AtomicFile.PartialPath(Path.GetFullPath(output));
        string manifest = Path.Combine(folder, ManifestName);
        if (Directory.Exists(folder) || File.Exists(folder))
        {
            if (!resume)
                throw new DataFileException(folder, "an interrupted run left this working folder; pass --resume to continue it, or delete it to start over");
            if (!File.Exists(manifest)) throw new DataFileException(folder, "no manifest.json: not a generation working folder");
            var recorded = JsonNode.Parse(File.ReadAllText(manifest))?["request"]?.GetValue<string>();
            if (recorded != fingerprint)
                throw new DataFileException(folder, $"it was started with different settings; resume needs the same family, samples, resolutions, seed, dtype, parameters and shard (recorded: {recorded})");
        }
        else
        {
            Directory.CreateDirectory(folder);
            var json = new JsonObject { ["format"] = "pdeops-generation-parts", ["version"] = 1, ["request"] = fingerprint };
            File.WriteAllText(manifest + ".tmp", json.ToJsonString());
            File.Move(manifest + ".tmp", manifest, overwrite: true);
        }
        return new ChunkStore(folder, output, arrays, elementSize, first, length);
    }

    string ChunkPath(int c) => Path.Combine(Folder, $"chunk-{Chunk(c).First:D10}.bin");

    long ChunkBytes(int c) => 8 + 8 + 4 + Arrays.Sum(a => (long)a.SampleLength) * ElementSize * Chunk(c).Count;

    /// <summary>True when chunk c was completed by this or an earlier run.</summary>
    public bool IsComplete(int c)
    {
        var info = new FileInfo(ChunkPath(c));
        return info.Exists && info.Length == ChunkBytes(c);
    }

    /// <summary>Writes chunk c: <paramref name="arrays"/>[a] holds array a of all the chunk's samples in storage precision (float[] or double[]).</summary>
    public void Write(int c, IReadOnlyList<Array> arrays)
    {
        var (first, count) = Chunk(c);
        string path = ChunkPath(c), temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            stream.Write(Encoding.ASCII.GetBytes(Magic));
            Span<byte> header = stackalloc byte[12];
            BinaryPrimitives.WriteInt64LittleEndian(header, first);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], count);
            stream.Write(header);
            // Little-endian hosts only (x64, arm64): the values are written as they lie in memory.
            foreach (var values in arrays)
                stream.Write(values is float[] f ? MemoryMarshal.AsBytes(f.AsSpan()) : MemoryMarshal.AsBytes(((double[])values).AsSpan()));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads array a of chunk c as raw little-endian bytes (count samples, row-major).</summary>
    public byte[] ReadArray(int c, int a)
    {
        var (_, count) = Chunk(c);
        long offset = 20;
        for (int b = 0; b < a; b++) offset += (long)Arrays[b].SampleLength * ElementSize * count;
        var bytes = new byte[(long)Arrays[a].SampleLength * ElementSize * count];
        using var stream = new FileStream(ChunkPath(c), FileMode.Open, FileAccess.Read);
        stream.Seek(offset, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Removes the working folder once the output is in place.</summary>
    public void Delete() => Directory.Delete(Folder, recursive: true);
}
