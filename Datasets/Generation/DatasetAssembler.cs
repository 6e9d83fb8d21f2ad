using System.Runtime.InteropServices;
using PdeOps.Datasets.Storage;
using PureHDF;
using PureHDF.Filters;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Generation;

/// <summary>
/// Writes the final HDF5 file of a run from its completed chunks, one chunk at a time, so memory
/// stays bounded by a chunk whatever the dataset size. Per-sample arrays are stored (N, ...) with
/// one sample per HDF5 chunk, deflate-compressed; coordinates as 1D float64 arrays; provenance as
/// root attributes (see <see cref="DatasetLayout"/>).
/// </summary>
internal static class DatasetAssembler
{
    public static void Write(ChunkStore store, IReadOnlyDictionary<string, double[]> coordinates, IReadOnlyDictionary<string, object> attributes)
    {
        var file = new H5File();
        var datasets = new H5Dataset[store.Arrays.Count];
        for (int a = 0; a < store.Arrays.Count; a++)
        {
            var spec = store.Arrays[a];
            var dims = new ulong[spec.SampleShape.Length + 1];
            var chunks = new uint[dims.Length];
            dims[0] = (ulong)store.Length; chunks[0] = 1;
            for (int d = 0; d < spec.SampleShape.Length; d++) { dims[d + 1] = (ulong)spec.SampleShape[d]; chunks[d + 1] = (uint)spec.SampleShape[d]; }
            var creation = new H5DatasetCreation(Filters: [DeflateFilter.Id]);
            datasets[a] = store.ElementSize == 4
                ? new H5Dataset<float[]>(dims, chunks, creation)
                : new H5Dataset<double[]>(dims, chunks, creation);
            file[spec.Name] = datasets[a];
        }
        foreach (var (name, values) in coordinates) file[name] = new H5Dataset(values);
        foreach (var (name, value) in attributes) file.Attributes[name] = value;

        string temporary = Path.Combine(store.Folder, "assembled.h5");
        using (var writer = file.BeginWrite(temporary))
        {
            for (int c = 0; c < store.ChunkCount; c++)
            {
                var (first, count) = store.Chunk(c);
                for (int a = 0; a < store.Arrays.Count; a++)
                {
                    var spec = store.Arrays[a];
                    var starts = new ulong[spec.SampleShape.Length + 1];
                    var blocks = new ulong[starts.Length];
                    starts[0] = (ulong)(first - store.First); blocks[0] = (ulong)count;
                    for (int d = 0; d < spec.SampleShape.Length; d++) blocks[d + 1] = (ulong)spec.SampleShape[d];
                    var selection = new HyperslabSelection(starts.Length, starts, blocks);
                    var bytes = store.ReadArray(c, a);
                    if (store.ElementSize == 4)
                        writer.Write((H5Dataset<float[]>)datasets[a], MemoryMarshal.Cast<byte, float>(bytes).ToArray(), fileSelection: selection);
                    else
                        writer.Write((H5Dataset<double[]>)datasets[a], MemoryMarshal.Cast<byte, double>(bytes).ToArray(), fileSelection: selection);
                }
            }
        }
        File.Move(temporary, Path.GetFullPath(store.Output), overwrite: true);
    }
}
