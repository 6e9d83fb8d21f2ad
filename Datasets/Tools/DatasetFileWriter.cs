using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.IO;

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
        CheckNotSource(path, source);
        AtomicFile.Write(path, partial => WriteTo(partial, source, first, count, attributes, toFloat32));
    }

    /// <summary>Throws when <paramref name="path"/> is the file being read.</summary>
    public static void CheckNotSource(string path, DatasetSource source)
    {
        if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(source.Path), StringComparison.Ordinal))
            throw new ArgumentException($"output '{path}' is the file being read", nameof(path));
    }

    /// <summary>Writes the samples to <paramref name="partial"/> directly (the caller renames it when complete).</summary>
    public static void WriteTo(string partial, DatasetSource source, long first, int count, IReadOnlyDictionary<string, object> attributes, bool toFloat32)
    {
        var arrays = source.Arrays.ToList();
        var shapes = arrays.Select(array =>
        {
            var shape = array.Shape(count);
            var axes = array.Axes.SequenceEqual(FieldArray.DefaultAxes(shape.Length))
                ? null
                : new Dictionary<string, object> { [PdeOpsLayout.AxesAttribute] = string.Join(",", array.Axes) };
            return new SampleArrayShape(array.Name, array.SampleShape.ToArray(), toFloat32 || array.StoredType == "float32" ? 4 : 8, axes);
        }).ToList();
        // Per-sample texts (the problems of an mms file) travel with their samples.
        var texts = attributes.TryGetValue(DatasetLayout.TextsAttribute, out var names) && names is string list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries)
            : [];
        using var writer = new SampleArrayFileWriter(partial, shapes, count, source.Coordinates, attributes, texts);
        for (int a = 0; a < arrays.Count; a++)
            foreach (var (start, n) in DatasetSource.Blocks(arrays[a], first, count))
                writer.Write(a, start - first, n, shapes[a].ElementSize == 4 ? arrays[a].Read(start, n) : arrays[a].ReadNative(start, n, checkFinite: true));
        if (texts.Length == 0) return;
        using var reader = new FieldFileReader(source.Path);
        for (int t = 0; t < texts.Length; t++)
            writer.WriteTexts(t, reader.Read<string[]>(texts[t]).AsSpan((int)first, count).ToArray());
    }
}
