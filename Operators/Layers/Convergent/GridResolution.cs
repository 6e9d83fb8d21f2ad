using PdeOps.Operators.Losses;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace PdeOps.Operators.Layers;

/// <summary>
/// Spacing, refinement and resampling of uniform grids on the unit interval, shared by the layers
/// that keep their meaning when the grid changes: a layer defined on a reference grid compares
/// the spacing it is given with the reference spacing and rescales its stencil, or resamples.
/// </summary>
public static class GridResolution
{
    /// <summary>How a same-padded convolution sees beyond the edge: zeros on closed grids, wrap-around on periodic ones.</summary>
    internal static PaddingModes PaddingFor(GridConvention convention) =>
        convention == GridConvention.Periodic ? PaddingModes.Circular : PaddingModes.Zeros;

    /// <summary>The spacing of <paramref name="points"/> samples: 1/(n-1) on a closed grid, 1/n on a periodic one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 points on a closed grid, or fewer than 1.</exception>
    public static double Spacing(long points, GridConvention convention)
    {
        long minimum = convention == GridConvention.Closed ? 2 : 1;
        if (points < minimum)
            throw new ArgumentOutOfRangeException(nameof(points), points, $"a {convention.ToString().ToLowerInvariant()} grid needs at least {minimum} points");
        return convention == GridConvention.Closed ? 1.0 / (points - 1) : 1.0 / points;
    }

    /// <summary>How many times finer a grid of <paramref name="points"/> is than one of <paramref name="reference"/> points (1 when equal).</summary>
    public static double Refinement(long reference, long points, GridConvention convention) =>
        Spacing(reference, convention) / Spacing(points, convention);

    /// <summary>
    /// Points of the grid that covers the same interval as a grid of <paramref name="points"/>,
    /// refined by <paramref name="refinement"/> (rounded to the nearest whole grid, at least 1 interval).
    /// </summary>
    public static long Scaled(long points, double refinement, GridConvention convention) => convention == GridConvention.Closed
        ? Math.Max(2, (long)Math.Round((points - 1) * refinement) + 1)
        : Math.Max(1, (long)Math.Round(points * refinement));

    /// <summary>
    /// Samples a channels-first field (batch, channels, H, W) at the points of a grid of
    /// <paramref name="height"/> x <paramref name="width"/> points by injection: each point takes the
    /// value at the nearest point of the field's grid (both spanning the unit square as in
    /// <see cref="Resample"/>). Unlike interpolation it makes no values the field does not hold, so a
    /// field with jumps (a piecewise constant coefficient) stays piecewise constant with the same
    /// values; on a grid that contains the target's points it is exact. Returns the input when the size matches.
    /// </summary>
    public static Tensor Inject(Tensor field, long height, long width, GridConvention convention)
    {
        if (field.dim() != 4) throw new ArgumentException($"expected a (batch, channels, H, W) field, got ({string.Join(", ", field.shape)})", nameof(field));
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"cannot inject into {height}x{width} points");
        if (field.shape[2] == height && field.shape[3] == width) return field.alias();
        using var scope = NewDisposeScope();
        var rows = NearestPoints(field.shape[2], height, convention, field.device);
        var columns = NearestPoints(field.shape[3], width, convention, field.device);
        return field.index_select(2, rows).index_select(3, columns).MoveToOuterDisposeScope();
    }

    // For each of `to` points of a grid, the index of the nearest of `from` points of another grid over the same interval.
    static Tensor NearestPoints(long from, long to, GridConvention convention, Device device)
    {
        var indices = new long[to];
        for (long i = 0; i < to; i++)
        {
            double position = convention == GridConvention.Closed
                ? (to == 1 ? 0 : i * (double)(from - 1) / (to - 1))
                : i * (double)from / to;
            indices[i] = (long)Math.Round(position) % from;
        }
        return tensor(indices, device: device);
    }

    /// <summary>
    /// Resamples a channels-first field (batch, channels, H, W) to <paramref name="height"/> x
    /// <paramref name="width"/> points by bilinear interpolation between the two grids' points,
    /// both spanning the unit square: corners on corners on a closed grid, the first point fixed
    /// and the last wrapping to the first on a periodic one. Returns the input when the size matches.
    /// Interpolating at the points of the same grid is exact, so resampling by a whole factor
    /// keeps every shared point's value.
    /// </summary>
    public static Tensor Resample(Tensor field, long height, long width, GridConvention convention)
    {
        if (field.dim() != 4) throw new ArgumentException($"expected a (batch, channels, H, W) field, got ({string.Join(", ", field.shape)})", nameof(field));
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"cannot resample to {height}x{width} points");
        if (field.shape[2] == height && field.shape[3] == width) return field.alias();
        if (convention == GridConvention.Closed)
            return F.interpolate(field, new[] { height, width }, mode: InterpolationMode.Bilinear, align_corners: true);
        using var scope = NewDisposeScope();
        // A periodic grid of n points is the closed grid of n + 1 points whose last point repeats the first.
        var closed = F.pad(field, new long[] { 0, 1, 0, 1 }, PaddingModes.Circular);
        var resampled = F.interpolate(closed, new[] { height + 1, width + 1 }, mode: InterpolationMode.Bilinear, align_corners: true);
        return resampled.narrow(2, 0, height).narrow(3, 0, width).MoveToOuterDisposeScope();
    }
}
