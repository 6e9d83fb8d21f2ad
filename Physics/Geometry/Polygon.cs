namespace PdeOps.Physics.Geometry;

/// <summary>
/// A simple polygon given by its vertices (either orientation; stored counter-clockwise); also
/// the form of rectangles (axis-aligned or rotated) and triangles.
/// </summary>
public sealed class Polygon : Shape2D
{
    readonly double[] vx, vy, cumulative;
    readonly string text;

    Polygon(IReadOnlyList<(double X, double Y)> vertices, string text)
    {
        if (vertices.Count < 3) throw new ArgumentException($"a polygon needs at least 3 vertices (got {vertices.Count})");
        if (vertices.Any(v => !double.IsFinite(v.X) || !double.IsFinite(v.Y))) throw new ArgumentException("a polygon's vertices must be finite");
        var signedArea = SignedArea(vertices);
        if (!(Math.Abs(signedArea) > 1e-14)) throw new ArgumentException($"the polygon {text} encloses no area");
        var ordered = signedArea > 0 ? vertices.ToArray() : vertices.Reverse().ToArray();
        vx = ordered.Select(v => v.X).ToArray();
        vy = ordered.Select(v => v.Y).ToArray();
        Area = Math.Abs(signedArea);
        cumulative = new double[vx.Length + 1];
        for (var k = 0; k < vx.Length; k++)
            cumulative[k + 1] = cumulative[k] + EdgeLength(k);
        this.text = text;
    }

    /// <summary>A polygon through the given vertices.</summary>
    /// <exception cref="ArgumentException">Fewer than 3 vertices, or no enclosed area.</exception>
    public static Polygon Through(IReadOnlyList<(double X, double Y)> vertices) =>
        new(vertices, $"polygon({Format(vertices.SelectMany(v => new[] { v.X, v.Y }).ToArray())})");

    /// <summary>The triangle with the three given vertices.</summary>
    public static Polygon Triangle(double x1, double y1, double x2, double y2, double x3, double y3) =>
        new([(x1, y1), (x2, y2), (x3, y3)], $"triangle({Format(x1, y1, x2, y2, x3, y3)})");

    /// <summary>
    /// The rectangle with lower-left corner (x0, y0), width and height, rotated by
    /// <paramref name="degrees"/> counter-clockwise about its centre.
    /// </summary>
    /// <exception cref="ArgumentException">A side is not positive.</exception>
    public static Polygon Rectangle(double x0, double y0, double width, double height, double degrees = 0)
    {
        if (!(width > 0) || !(height > 0)) throw new ArgumentException($"a rectangle's sides must be positive (got {width} x {height})");
        var (cx, cy) = (x0 + width / 2, y0 + height / 2);
        var (c, s) = (Math.Cos(degrees * Math.PI / 180), Math.Sin(degrees * Math.PI / 180));
        (double, double) Corner(double dx, double dy) => (cx + c * dx - s * dy, cy + s * dx + c * dy);
        var (hw, hh) = (width / 2, height / 2);
        var label = degrees == 0 ? $"rect({Format(x0, y0, width, height)})" : $"rect({Format(x0, y0, width, height, degrees)})";
        return new([Corner(-hw, -hh), Corner(hw, -hh), Corner(hw, hh), Corner(-hw, hh)], label);
    }

    /// <summary>The vertices, counter-clockwise.</summary>
    public IReadOnlyList<(double X, double Y)> Vertices => vx.Zip(vy).ToArray();

    /// <inheritdoc/>
    public override double Area { get; }
    /// <inheritdoc/>
    public override double Perimeter => cumulative[^1];
    /// <inheritdoc/>
    public override (double XMin, double YMin, double XMax, double YMax) Bounds => (vx.Min(), vy.Min(), vx.Max(), vy.Max());

    /// <inheritdoc/>
    public override double SignedDistance(double x, double y)
    {
        var best = double.PositiveInfinity;
        var inside = false;
        for (int k = 0, j = vx.Length - 1; k < vx.Length; j = k++)
        {
            var (ex, ey) = (vx[k] - vx[j], vy[k] - vy[j]);
            var (wx, wy) = (x - vx[j], y - vy[j]);
            var t = Math.Clamp((wx * ex + wy * ey) / (ex * ex + ey * ey), 0, 1);
            var (dx, dy) = (wx - t * ex, wy - t * ey);
            best = Math.Min(best, dx * dx + dy * dy);
            // Even-odd rule: count crossings of the ray to +x.
            if ((vy[j] > y) != (vy[k] > y) && x < vx[j] + (y - vy[j]) * ex / ey) inside = !inside;
        }
        var distance = Math.Sqrt(best);
        return inside ? -distance : distance;
    }

    /// <inheritdoc/>
    public override CurvePoint PointAt(double s)
    {
        s = Math.Clamp(s, 0, Perimeter);
        var k = Array.BinarySearch(cumulative, s);
        if (k < 0) k = ~k - 1;
        k = Math.Min(k, vx.Length - 1);
        var next = (k + 1) % vx.Length;
        var length = EdgeLength(k);
        var t = (s - cumulative[k]) / length;
        var (ex, ey) = (vx[next] - vx[k], vy[next] - vy[k]);
        // Counter-clockwise order: the outward normal is the edge direction turned clockwise.
        return new CurvePoint(vx[k] + t * ex, vy[k] + t * ey, ey / length, -ex / length);
    }

    /// <inheritdoc/>
    public override string ToString() => text;

    double EdgeLength(int k)
    {
        var next = (k + 1) % vx.Length;
        return Math.Sqrt((vx[next] - vx[k]) * (vx[next] - vx[k]) + (vy[next] - vy[k]) * (vy[next] - vy[k]));
    }

    static double SignedArea(IReadOnlyList<(double X, double Y)> v)
    {
        var sum = 0.0;
        for (int k = 0, j = v.Count - 1; k < v.Count; j = k++) sum += v[j].X * v[k].Y - v[k].X * v[j].Y;
        return sum / 2;
    }
}
