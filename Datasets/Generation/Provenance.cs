using System.Globalization;
using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Generation;

/// <summary>
/// Compares the provenance attributes of an existing output file with those a run would write,
/// so a resumed run whose output is already finished can tell "complete" from "another run's file".
/// </summary>
internal static class Provenance
{
    static readonly string[] Compared =
    [
        DatasetLayout.FormatAttribute, DatasetLayout.GeneratorAttribute, DatasetLayout.TotalSamplesAttribute,
        DatasetLayout.FirstSampleAttribute, DatasetLayout.ResolutionAttribute, DatasetLayout.FineResolutionAttribute,
        DatasetLayout.SeedAttribute, DatasetLayout.DtypeAttribute, DatasetLayout.ParametersAttribute, DatasetLayout.ShardAttribute,
    ];

    /// <summary>Null when <paramref name="path"/> holds this run's data; otherwise the first difference in words.</summary>
    public static string? Difference(string path, IReadOnlyDictionary<string, object> expected, GeneratorPlan plan, long samples)
    {
        try
        {
            using var reader = new FieldFileReader(path);
            foreach (var name in Compared)
            {
                string? want = expected.TryGetValue(name, out var value) ? Text(value) : null;
                string? have = reader.Attribute(name);
                if (want != have) return $"{name} is {have ?? "(not set)"} in the file, {want ?? "(not set)"} now";
            }
            foreach (var array in plan.Arrays)
            {
                var dims = reader.Dimensions(array.Name);
                ulong[] want = [(ulong)samples, .. array.SampleShape.Select(d => (ulong)d)];
                if (!dims.SequenceEqual(want))
                    return $"array '{array.Name}' has shape ({string.Join(", ", dims)}), expected ({string.Join(", ", want)})";
            }
            return null;
        }
        catch (DataFileException e) { return $"it is not a readable dataset: {e.Message}"; }
        catch (Exception e) when (e is not OutOfMemoryException) { return $"it is not a readable dataset: {e.Message}"; }
    }

    static string Text(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
