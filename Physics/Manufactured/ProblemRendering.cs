using System.Buffers;
using PdeOps.Physics.Geometry;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Manufactured;

/// <summary>
/// A problem as HyPINO's five input channels on the n × n vertex grid of [−1, 1]², each a flat
/// row-major [y, x] array with y ascending: Dirichlet mask, Neumann mask, Dirichlet values,
/// Neumann values (the outward normal derivative), and sign(f) log(1 + |f|) on the domain's closure
/// (0 inside holes and where f is not defined).
/// </summary>
/// <param name="Resolution">Points per side.</param>
/// <param name="Channels">The five channels, each of length Resolution².</param>
public sealed record RenderedProblem(int Resolution, float[][] Channels)
{
    /// <summary>Channel names in order.</summary>
    public static IReadOnlyList<string> ChannelNames { get; } = ["dirichlet_mask", "neumann_mask", "dirichlet_value", "neumann_value", "log_source"];
}

/// <summary>
/// An approximate solution as <see cref="ProblemRendering.RenderResidual"/> needs it, each function
/// taking coordinate arrays and returning values at those points: u, the outward normal derivative
/// n · ∇u (given the normals), and L u for the problem's operator.
/// </summary>
/// <param name="U">u(x, y).</param>
/// <param name="NormalDerivative">n · ∇u at (x, y) with normal (nx, ny).</param>
/// <param name="OperatorApplied">(L u)(x, y).</param>
public sealed record CurrentSolution(Func<double[], double[], double[]> U, Func<double[], double[], double[], double[], double[]> NormalDerivative,
    Func<double[], double[], double[]> OperatorApplied);

/// <summary>Renders <see cref="Problem2D"/>s to <see cref="RenderedProblem"/>s.</summary>
public static class ProblemRendering
{
    /// <summary>
    /// Marks every grid point within <paramref name="bandInCells"/> grid spacings of a boundary
    /// point that carries a condition of that kind (on either side of the curve, as HyPINO's
    /// rasterisation does), with the value of the nearest such point. Boundary points are laid
    /// every quarter spacing along the curves.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The resolution is below 8 or the band not positive.</exception>
    public static RenderedProblem Render(Problem2D problem, int resolution = 224, double bandInCells = 1.25) =>
        Render(problem, null, 1, resolution, bandInCells);

    /// <summary>
    /// Renders the residual problem of <paramref name="problem"/> for the approximation
    /// <paramref name="current"/>: the same operator, domain and condition layout, with data
    /// g_D − u, g_N − ∂u/∂n and f − L u, all multiplied by <paramref name="scale"/>. Its solution,
    /// divided by the scale, is the correction that makes <paramref name="current"/> exact (L is linear).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The resolution is below 8, the band not positive or the scale not finite and positive.</exception>
    public static RenderedProblem RenderResidual(Problem2D problem, CurrentSolution current, double scale, int resolution = 224, double bandInCells = 1.25)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (!(scale > 0) || !double.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be positive and finite");
        return Render(problem, current, scale, resolution, bandInCells);
    }

    /// <summary>
    /// Renders the five channels of <paramref name="problem"/> into <paramref name="channels"/>
    /// (5 n² values, [channel, y, x], the layout of <see cref="RenderedProblem.Channels"/> one after
    /// the other, in double precision) and, when <paramref name="solution"/> is given, the exact
    /// solution u at the vertices into it (n² values; 0 for a problem without one). u and f are
    /// evaluated together, sharing their parts. When <paramref name="mask"/> is given, the domain's
    /// closure mask (<see cref="Domain2D.ClosureMask"/>) is written into it: the rendering needs it
    /// anyway, to keep f off the holes. Arrays are overwritten completely, so reused ones need no
    /// clearing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The resolution is below 8 or the band not positive.</exception>
    /// <exception cref="ArgumentException">An array is shorter than the values it must hold.</exception>
    public static void RenderInto(Problem2D problem, int resolution, double[] channels, double[]? solution = null, double bandInCells = 1.25, double[]? mask = null)
    {
        ArgumentNullException.ThrowIfNull(channels);
        Check(resolution, bandInCells);
        var planes = 5L * resolution * resolution;
        if (channels.Length < planes) throw new ArgumentException($"the channels take {planes} values; the array holds {channels.Length}", nameof(channels));
        if (solution is not null && solution.Length < resolution * resolution)
            throw new ArgumentException($"the solution takes {resolution * resolution} values; the array holds {solution.Length}", nameof(solution));
        if (mask is not null && mask.Length < resolution * resolution)
            throw new ArgumentException($"the mask takes {resolution * resolution} values; the array holds {mask.Length}", nameof(mask));
        RenderCore(problem, null, 1, resolution, bandInCells, channels, solution, mask);
    }

