using PdeOps.Operators.Losses;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Layers.Attention;

/// <summary>
/// Sample points of a function on a domain: coordinates (batch, n, dim) and quadrature weights
/// (batch, n) that sum to the domain's measure, so that sum_j w_j f(x_j) approximates the integral
/// of f. Attention kernels integrate over a point set; uniform grids, subsets of grids and
/// scattered points are all point sets, which is what lets one trained layer act on any of them.
/// </summary>
public sealed class PointSet : IDisposable
{
    /// <summary>Creates a point set, checking shapes and weights.</summary>
    /// <exception cref="ArgumentException">Shapes disagree, or a weight is not positive and finite.</exception>
    public PointSet(Tensor coordinates, Tensor weights)
    {
        if (coordinates.dim() != 3) throw new ArgumentException($"coordinates must be (batch, points, dim), got ({string.Join(", ", coordinates.shape)})", nameof(coordinates));
        if (weights.dim() != 2 || weights.shape[0] != coordinates.shape[0] || weights.shape[1] != coordinates.shape[1])
            throw new ArgumentException($"weights must be (batch, points) = ({coordinates.shape[0]}, {coordinates.shape[1]}) to match the coordinates, got ({string.Join(", ", weights.shape)})", nameof(weights));
        using (no_grad())
        {
            using var bad = weights.IsAtMost(0).logical_or(weights.isfinite().logical_not()).any();
            if (bad.item<bool>()) throw new ArgumentException("quadrature weights must be positive and finite", nameof(weights));
        }
        Coordinates = coordinates;
        Weights = weights;
    }

    /// <summary>Coordinates (batch, n, dim).</summary>
    public Tensor Coordinates { get; }
    /// <summary>Quadrature weights (batch, n), summing to the domain measure.</summary>
    public Tensor Weights { get; }
    /// <summary>Points per sample.</summary>
    public long Count => Coordinates.shape[1];
    /// <summary>Coordinate dimension.</summary>
    public long Dimensions => Coordinates.shape[2];

    /// <summary>
    /// The points of a uniform grid on the unit cube, in row-major order of <paramref name="grid"/>
    /// (the last axis fastest, as fields are stored), with the grid's quadrature: the trapezoidal rule
    /// on a closed vertex grid (half weights on boundary points), the rectangle rule on a periodic one.
    /// Coordinates list the axes in storage order (for a 2D [y, x] field: (y, x)).
    /// </summary>
    public static PointSet Grid(IReadOnlyList<int> grid, GridConvention convention, long batch = 1, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (grid.Count is < 1 or > 3 || grid.Any(n => n < 2)) throw new ArgumentException($"a grid needs 1 to 3 axes of at least 2 points, got ({string.Join(", ", grid)})", nameof(grid));
        using var scope = NewDisposeScope();
        var axes = new List<Tensor>();
        var axisWeights = new List<Tensor>();
        foreach (int n in grid)
        {
            if (convention == GridConvention.Periodic)
            {
                axes.Add(tensor(Enumerable.Range(0, n).Select(i => (double)i / n).ToArray()));
                axisWeights.Add(tensor(Enumerable.Repeat(1.0 / n, n).ToArray()));
            }
            else
            {
                axes.Add(linspace(0, 1, n, dtype: float64));
                axisWeights.Add(tensor(TrapezoidalWeights(n)));
            }
        }
        var mesh = meshgrid(axes, indexing: "ij");
        var coords = stack(mesh.Select(m => m.reshape(-1)).ToArray(), dim: 1);
        var wmesh = meshgrid(axisWeights, indexing: "ij");
        var weights = wmesh.Aggregate((a, b) => a * b).reshape(-1);
        var c = coords.to(dtype, device ?? CPU).unsqueeze(0).expand(batch, -1, -1).contiguous();
        var q = weights.to(dtype, device ?? CPU).unsqueeze(0).expand(batch, -1).contiguous();
        return new PointSet(c.MoveToOuterDisposeScope(), q.MoveToOuterDisposeScope());
    }

    // 1 / (n - 1) per point, halved at the two ends.
    static double[] TrapezoidalWeights(int n)
    {
        var w = Enumerable.Repeat(1.0 / (n - 1), n).ToArray();
        w[0] = w[^1] = w[0] / 2;
        return w;
    }

    /// <summary>The points <paramref name="index"/> (batch, k) of this set with their weights rescaled so that they again sum to the domain measure.</summary>
    public PointSet Subset(Tensor index)
    {
        using var scope = NewDisposeScope();
        var coords = Coordinates.gather(1, index.unsqueeze(-1).expand(-1, -1, Coordinates.shape[2]));
        var w = Weights.gather(1, index);
        var scaled = w * (Weights.sum(1, keepdim: true) / w.sum(1, keepdim: true));
        return new PointSet(coords.MoveToOuterDisposeScope(), scaled.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Quadrature weights for scattered points estimated from their density: the volume of the ball
    /// reaching each point's k-th nearest neighbour stands for 1/(density), normalised so that the
    /// weights sum to <paramref name="measure"/>. Consistent as the points fill the domain; an
    /// estimate for callers that have no better weights (Voronoi areas, mesh cell measures).
    /// </summary>
    public static Tensor EstimateWeights(Tensor coordinates, int k = 8, double measure = 1.0)
    {
        if (coordinates.dim() != 3) throw new ArgumentException("coordinates must be (batch, points, dim)", nameof(coordinates));
        long n = coordinates.shape[1];
        if (k < 1 || k >= n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [1, {n - 1}]");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long d = coordinates.shape[2];
        var radii = new List<Tensor>();
        // Chunks of rows keep the distance matrix at 1024 x n.
        for (long first = 0; first < n; first += 1024)
        {
            long count = Math.Min(1024, n - first);
            var dist = cdist(coordinates.narrow(1, first, count), coordinates);
            radii.Add(dist.topk(k + 1, dim: 2, largest: false).values.select(2, k));
        }
        var volume = cat(radii, 1).Power(d);
        return (volume * (measure / volume.sum(1, keepdim: true))).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the tensors.</summary>
    public void Dispose()
    {
        Coordinates.Dispose();
        Weights.Dispose();
    }
}
