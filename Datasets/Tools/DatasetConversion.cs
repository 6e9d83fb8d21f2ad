using System.Globalization;
using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Tools;

/// <summary>
/// Converts PDEBench HDF5 files and FNO MATLAB v7.3 .mat files into the PdeOps layout (see
/// <see cref="DatasetLayout"/>), so training and tools read every dataset one way. Arrays are
/// written float32 in the orientation <see cref="DatasetReader"/> presents (samples first, MATLAB
/// axes reversed), with coordinates x, y, t where known and the source's attributes kept.
/// </summary>
public static class DatasetConversion
{
    /// <summary>Attribute recording the format and path of the converted file, e.g. "PdeBench:/data/darcy.hdf5".</summary>
    public const string ConvertedFromAttribute = "converted_from";

    /// <summary>Writes <paramref name="inputPath"/> to <paramref name="outputPath"/> in the PdeOps layout, float32, streaming a block of samples at a time.</summary>
    /// <exception cref="DataFileException">The input cannot be read, is of no known layout, or holds non-finite values.</exception>
    /// <exception cref="ArgumentException">Both paths name the same file.</exception>
    public static void Convert(string inputPath, string outputPath)
    {
        using var source = DatasetSource.Open(inputPath);
        source.RequirePlausibleSize();
        if (source.Samples > int.MaxValue)
            throw new DataFileException(inputPath, $"holds {source.Samples} samples, more than one file can be converted at once ({int.MaxValue}); split it first");
        DatasetFileWriter.Write(outputPath, source, 0, (int)source.Samples, ConvertedAttributes(source), toFloat32: true);
    }

    /// <summary>The root attributes of a converted file: the source's own, then the PdeOps layout ones.</summary>
    internal static Dictionary<string, object> ConvertedAttributes(DatasetSource source)
    {
        var attributes = new Dictionary<string, object>(source.Attributes, StringComparer.Ordinal);
        string family = source.Attributes.TryGetValue("family", out var f) && f is string s ? s : source.Format.ToString().ToLowerInvariant();
        attributes[DatasetLayout.FormatAttribute] = DatasetLayout.FormatName;
        attributes[DatasetLayout.VersionAttribute] = DatasetLayout.Version;
        attributes.TryAdd(DatasetLayout.GeneratorAttribute, family);
        attributes[DatasetLayout.InputsAttribute] = string.Join(",", source.Inputs.Select(a => a.Name));
        attributes[DatasetLayout.OutputsAttribute] = string.Join(",", source.Outputs.Select(a => a.Name));
        attributes[DatasetLayout.TotalSamplesAttribute] = source.Samples;
        attributes[DatasetLayout.FirstSampleAttribute] = 0L;
        attributes[DatasetLayout.DtypeAttribute] = "float32";
        attributes[ConvertedFromAttribute] = $"{source.Format}:{Path.GetFullPath(source.Path)}";
        attributes[DatasetLayout.CreatedAttribute] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var spatial = source.Inputs.Concat(source.Outputs).First();
        var lengths = spatial.SampleShape.Where((_, i) => spatial.Axes[i + 1] is "x" or "y" or "z").Distinct().ToList();
        if (lengths.Count == 1) attributes.TryAdd(DatasetLayout.ResolutionAttribute, (long)lengths[0]);
        return attributes;
    }
}
