using PdeOps.Operators.Inference;
using PdeOps.Operators.Losses;
using static TorchSharp.torch;

namespace PdeOps.Operators.Training;

/// <summary>
/// The grids a multi-resolution run's batches cycle through (<see cref="TrainingOptions.Resolutions"/>),
/// each reached by subsampling the training data: batch b of the run (counted over all epochs) is
/// trained on grid b mod count, so a resumed run sees the same grids in the same order.
/// </summary>
public static class TrainingResolutions
{
    /// <summary>
    /// The subsampling stride of each of <paramref name="resolutions"/> (points per axis) from the
    /// training grid <paramref name="grid"/>; [1] when none are given.
    /// </summary>
    /// <exception cref="ArgumentException">The grid is not square, or a resolution cannot be reached by subsampling it.</exception>
    public static int[] Strides(IReadOnlyList<int>? resolutions, IReadOnlyList<int> grid, GridConvention convention)
    {
        ArgumentNullException.ThrowIfNull(grid);
        if (resolutions is null || resolutions.Count == 0) return [1];
        if (grid.Distinct().Count() > 1)
            throw new ArgumentException($"training at several resolutions needs a grid with as many points on every axis, got {string.Join("x", grid)}");
        return resolutions.Select(r => OperatorEvaluation.StrideTo(grid[0], r, convention)).ToArray();
    }

    /// <summary>
    /// The coarsest grid the run trains on: the smallest of <paramref name="resolutions"/> on every
    /// axis, once <see cref="Strides"/> has checked that the data reach them; <paramref name="grid"/> when none are given.
    /// </summary>
    /// <exception cref="ArgumentException">As <see cref="Strides"/>.</exception>
    public static int[] Coarsest(IReadOnlyList<int>? resolutions, IReadOnlyList<int> grid, GridConvention convention)
    {
        Strides(resolutions, grid, convention);
        return resolutions is null || resolutions.Count == 0 ? grid.ToArray() : grid.Select(_ => resolutions.Min()).ToArray();
    }

    /// <summary>The points of a (batch, channels, grid...) tensor that lie on the grid subsampled by <paramref name="stride"/> (a view).</summary>
    internal static Tensor Subsample(Tensor field, int stride, int spatialDims)
    {
        if (stride == 1) return field;
        for (long d = field.dim() - spatialDims; d < field.dim(); d++) field = field.slice(d, 0, field.shape[d], stride);
        return field;
    }
}
