using System.Globalization;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.IO;

namespace PdeOps.Datasets.Generation;

/// <summary>
/// Joins the shard files of one generation run (<c>pdeops generate ... --shard k/n</c>) into one
/// file whose arrays are byte-identical to a single-process run: the shards must come from the
/// same generator, parameters, seed, resolutions and dtype, and together cover every sample once.
/// </summary>
public static class ShardMerge
{
    static readonly string[] MustAgree =
    [
        DatasetLayout.GeneratorAttribute, DatasetLayout.ParametersAttribute, DatasetLayout.SeedAttribute,
        DatasetLayout.TotalSamplesAttribute, DatasetLayout.ResolutionAttribute, DatasetLayout.FineResolutionAttribute,
        DatasetLayout.DtypeAttribute, DatasetLayout.InputsAttribute, DatasetLayout.OutputsAttribute,
    ];

    /// <summary>Merges <paramref name="shards"/> (any order) into <paramref name="outputPath"/>; returns the sample count.</summary>
    /// <exception cref="DataFileException">A shard is missing, duplicated, of another run, or unreadable.</exception>
    public static long Merge(IReadOnlyList<string> shards, string outputPath, bool overwrite = false)
    {
        if (shards.Count == 0) throw new ArgumentException("no shard files given");
        if (File.Exists(outputPath) && !overwrite) throw new DataFileException(outputPath, "the output file exists; choose another name or pass --overwrite");
        var readers = new List<FieldFileReader>();
        try
        {
            foreach (var path in shards) readers.Add(new FieldFileReader(path));
            var ordered = Validate(readers);
            var first = ordered[0];
            long total = Long(first, DatasetLayout.TotalSamplesAttribute);
            var arrays = ArrayNames(first).Select(name =>
            {
                var dims = first.Dimensions(name);
                return new SampleArrayShape(name, dims.Skip(1).Select(d => (int)d).ToArray(), first.ElementSize(name));
            }).ToList();
            var texts = (first.Attribute(DatasetLayout.TextsAttribute) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            var coordinates = first.DatasetNames.Where(n => first.Dimensions(n).Length == 1 && !arrays.Any(a => a.Name == n) && !texts.Contains(n))
                .ToDictionary(n => n, n => first.ReadFlatDouble(n).Values);
            var attributes = CopyAttributes(first, ordered.Count);
            AtomicFile.Write(outputPath, partial =>
            {
                using var writer = new SampleArrayFileWriter(partial, arrays, total, coordinates, attributes, texts);
                var mergedTexts = texts.Select(_ => new string[total]).ToArray();
                foreach (var shard in ordered)
                {
                    long offset = Long(shard, DatasetLayout.FirstSampleAttribute);
                    long count = (long)shard.Dimensions(arrays[0].Name)[0];
                    for (int t = 0; t < texts.Length; t++) shard.Read<string[]>(texts[t]).CopyTo(mergedTexts[t], offset);
                    for (int a = 0; a < arrays.Count; a++)
                    {
                        int block = (int)Math.Max(1, Math.Min(count, (16L << 20) / Math.Max(1, arrays[a].SampleLength * arrays[a].ElementSize)));
                        for (long s = 0; s < count; s += block)
                        {
                            int n = (int)Math.Min(block, count - s);
                            writer.Write(a, offset + s, n, shard.ReadSamples(arrays[a].Name, s, n));
                        }
                    }
                }
                for (int t = 0; t < texts.Length; t++) writer.WriteTexts(t, mergedTexts[t]);
            });
            return total;
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    static ShardSpec Shard(FieldFileReader reader)
    {
        try { return ShardSpec.Parse(reader.Attribute(DatasetLayout.ShardAttribute)!); }
        catch (FormatException e) { throw new DataFileException(reader.Path, $"attribute 'shard' is damaged: {e.Message}", e); }
    }

    static long Long(FieldFileReader reader, string name) =>
        long.TryParse(reader.Attribute(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new DataFileException(reader.Path, $"attribute '{name}' is missing or not a whole number ({reader.Attribute(name) ?? "absent"}); not a complete shard file");

    static IEnumerable<string> ArrayNames(FieldFileReader reader) =>
        (reader.Attribute(DatasetLayout.InputsAttribute) + "," + reader.Attribute(DatasetLayout.OutputsAttribute))
        .Split(',', StringSplitOptions.RemoveEmptyEntries);

    static List<FieldFileReader> Validate(List<FieldFileReader> readers)
    {
        foreach (var r in readers)
        {
            if (r.Attribute(DatasetLayout.FormatAttribute) != DatasetLayout.FormatName)
                throw new DataFileException(r.Path, "not a PdeOps dataset file (no format attribute 'pdeops-dataset')");
            if (r.Attribute(DatasetLayout.ShardAttribute) is null)
                throw new DataFileException(r.Path, "not a shard (no 'shard' attribute); merge takes the files written with --shard k/n");
        }
        var reference = readers[0];
        foreach (var r in readers.Skip(1))
            foreach (var name in MustAgree)
                if (r.Attribute(name) != reference.Attribute(name))
                    throw new DataFileException(r.Path, $"attribute '{name}' is {r.Attribute(name)} but {reference.Attribute(name)} in {reference.Path}: shards of different runs");
        var shardCounts = readers.Select(r => Shard(r)).ToList();
        int n = shardCounts[0].Count;
        if (shardCounts.Any(s => s.Count != n)) throw new DataFileException(reference.Path, "the shards were written with different shard counts");
        var byIndex = readers.Zip(shardCounts).GroupBy(p => p.Second.Index).ToList();
        if (byIndex.FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            throw new DataFileException(duplicate.Skip(1).First().First.Path, $"shard {duplicate.Key}/{n} is given twice");
        var missing = Enumerable.Range(0, n).Except(byIndex.Select(g => g.Key)).ToList();
        if (missing.Count > 0)
            throw new DataFileException(reference.Path, $"missing shard(s) {string.Join(", ", missing.Select(k => $"{k}/{n}"))} of {n}");
        long total = Long(reference, DatasetLayout.TotalSamplesAttribute);
        var ordered = readers.Zip(shardCounts).OrderBy(p => p.Second.Index).Select(p => p.First).ToList();
        long expected = 0;
        foreach (var r in ordered)
        {
            var shard = Shard(r);
            var (first, length) = shard.Range(total);
            long recorded = Long(r, DatasetLayout.FirstSampleAttribute);
            long stored = (long)r.Dimensions(ArrayNames(r).First())[0];
            if (recorded != first || first != expected || stored != length)
                throw new DataFileException(r.Path, $"shard {shard} should hold samples [{first}, {first + length}) but holds [{recorded}, {recorded + stored})");
            expected += length;
        }
        return ordered;
    }

    static Dictionary<string, object> CopyAttributes(FieldFileReader reader, int shards)
    {
        var attributes = new Dictionary<string, object>();
        foreach (var (name, value) in reader.AllAttributes())
        {
            if (name is DatasetLayout.ShardAttribute) continue;
            attributes[name] = value;
        }
        attributes[DatasetLayout.FirstSampleAttribute] = 0L;
        attributes["merged_from_shards"] = (long)shards;
        attributes[DatasetLayout.CreatedAttribute] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return attributes;
    }
}
