using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Tools;

/// <summary>
/// Summarizes a dataset file of any supported layout: format, arrays with shapes, types and
/// statistics, and attributes. Arrays are streamed a block of samples at a time, so files larger
/// than memory can be described; NaN and infinite values are counted rather than rejected. A file
/// whose arrays declare more data than it can hold (a damaged dataspace, data never written) is
/// described from its metadata alone: statistics are skipped and the reason is given.
/// </summary>
public static class DatasetInfo
{
    /// <summary>Describes <paramref name="path"/>.</summary>
    /// <exception cref="DataFileException">The file is missing, not HDF5, damaged, or of no known layout.</exception>
    public static DatasetDescription Describe(string path)
    {
        using var source = DatasetSource.Open(path);
        string? skipped = source.ImplausibleSize();
        var arrays = new List<ArrayDescription>();
        foreach (var array in source.Arrays)
        {
            var stats = new RunningStatistics();
            if (skipped is null)
                foreach (var (first, count) in DatasetSource.Blocks(array, 0, array.Samples))
                    stats.Add(array.ReadNative(first, count, checkFinite: false));
            arrays.Add(new ArrayDescription(
                array.Name, array.Role, [array.Samples, .. array.SampleShape.Select(d => (long)d)], array.StoredType,
                array.Source, array.StoredShape.Select(d => (long)d).ToArray(),
                stats.Min, stats.Max, stats.Mean, stats.Std, stats.NonFinite));
        }
        foreach (var (name, values) in source.Coordinates)
        {
            var stats = new RunningStatistics();
            stats.Add(values);
            arrays.Add(new ArrayDescription(name, DatasetArrayRole.Coordinate, [values.Length], "float64", CoordinateSource(source.Format, name),
                [values.Length], stats.Min, stats.Max, stats.Mean, stats.Std, stats.NonFinite));
        }
        return new DatasetDescription(path, source.Format, source.Samples, arrays, RootAttributes.FormatAll(source.Attributes))
        {
            StatisticsSkipped = skipped,
        };
    }

    static string CoordinateSource(DatasetFormat format, string name) => format switch
    {
        DatasetFormat.PdeBench => $"{name}-coordinate",
        DatasetFormat.FnoMatlab when name != "t" => "inferred",
        _ => name,
    };
}
