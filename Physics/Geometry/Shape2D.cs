namespace PdeOps.Physics.Geometry;

/// <summary>A point on a curve with the unit normal pointing out of the shape that the curve bounds.</summary>
/// <param name="X">x coordinate.</param>
/// <param name="Y">y coordinate.</param>
/// <param name="NormalX">x component of the outward unit normal.</param>
/// <param name="NormalY">y component of the outward unit normal.</param>
public readonly record struct CurvePoint(double X, double Y, double NormalX, double NormalY);

/// <summary>
/// A closed plane shape used as a hole in a <see cref="Domain2D"/>: a signed distance (negative
/// inside), its perimeter, and points along the perimeter by arc length.
/// </summary>
public abstract class Shape2D
{
    /// <summary>Signed distance to the shape's boundary: negative inside, positive outside.</summary>
    public abstract double SignedDistance(double x, double y);

    /// <summary>The perimeter's length.</summary>
    public abstract double Perimeter { get; }

    /// <summary>The enclosed area.</summary>
    public abstract double Area { get; }

    /// <summary>The point at arc length <paramref name="s"/> ∈ [0, <see cref="Perimeter"/>) with the shape's outward normal.</summary>
    public abstract CurvePoint PointAt(double s);

    /// <summary>Axis-aligned bounds (xmin, ymin, xmax, ymax).</summary>
    public abstract (double XMin, double YMin, double XMax, double YMax) Bounds { get; }

    /// <summary>The shape as domain text, e.g. "disk(0.3, 0.2, 0.25)".</summary>
    public abstract override string ToString();

    /// <summary>Formats numbers for domain text in shortest round-trip form.</summary>
    protected static string Format(params double[] values) =>
        string.Join(", ", values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>A disk with centre (Cx, Cy) and radius R.</summary>
public sealed class Disk : Shape2D
{
    /// <summary>Creates the disk.</summary>
    /// <exception cref="ArgumentException">The radius is not positive and finite.</exception>
    public Disk(double cx, double cy, double radius)
    {
        if (!(radius > 0) || !double.IsFinite(radius)) throw new ArgumentException($"a disk's radius must be positive (got {radius})");
        if (!double.IsFinite(cx) || !double.IsFinite(cy)) throw new ArgumentException("a disk's centre must be finite");
        (Cx, Cy, Radius) = (cx, cy, radius);
    }

    /// <summary>Centre x.</summary>
    public double Cx { get; }
    /// <summary>Centre y.</summary>
    public double Cy { get; }
    /// <summary>Radius.</summary>
    public double Radius { get; }

    /// <inheritdoc/>
    public override double SignedDistance(double x, double y) => Math.Sqrt((x - Cx) * (x - Cx) + (y - Cy) * (y - Cy)) - Radius;
    /// <inheritdoc/>
    public override double Perimeter => 2 * Math.PI * Radius;
    /// <inheritdoc/>
    public override double Area => Math.PI * Radius * Radius;
    /// <inheritdoc/>
    public override (double XMin, double YMin, double XMax, double YMax) Bounds => (Cx - Radius, Cy - Radius, Cx + Radius, Cy + Radius);

    /// <inheritdoc/>
    public override CurvePoint PointAt(double s)
    {
        var angle = s / Radius;
        var (nx, ny) = (Math.Cos(angle), Math.Sin(angle));
        return new CurvePoint(Cx + Radius * nx, Cy + Radius * ny, nx, ny);
    }

    /// <inheritdoc/>
    public override string ToString() => $"disk({Format(Cx, Cy, Radius)})";
}
