using PdeOps.Datasets.Storage;
using PureHDF.VOL.Native;

namespace PdeOps.Datasets.Readers;

/// <summary>
/// Reads PDEBench single-array HDF5 files (Takamoto et al., NeurIPS 2022 Datasets and Benchmarks).
/// <list type="bullet">
/// <item>Steady problems with a coefficient (2D Darcy flow): <c>nu</c> (N, H, W) is the input
/// "coefficient" and <c>tensor</c> (N, 1, H, W), squeezed to (N, H, W), the output "solution".</item>
/// <item>Time-dependent problems without <c>nu</c> (1D Burgers, advection, reaction-diffusion):
/// <c>tensor</c> (N, T, X...) holds every time step. The input "initial_condition" is
/// <c>tensor[:, 0]</c> (N, X...) and the output "solution" is the whole tensor (N, T, X...) with
/// its time axis named "t", so <c>solution[:, 0]</c> repeats the input; the trajectory is kept
/// whole so a model may pick its own input and target steps.</item>
/// </list>
/// Coordinates come from <c>x-coordinate</c>, <c>y-coordinate</c>, <c>z-coordinate</c> and
/// <c>t-coordinate</c>; PDEBench stores T + 1 time coordinates for T steps, the extra last one is
/// dropped. Root attributes (e.g. <c>beta</c>, <c>Nu</c>) are kept. 1D trajectories get
/// <c>grid_convention</c> "periodic"; other files leave it unknown unless they carry it.
/// </summary>
internal static class PdeBenchLayout
{
    public const string TensorName = "tensor";
    public const string CoefficientName = "nu";

    public static LayoutContents Open(string path, NativeFile file)
    {
        var attributes = RootAttributes.Read(file);
        var tensor = Hdf5Arrays.Float(path, file, TensorName, minRank: 2);
        var dims = tensor.Space.Dimensions;
        var coordinates = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var axis in new[] { "x", "y", "z" })
            if (Hdf5Arrays.Has(file, $"{axis}-coordinate")) coordinates[axis] = Hdf5Arrays.ReadCoordinate(path, file, $"{axis}-coordinate");

        if (Hdf5Arrays.Has(file, CoefficientName))
        {
            var nu = Hdf5Arrays.Float(path, file, CoefficientName, minRank: 2);
            var nuDims = nu.Space.Dimensions;
            bool squeezed = dims.Length == nuDims.Length + 1 && dims[1] == 1 && dims[2..].SequenceEqual(nuDims[1..]);
            bool same = dims.Length == nuDims.Length && dims[1..].SequenceEqual(nuDims[1..]);
            if (!squeezed && !same)
                throw new DataFileException(path, $"'{TensorName}' of shape ({string.Join(", ", dims)}) does not match '{CoefficientName}' of shape ({string.Join(", ", nuDims)}); expected (N, 1, H, W) and (N, H, W)");
            attributes["family"] = "darcy";
            attributes["source_arrays"] = $"coefficient <- {CoefficientName}; solution <- {TensorName}{(squeezed ? "[:, 0]" : "")}";
            var axes = FieldArray.DefaultAxes(nuDims.Length);
            return new LayoutContents(
                [new SourceArray(path, nu, "coefficient", DatasetArrayRole.Input, StoredLayout.SamplesFirst, axes)],
                [new SourceArray(path, tensor, "solution", DatasetArrayRole.Output, squeezed ? StoredLayout.FirstOfAxis1 : StoredLayout.SamplesFirst, axes)],
                coordinates,
                attributes);
        }

        if (dims.Length < 3)
            throw new DataFileException(path, $"PDEBench '{TensorName}' of shape ({string.Join(", ", dims)}) without '{CoefficientName}'; expected a trajectory (N, T, X...)");
        int steps = (int)dims[1];
        if (Hdf5Arrays.Has(file, "t-coordinate"))
        {
            var t = Hdf5Arrays.ReadCoordinate(path, file, "t-coordinate");
            if (t.Length == steps + 1)
            {
                t = t[..steps];
                attributes["t_coordinate_note"] = $"t-coordinate holds {steps + 1} values for {steps} steps; the last was dropped";
            }
            if (t.Length == steps) coordinates["t"] = t;
            else attributes["t_coordinate_note"] = $"t-coordinate holds {t.Length} values for {steps} steps; not used";
        }
        var spatial = FieldArray.DefaultAxes(dims.Length - 1);
        IReadOnlyList<string> trajectoryAxes = [FieldArray.SampleAxis, FieldArray.TimeAxis, .. spatial.Skip(1)];
        attributes["source_arrays"] = $"initial_condition <- {TensorName}[:, 0]; solution <- {TensorName} (all {steps} time steps, the first equal to the input)";
        // PDEBench's 1D trajectories (Burgers, advection, reaction-diffusion) are solved with periodic boundaries.
        if (dims.Length == 3) attributes.TryAdd(DatasetLayout.GridConventionAttribute, DatasetGridConvention.Periodic.Name());
        return new LayoutContents(
            [new SourceArray(path, tensor, "initial_condition", DatasetArrayRole.Input, StoredLayout.FirstOfAxis1, spatial)],
            [new SourceArray(path, tensor, "solution", DatasetArrayRole.Output, StoredLayout.SamplesFirst, trajectoryAxes)],
            coordinates,
            attributes);
    }
}
