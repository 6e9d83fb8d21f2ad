using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Readers;

/// <summary>
/// Reads PdeOps, PDEBench and FNO MATLAB v7.3 dataset files into an <see cref="OperatorDataset"/>.
/// Every array comes back as float32, samples first, in the orientation documented per format:
/// PdeOps and PDEBench arrays as stored (C order), MATLAB arrays with all axes reversed as FNO's
/// <c>MatReader</c> does. Non-finite values, unequal sample counts and unknown layouts are errors.
/// </summary>
/// <remarks>
/// What each layout yields:
/// <list type="bullet">
/// <item>PdeOps: the arrays named by the <c>inputs</c> and <c>outputs</c> attributes, 1D arrays as
/// coordinates; time-dependent outputs (N, T, ...) get axes [n, t, ...] when a "t" coordinate matches.</item>
/// <item>PDEBench Darcy: input "coefficient" = <c>nu</c> (N, H, W), output "solution" =
/// <c>tensor</c> (N, 1, H, W) squeezed to (N, H, W).</item>
/// <item>PDEBench trajectories (1D Burgers <c>tensor</c> (N, T, X)): input "initial_condition" =
/// <c>tensor[:, 0]</c> (N, X); output "solution" = the whole tensor (N, T, X) including t0, so a
/// model can choose its input and target steps; "t" holds the T first values of <c>t-coordinate</c>.</item>
/// <item>FNO .mat: Darcy "coefficient"/"solution" (N, H, W), Burgers "initial_condition"/"solution"
/// (N, X), Navier-Stokes "initial_condition" (N, H, W) and "solution" (N, H, W, T); the attribute
/// "orientation" records that MATLAB's axes were reversed.</item>
/// </list>
/// Attributes of the file are copied as text, with what the reader inferred ("family",
/// "source_arrays", notes on coordinates).
/// </remarks>
public static class DatasetReader
{
    /// <summary>Recognizes the layout of <paramref name="path"/>.</summary>
    /// <exception cref="DataFileException">The file is missing, not HDF5, damaged, or of no known layout.</exception>
    public static DatasetFormat Detect(string path)
    {
        using var source = DatasetSource.Open(path);
        return source.Format;
    }

    /// <summary>Reads the first <paramref name="maxSamples"/> samples (all when null) of <paramref name="path"/>.</summary>
    /// <exception cref="DataFileException">The file cannot be read, its layout is unknown, its sample counts differ, or it holds NaN or infinite values.</exception>
    public static OperatorDataset Read(string path, int? maxSamples = null)
    {
        if (maxSamples is < 0) throw new ArgumentOutOfRangeException(nameof(maxSamples), "the number of samples to read cannot be negative");
        using var source = DatasetSource.Open(path);
        int count = (int)Math.Min(source.Samples, maxSamples ?? int.MaxValue);
        FieldArray Load(SourceArray array) =>
            new(array.Name, source.ReadAll(array, 0, count), array.Shape(count)) { Axes = array.Axes };
        return new OperatorDataset(
            path,
            source.Format,
            source.Inputs.Select(Load).ToArray(),
            source.Outputs.Select(Load).ToArray(),
            new Dictionary<string, double[]>(source.Coordinates, StringComparer.Ordinal),
            RootAttributes.FormatAll(source.Attributes));
    }
}
