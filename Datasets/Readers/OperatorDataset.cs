using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Readers;

/// <summary>
/// A dataset of operator-learning pairs held in memory, whatever file it came from: input fields
/// (e.g. the Darcy coefficient), output fields (the solution), 1D coordinate axes ("x", "y", "t")
/// and the file's attributes as text. Every array has the same number of samples along its first
/// axis. Read one with <see cref="DatasetReader.Read"/>.
/// </summary>
/// <param name="SourcePath">The file read.</param>
/// <param name="Format">The layout of that file.</param>
/// <param name="Inputs">Input fields, each (N, ...).</param>
/// <param name="Outputs">Output fields, each (N, ...).</param>
/// <param name="Coordinates">Coordinate axes by name ("x", "y", "t" ...).</param>
/// <param name="Attributes">Provenance and parameters, as invariant-culture text.</param>
public sealed record OperatorDataset(
    string SourcePath,
    DatasetFormat Format,
    IReadOnlyList<FieldArray> Inputs,
    IReadOnlyList<FieldArray> Outputs,
    IReadOnlyDictionary<string, double[]> Coordinates,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>
    /// Where the grid points lie, from the <c>grid_convention</c> attribute, which the readers
    /// supply for files without it where the format tells (PdeOps files from their generator,
    /// FNO .mat files, PDEBench 1D trajectories); null when unknown.
    /// </summary>
    public DatasetGridConvention? GridConvention =>
        DatasetGridConventions.Parse(Attributes.GetValueOrDefault(DatasetLayout.GridConventionAttribute));

    /// <summary>Number of samples (the common first dimension of all fields).</summary>
    public int Samples => Inputs.Count > 0 ? Inputs[0].Samples : Outputs.Count > 0 ? Outputs[0].Samples : 0;

    /// <summary>The input field named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No input has that name.</exception>
    public FieldArray Input(string name) => Find(Inputs, name, "input");

    /// <summary>The output field named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No output has that name.</exception>
    public FieldArray Output(string name) => Find(Outputs, name, "output");

    /// <summary>Samples <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 of every field.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside 0..<see cref="Samples"/> - 1.</exception>
    public OperatorDataset Slice(int first, int count)
    {
        FieldArray.CheckRange(first, count, Samples);
        return this with
        {
            Inputs = Inputs.Select(f => f.Slice(first, count)).ToArray(),
            Outputs = Outputs.Select(f => f.Slice(first, count)).ToArray(),
        };
    }

    /// <summary>
    /// Keeps every <paramref name="stride"/>-th grid point along each spatial axis of every field
    /// and of the matching coordinate arrays ("x", "y", "z"), starting with the first point; time
    /// axes are kept whole. On a vertex grid of n points with (n - 1) divisible by the stride both
    /// ends are kept (421 -> 211 for stride 2), as in FNO's <c>[::r]</c> subsampling.
    /// </summary>
    public OperatorDataset Subsample(int stride)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        if (stride == 1) return this;
        var coordinates = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (name, values) in Coordinates)
            coordinates[name] = name is "x" or "y" or "z" ? values.Where((_, i) => i % stride == 0).ToArray() : values;
        var attributes = new Dictionary<string, string>(Attributes, StringComparer.Ordinal)
        {
            ["subsample_stride"] = (Attributes.TryGetValue("subsample_stride", out var s) ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) * stride : stride)
                .ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return this with
        {
            Inputs = Inputs.Select(f => f.Subsample(stride)).ToArray(),
            Outputs = Outputs.Select(f => f.Subsample(stride)).ToArray(),
            Coordinates = coordinates,
            Attributes = attributes,
        };
    }

    static FieldArray Find(IReadOnlyList<FieldArray> fields, string name, string role) =>
        fields.FirstOrDefault(f => f.Name == name)
        ?? throw new KeyNotFoundException($"no {role} named '{name}' (have: {string.Join(", ", fields.Select(f => f.Name))})");
}