    static RenderedProblem Render(Problem2D problem, CurrentSolution? current, double scale, int resolution, double bandInCells)
    {
        Check(resolution, bandInCells);
        var n = resolution;
        var values = ArrayPool<double>.Shared.Rent(5 * n * n);
        RenderCore(problem, current, scale, n, bandInCells, values, null, null);
        var channels = Enumerable.Range(0, 5).Select(c =>
        {
            var plane = new float[n * n];
            for (var k = 0; k < plane.Length; k++) plane[k] = (float)values[c * n * n + k];
            return plane;
        }).ToArray();
        ArrayPool<double>.Shared.Return(values);
        return new RenderedProblem(n, channels);
    }

    static void Check(int resolution, double bandInCells)
    {
        if (resolution < 8) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "render at 8 points per side or more");
        if (!(bandInCells > 0)) throw new ArgumentOutOfRangeException(nameof(bandInCells), bandInCells, "the band must be positive");
    }

    // Channel c occupies channels[c n², (c + 1) n²).
    static void RenderCore(Problem2D problem, CurrentSolution? current, double scale, int n, double bandInCells, double[] channels, double[]? solution, double[]? mask)
    {
        var h = 2.0 / (n - 1);
        var size = n * n;
        var coordinates = Domain2D.Coordinates(n);
        channels.AsSpan(0, 4 * size).Clear();
        // Scratch from the shared pool: fresh arrays of this size are large-object allocations, slow to make and collect.
        var nearest = new[] { ArrayPool<double>.Shared.Rent(size), ArrayPool<double>.Shared.Rent(size) };
        foreach (var distances in nearest) distances.AsSpan(0, size).Fill(double.PositiveInfinity);
        var domain = problem.Domain;
        var total = 8 + domain.Holes.Sum(hole => hole.Perimeter);
        var points = domain.BoundaryAlongArc((int)Math.Ceiling(total / (h / 4)));
        var data = problem.DataAt(points);
        var (currentU, currentFlux) = current is null ? ([], []) : (current.U(points.X, points.Y), current.NormalDerivative(points.X, points.Y, points.NormalX, points.NormalY));
        (double[] Value, double[] Mask, double[] Current)[] kinds =
            [(data.DirichletValue, data.DirichletMask, currentU), (data.NeumannValue, data.NeumannMask, currentFlux)];
        var band = bandInCells * h;
        var reach = (int)Math.Ceiling(bandInCells);
        // Marks the vertices within the band of boundary point (x, y) whose nearest point of this kind it is.
        void Mark(int kind, double x, double y, double value)
        {
            var (ci, cj) = ((int)Math.Round((x + 1) / h), (int)Math.Round((y + 1) / h));
            for (var j = Math.Max(0, cj - reach); j <= Math.Min(n - 1, cj + reach); j++)
                for (var i = Math.Max(0, ci - reach); i <= Math.Min(n - 1, ci + reach); i++)
                {
                    var (dx, dy) = (coordinates[i] - x, coordinates[j] - y);
                    var d = Math.Sqrt(dx * dx + dy * dy);
                    var at = j * n + i;
                    if (d > band || d >= nearest[kind][at]) continue;
                    nearest[kind][at] = d;
                    channels[kind * size + at] = 1;
                    channels[(2 + kind) * size + at] = value;
                }
        }
        for (var p = 0; p < points.Count; p++)
            for (var kind = 0; kind < 2; kind++)
            {
                if (kinds[kind].Mask[p] == 0) continue;
                var datum = kinds[kind].Value[p];
                if (current is not null) datum = scale * (datum - kinds[kind].Current[p]);
                // Stored values are float32: round here, so that both precisions render the same problem.
                Mark(kind, points.X[p], points.Y[p], (float)datum);
            }
        foreach (var distances in nearest) ArrayPool<double>.Shared.Return(distances);
        var f = ArrayPool<double>.Shared.Rent(size);
        if (solution is not null && problem.Exact is { } exact)
            new VectorProgram([problem.Source, exact], ["x", "y"]).EvaluateOnGrid(coordinates, coordinates, [f, solution]);
        else
        {
            new VectorProgram([problem.Source], ["x", "y"]).EvaluateOnGrid(coordinates, coordinates, [f]);
            solution?.AsSpan(0, size).Clear();
        }
        if (current is not null)
        {
            var (gx, gy) = (new double[size], new double[size]);
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++) (gx[j * n + i], gy[j * n + i]) = (coordinates[i], coordinates[j]);
            var applied = current.OperatorApplied(gx, gy);
            for (var k = 0; k < size; k++) f[k] = scale * (f[k] - applied[k]);
        }
        // f is data only on the domain: in a hole it may be undefined (log or sqrt of a negative
        // number) or grow without bound, and a reader that sizes a problem by its largest |f| must
        // not see it there.
        if (mask is not null || domain.Holes.Count > 0)
        {
            var closure = mask ?? ArrayPool<double>.Shared.Rent(size);
            domain.ClosureMask(n, closure);
            for (var k = 0; k < size; k++)
                if (closure[k] == 0) f[k] = 0;
            if (mask is null) ArrayPool<double>.Shared.Return(closure);
        }
        // Rounded to single precision, as stored; 0 where f is not defined.
        VectorMath.SignedLogOnePlusToSingle(f.AsSpan(0, size), channels.AsSpan(4 * size, size));
        ArrayPool<double>.Shared.Return(f);
    }
}
