using System.Runtime.InteropServices;
using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Generation;

/// <summary>
/// Writes the final HDF5 file of a run from its completed chunks, one chunk at a time, then moves
/// it to the output path: per-sample arrays (N, ...) one sample per HDF5 chunk, deflate-compressed;
/// coordinates as 1D float64 arrays; provenance as root attributes (see <see cref="DatasetLayout"/>).
/// </summary>
internal static class DatasetAssembler
{
    public static void Write(ChunkStore store, IReadOnlyDictionary<string, double[]> coordinates, IReadOnlyDictionary<string, object> attributes)
    {
        string temporary = Path.Combine(store.Folder, "assembled.h5");
        var shapes = store.Arrays.Select(a => new SampleArrayShape(a.Name, a.SampleShape, store.ElementSize)).ToList();
        using (var writer = new SampleArrayFileWriter(temporary, shapes, store.Length, coordinates, attributes))
        {
            for (int c = 0; c < store.ChunkCount; c++)
            {
                var (first, count) = store.Chunk(c);
                for (int a = 0; a < store.Arrays.Count; a++)
                {
                    var bytes = store.ReadArray(c, a);
                    Array values = store.ElementSize == 4 ? MemoryMarshal.Cast<byte, float>(bytes).ToArray() : MemoryMarshal.Cast<byte, double>(bytes).ToArray();
                    writer.Write(a, first - store.First, count, values);
                }
            }
        }
        File.Move(temporary, Path.GetFullPath(store.Output), overwrite: true);
    }
}
