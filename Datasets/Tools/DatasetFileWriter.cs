using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PureHDF;
using PureHDF.Filters;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Tools;

/// <summary>
/// Writes a range of samples of an open <see cref="DatasetSource"/> as a PdeOps dataset file: the
/// input and output arrays (N, ...) in presented orientation, one sample per deflate-compressed
/// chunk as <c>DatasetAssembler</c> writes them, coordinates as 1D float64 arrays, and the given
/// root attributes. Arrays whose axes are not the default spatial ones carry an "axes" attribute.
/// Samples are copied a block at a time; the file appears under its name only when complete.
/// </summary>
internal static class DatasetFileWriter
{
    public static void Write(string path, DatasetSource source, long first, int count, IReadOnlyDictionary<string, object> attributes, bool toFloat32)
    {
        if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(source.Path), StringComparison.Ordinal))
            throw new ArgumentException($"output '{path}' is the file being read", nameof(path));
        var file = new H5File();
        var arrays = source.Arrays.ToList();
        var datasets = new H5Object[arrays.Count];
        for (int a = 0; a < arrays.Count; a++)
        {
            var array = arrays[a];
            var shape = array.Shape(count);
            var dims = shape.Select(d => (ulong)d).ToArray();
            var chunks = shape.Select((d, i) => i == 0 ? 1u : (uint)Math.Max(1, d)).ToArray();
            var creation = new H5DatasetCreation(Filters: [DeflateFilter.Id]);
            H5Object dataset = toFloat32 || array.StoredType == "float32"
                ? new H5Dataset<float[]>(dims, chunks, creation)
                : new H5Dataset<double[]>(dims, chunks, creation);
            if (!array.Axes.SequenceEqual(FieldArray.DefaultAxes(shape.Length)))
                dataset.Attributes[PdeOpsLayout.AxesAttribute] = string.Join(",", array.Axes);
            datasets[a] = dataset;
            file[array.Name] = dataset;
        }
        foreach (var (name, values) in source.Coordinates)
            if (!file.ContainsKey(name)) file[name] = new H5Dataset(values);
        foreach (var (name, value) in attributes) file.Attributes[name] = value;

        AtomicFile.Write(path, partial =>
        {
            using var writer = file.BeginWrite(partial);
            for (int a = 0; a < arrays.Count; a++)
            {
                var array = arrays[a];
                foreach (var (start, n) in DatasetSource.Blocks(array, first, count))
                {
                    int rank = array.SampleShape.Length + 1;
                    var starts = new ulong[rank];
                    var blocks = new ulong[rank];
                    starts[0] = (ulong)(start - first);
                    blocks[0] = (ulong)n;
                    for (int d = 1; d < rank; d++) blocks[d] = (ulong)array.SampleShape[d - 1];
                    var selection = new HyperslabSelection(rank, starts, blocks);
                    if (datasets[a] is H5Dataset<float[]> floats)
                        writer.Write(floats, array.Read(start, n), fileSelection: selection);
                    else
                        writer.Write((H5Dataset<double[]>)datasets[a], (double[])array.ReadNative(start, n, checkFinite: true), fileSelection: selection);
                }
            }
        });
    }
}
