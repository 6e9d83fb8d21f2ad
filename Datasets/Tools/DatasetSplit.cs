using System.Globalization;
using PdeOps.Datasets.Readers;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.IO;

namespace PdeOps.Datasets.Tools;

/// <summary>
/// Splits a dataset file into a training file and a test file in the PdeOps layout: the first
/// <c>train</c> samples, then the next <c>test</c> samples, in file order (shuffle when generating,
/// not here, so a split is reproducible from the source file alone).
/// </summary>
public static class DatasetSplit
{
    /// <summary>Value of the "split" attribute of the training file.</summary>
    public const string TrainSplit = "train";
    /// <summary>Value of the "split" attribute of the test file.</summary>
    public const string TestSplit = "test";
    /// <summary>Attribute naming the split a file holds.</summary>
    public const string SplitAttribute = "split";

    /// <summary>
    /// Writes samples 0 .. <paramref name="train"/> - 1 of <paramref name="path"/> to
    /// <paramref name="trainPath"/> and the next <paramref name="test"/> samples to
    /// <paramref name="testPath"/>. Both files keep every attribute of the source, with
    /// <c>split</c> set to "train" or "test" and <c>first_sample</c> moved to the file's first
    /// sample in the whole run. A PdeOps source keeps its precision; PDEBench and MATLAB sources
    /// are converted to float32 as <see cref="DatasetConversion.Convert"/> does. Both files are
    /// written as FILE.partial and renamed only when both are complete: either both appear or neither.
    /// </summary>
    /// <param name="path">The source file.</param>
    /// <param name="trainPath">The training file to write.</param>
    /// <param name="testPath">The test file to write.</param>
    /// <param name="train">Samples in the training file.</param>
    /// <param name="test">Samples in the test file.</param>
    /// <param name="overwrite">Replace existing output files; without it an existing output is an error and nothing is written.</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1, or <paramref name="train"/> + <paramref name="test"/> exceeds the samples in the file.</exception>
    /// <exception cref="ArgumentException">Two of the paths are the same file.</exception>
    /// <exception cref="DataFileException">The source cannot be read or holds non-finite values, or an output exists without <paramref name="overwrite"/>.</exception>
    public static void Split(string path, string trainPath, string testPath, int train, int test, bool overwrite = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(train, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(test, 1);
        if (string.Equals(Path.GetFullPath(trainPath), Path.GetFullPath(testPath), StringComparison.Ordinal))
            throw new ArgumentException($"the train and test files are the same path '{trainPath}'", nameof(testPath));
        if (!overwrite)
            foreach (var output in new[] { trainPath, testPath })
                if (File.Exists(output) || Directory.Exists(output))
                    throw new DataFileException(output, "the output file exists; choose another name, delete it, or pass --overwrite");
        using var source = DatasetSource.Open(path);
        DatasetFileWriter.CheckNotSource(trainPath, source);
        DatasetFileWriter.CheckNotSource(testPath, source);
        source.RequirePlausibleSize();
        if ((long)train + test > source.Samples)
            throw new ArgumentOutOfRangeException(nameof(test), $"{train} train + {test} test = {(long)train + test} samples requested, but {path} holds {source.Samples}");

        bool native = source.Format == DatasetFormat.PdeOps;
        var attributes = native ? new Dictionary<string, object>(source.Attributes, StringComparer.Ordinal) : DatasetConversion.ConvertedAttributes(source);
        long firstInRun = attributes.TryGetValue(DatasetLayout.FirstSampleAttribute, out var f) ? ToLong(f) : 0;

        AtomicFile.WriteAll([trainPath, testPath], partials =>
        {
            attributes[SplitAttribute] = TrainSplit;
            attributes[DatasetLayout.FirstSampleAttribute] = firstInRun;
            DatasetFileWriter.WriteTo(partials[0], source, 0, train, attributes, toFloat32: !native);

            attributes[SplitAttribute] = TestSplit;
            attributes[DatasetLayout.FirstSampleAttribute] = firstInRun + train;
            DatasetFileWriter.WriteTo(partials[1], source, train, test, attributes, toFloat32: !native);
        });
    }

    static long ToLong(object value) => value switch
    {
        long l => l,
        double d => (long)d,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) => l,
        _ => 0,
    };
}
