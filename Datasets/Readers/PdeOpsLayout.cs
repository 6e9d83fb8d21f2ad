using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Storage;
using PureHDF;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Readers;

/// <summary>
/// Reads the layout PdeOps writes (<see cref="DatasetLayout"/>): arrays (N, ...) named by the
/// <c>inputs</c> and <c>outputs</c> root attributes, every other 1D array a coordinate axis. An
/// array may name its axes in a dataset attribute <c>axes</c> ("n,t,x"). Otherwise they are
/// inferred from the coordinate arrays as the generators write them: with d of "x", "y", "z"
/// present, an array with d axes per sample is [n, (z,) (y,) x] and one with d + 1 axes whose
/// first has the length of "t" is [n, t, (z,) (y,) x] (Burgers (N, T, X), heat and
/// Navier-Stokes (N, T, H, W)); anything else has trailing spatial axes.
/// </summary>
internal static class PdeOpsLayout
{
    /// <summary>Dataset attribute naming the axes of an array, comma-separated, e.g. "n,t,x".</summary>
    public const string AxesAttribute = "axes";

    public static LayoutContents Open(string path, NativeFile file)
    {
        var attributes = RootAttributes.Read(file);
        SupplyGridConvention(attributes);
        var inputs = Names(path, attributes, DatasetLayout.InputsAttribute);
        var outputs = Names(path, attributes, DatasetLayout.OutputsAttribute);
        if (inputs.Count + outputs.Count == 0)
            throw new DataFileException(path, "the 'inputs' and 'outputs' attributes name no arrays");
        var coordinates = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var name in Hdf5Arrays.Names(file))
        {
            if (inputs.Contains(name) || outputs.Contains(name)) continue;
            var dataset = file.Dataset(name);
            if (dataset.Space.Dimensions.Length == 1 && dataset.Type.Class == H5DataTypeClass.FloatingPoint)
                coordinates[name] = Hdf5Arrays.ReadCoordinate(path, file, name);
        }
        return new LayoutContents(
            inputs.Select(n => Array(path, file, n, DatasetArrayRole.Input, coordinates)).ToList(),
            outputs.Select(n => Array(path, file, n, DatasetArrayRole.Output, coordinates)).ToList(),
            coordinates,
            attributes);
    }

    static SourceArray Array(string path, NativeFile file, string name, DatasetArrayRole role, Dictionary<string, double[]> coordinates)
    {
        var dataset = Hdf5Arrays.Float(path, file, name);
        var dims = dataset.Space.Dimensions;
        int rank = dims.Length;
        IReadOnlyList<string> axes = FieldArray.DefaultAxes(rank);
        int spatial = new[] { "x", "y", "z" }.TakeWhile(coordinates.ContainsKey).Count();
        if (spatial > 0 && rank == spatial + 2 && coordinates.TryGetValue(FieldArray.TimeAxis, out var t) && (ulong)t.Length == dims[1])
            axes = [FieldArray.SampleAxis, FieldArray.TimeAxis, .. FieldArray.DefaultAxes(rank - 1).Skip(1)];
        if (dataset.AttributeExists(AxesAttribute))
        {
            var named = dataset.Attribute(AxesAttribute).Read<string>().Split(',', StringSplitOptions.TrimEntries);
            if (named.Length != rank || named[0] != FieldArray.SampleAxis)
                throw new DataFileException(path, $"dataset '{name}' has axes attribute \"{string.Join(",", named)}\" that does not fit its rank {rank} with the sample axis \"n\" first");
            axes = named;
        }
        return new SourceArray(path, dataset, name, role, StoredLayout.SamplesFirst, axes);
    }

    /// <summary>
    /// Files written before the <c>grid_convention</c> attribute existed (and files converted from
    /// other formats) name their family in <c>generator</c>: a family PdeOps generates has the grid
    /// convention of its generator. Files of other families stay without one.
    /// </summary>
    static void SupplyGridConvention(Dictionary<string, object> attributes)
    {
        if (attributes.ContainsKey(DatasetLayout.GridConventionAttribute)) return;
        if (attributes.TryGetValue(DatasetLayout.GeneratorAttribute, out var family) && family is string name
            && GeneratorRegistry.Find(name) is { } generator)
            attributes[DatasetLayout.GridConventionAttribute] = generator.GridConvention.Name();
    }

    static List<string> Names(string path, Dictionary<string, object> attributes, string attribute)
    {
        if (!attributes.TryGetValue(attribute, out var value) || value is not string text)
            throw new DataFileException(path, $"PdeOps dataset without a string '{attribute}' attribute naming its arrays");
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
