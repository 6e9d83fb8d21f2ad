using PdeOps.Physics.RandomFields;

namespace PdeOps.Physics.Geometry;

/// <summary>
/// The square [−1, 1]² minus holes, as HyPINO's problems use (Bischof et al. 2025). The boundary
/// is split into named segments, each of which carries one boundary condition: the square's sides
/// "bottom" (y = −1), "right", "top", "left", then "hole1", "hole2", … in the order the holes were
/// given. Holes may cut the square's sides (an L-shaped domain is "square - rect(0, 0, 1, 1)").
/// </summary>
public sealed class Domain2D
{
    static readonly string[] SideNames = ["bottom", "right", "top", "left"];
    const double InwardStep = 1e-9;
    readonly (double XMin, double YMin, double XMax, double YMax)[] bounds;
    readonly Shape2D[] holes;

    /// <summary>The square with the given holes.</summary>
    /// <exception cref="ArgumentException">A hole lies outside the square, or nothing of the square is left.</exception>
    public Domain2D(IReadOnlyList<Shape2D> holes)
    {
        this.holes = holes.ToArray();
        bounds = this.holes.Select(h => h.Bounds).ToArray();
        for (var k = 0; k < this.holes.Length; k++)
        {
            var (x0, y0, x1, y1) = this.holes[k].Bounds;
            if (x0 >= 1 || y0 >= 1 || x1 <= -1 || y1 <= -1)
                throw new ArgumentException($"the hole {this.holes[k]} lies outside the square [-1, 1]^2");
        }
        SegmentNames = [.. SideNames, .. Enumerable.Range(1, this.holes.Length).Select(k => $"hole{k}")];
        if (!HasInteriorPoint(129))
            throw new ArgumentException($"the domain '{this}' has no interior: its holes cover the square");
    }

    /// <summary>The square [−1, 1]² without holes.</summary>
    public static Domain2D Square { get; } = new([]);

    /// <summary>Reads domain text such as "square - disk(0.3, 0.2, 0.25) - rect(-0.5, -0.5, 0.2, 0.4)" (grammar: <see cref="DomainParser"/>).</summary>
    /// <exception cref="Symbolic.ExpressionParseException">The text is not a domain, or a hole is invalid; the message gives the position and the reason.</exception>
    public static Domain2D Parse(string text)
    {
        var holes = DomainParser.ParseHoles(text);
        try
        {
            return new Domain2D(holes);
        }
        catch (ArgumentException e)
        {
            throw new Symbolic.ExpressionParseException(text, 1, e.Message);
        }
    }

    /// <summary>The holes, in order.</summary>
    public IReadOnlyList<Shape2D> Holes => holes;

    /// <summary>Names of the boundary segments: bottom, right, top, left, hole1, ….</summary>
    public IReadOnlyList<string> SegmentNames { get; }

    /// <summary>
    /// Signed distance to the boundary, negative inside: max(d_square, −d_hole1, …). Exact away from
    /// places where two shapes meet, a lower bound on the distance there.
    /// </summary>
    public double SignedDistance(double x, double y)
    {
        var d = SquareDistance(x, y);
        foreach (var hole in holes) d = Math.Max(d, -hole.SignedDistance(x, y));
        return d;
    }

    /// <summary>Whether (x, y) lies in the open domain.</summary>
    /// <remarks>
    /// The same as <see cref="SignedDistance"/> &lt; 0: inside the open square and at a positive
    /// distance from every hole. A point outside a hole's bounding box is, so that hole's
    /// distance is computed only for points inside its box.
    /// </remarks>
    public bool Contains(double x, double y)
    {
        // Inside the open square exactly where SquareDistance < 0, without its square root.
        if (!(Math.Abs(x) < 1 && Math.Abs(y) < 1)) return false;
        for (var k = 0; k < holes.Length; k++)
        {
            var (x0, y0, x1, y1) = bounds[k];
            if (x < x0 || x > x1 || y < y0 || y > y1) continue;
            if (!(holes[k].SignedDistance(x, y) > 0)) return false;
        }
        return true;
    }

    /// <summary>
    /// Whether (x, y) lies in the closure of the domain: inside, or on the boundary with domain
    /// points arbitrarily close. A side of the square that a hole covers (the top edge above an
    /// L-shaped domain's missing quarter) has signed distance 0 but is not in the closure.
    /// </summary>
    public bool InClosure(double x, double y)
    {
        var d = SignedDistance(x, y);
        if (d < 0) return true;
        if (d > 1e-9) return false;
        const double r = 1e-7;
        for (var k = 0; k < 8; k++)
            if (Contains(x + r * Math.Cos(k * Math.PI / 4 + 0.1), y + r * Math.Sin(k * Math.PI / 4 + 0.1))) return true;
        return false;
    }

    /// <summary>
    /// Writes 1 where a vertex of the n × n grid of [−1, 1]² lies in the domain's closure
    /// (<see cref="InClosure"/>) and 0 elsewhere, row-major [y, x], into the first n² values of
    /// <paramref name="mask"/>. Only vertices within a hole's bounding box are tested: every other
    /// vertex lies in the closed square and away from all holes.
    /// </summary>
    /// <exception cref="ArgumentException">The span is shorter than n².</exception>
    public void ClosureMask(int n, Span<double> mask)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "a grid has at least 2 points per side");
        if (mask.Length < n * n) throw new ArgumentException($"the mask takes {n * n} values; the span holds {mask.Length}", nameof(mask));
        mask[..(n * n)].Fill(1);
        // Wider than InClosure's probe radius, so that no probe of an untested vertex reaches a hole.
        const double margin = 1e-6;
        var h = 2.0 / (n - 1);
        int First(double low) => Math.Clamp((int)Math.Ceiling((low + 1) / h), 0, n - 1);
        int Last(double high) => Math.Clamp((int)Math.Floor((high + 1) / h), 0, n - 1);
        foreach (var hole in holes)
        {
            var (x0, y0, x1, y1) = hole.Bounds;
            for (var j = First(y0 - margin); j <= Last(y1 + margin); j++)
                for (var i = First(x0 - margin); i <= Last(x1 + margin); i++)
                    mask[j * n + i] = InClosure(Coordinate(i, n), Coordinate(j, n)) ? 1 : 0;
        }
    }

    /// <summary>Interior mask on the n × n vertex grid of [−1, 1]² (x_i = −1 + 2i/(n − 1)), indexed [y, x].</summary>
    public bool[,] Mask(int n)
    {
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "a grid needs at least 2 points per side");
        var mask = new bool[n, n];
        for (var j = 0; j < n; j++)
            for (var i = 0; i < n; i++)
                mask[j, i] = Contains(Coordinate(i, n), Coordinate(j, n));
        return mask;
    }

    /// <summary>The coordinate of grid index <paramref name="i"/> on the n-point vertex grid of [−1, 1].</summary>
    public static double Coordinate(int i, int n) => -1 + 2.0 * i / (n - 1);

    /// <summary>The n coordinates of the vertex grid of [−1, 1], x_i = −1 + 2i/(n − 1).</summary>
    public static double[] Coordinates(int n)
    {
        var c = new double[n];
        for (var i = 0; i < n; i++) c[i] = Coordinate(i, n);
        return c;
    }

    /// <summary>Uniformly distributed points in the open domain (rejection sampling in the square).</summary>
    public (double[] X, double[] Y) SampleInterior(int count, SampleRandom random)
    {
        var (x, y) = (new double[count], new double[count]);
        for (var k = 0; k < count;)
        {
            var (px, py) = (2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1);
            if (!Contains(px, py)) continue;
            (x[k], y[k]) = (px, py);
            k++;
        }
        return (x, y);
    }

    /// <summary>
    /// Points distributed uniformly by arc length on the boundary, with the domain's outward
    /// normals (for a hole: pointing into the hole) and segment indices.
    /// </summary>
    public BoundarySample SampleBoundary(int count, SampleRandom random)
    {
        var lengths = new double[SegmentNames.Count];
        for (var k = 0; k < lengths.Length; k++) lengths[k] = (k > 0 ? lengths[k - 1] : 0) + SegmentLength(k);
        var (x, y, nx, ny, segment) = (new double[count], new double[count], new double[count], new double[count], new int[count]);
        var attempts = 0;
        for (var k = 0; k < count;)
        {
            if (++attempts > 1000 * (count + 100)) throw new InvalidOperationException($"the domain '{this}' has almost no boundary left to sample");
            var s = random.NextDouble() * lengths[^1];
            var seg = 0;
            while (seg < lengths.Length - 1 && !(s < lengths[seg])) seg++;
            var p = SegmentPoint(seg, s - (seg > 0 ? lengths[seg - 1] : 0));
            if (!IsExposed(p)) continue;
            (x[k], y[k], nx[k], ny[k], segment[k]) = (p.X, p.Y, p.NormalX, p.NormalY, seg);
            k++;
        }
        return new BoundarySample(x, y, nx, ny, segment);
    }

    /// <summary>
    /// Boundary points evenly spaced by arc length (spacing = total curve length / <paramref name="count"/>),
    /// keeping those on the domain's boundary: a deterministic dense set for rendering.
    /// </summary>
    public BoundarySample BoundaryAlongArc(int count)
    {
        var total = Enumerable.Range(0, SegmentNames.Count).Sum(SegmentLength);
        var step = total / count;
        // At most count points and one more per segment (rounding): arrays of that size, trimmed at
        // the end, rather than a growing list of a few hundred kilobytes.
        var capacity = count + SegmentNames.Count + 1;
        var (x, y, nx, ny, segment) = (new double[capacity], new double[capacity], new double[capacity], new double[capacity], new int[capacity]);
        var kept = 0;
        for (var seg = 0; seg < SegmentNames.Count; seg++)
        {
            var length = SegmentLength(seg);
            for (var s = step / 2; s < length && kept < capacity; s += step)
            {
                var p = SegmentPoint(seg, s);
                if (IsExposed(p)) (x[kept], y[kept], nx[kept], ny[kept], segment[kept++]) = (p.X, p.Y, p.NormalX, p.NormalY, seg);
            }
        }
        return new BoundarySample(x[..kept], y[..kept], nx[..kept], ny[..kept], segment[..kept]);
    }

    /// <summary>The domain as text that <see cref="Parse"/> reads back.</summary>
    public override string ToString() => string.Concat(holes.Select(h => $" - {h}").Prepend("square"));

    /// <summary>The share of the n × n grid's vertices that lie inside the domain.</summary>
    public double InteriorFraction(int n)
    {
        var inside = 0;
        for (var j = 0; j < n; j++)
            for (var i = 0; i < n; i++)
                if (Contains(Coordinate(i, n), Coordinate(j, n))) inside++;
        return inside / (double)(n * n);
    }

    bool HasInteriorPoint(int n)
    {
        for (var j = 0; j < n; j++)
            for (var i = 0; i < n; i++)
                if (Contains(Coordinate(i, n), Coordinate(j, n))) return true;
        return false;
    }

    static double SquareDistance(double x, double y)
    {
        var (dx, dy) = (Math.Abs(x) - 1, Math.Abs(y) - 1);
        var outside = Math.Sqrt(Math.Max(dx, 0) * Math.Max(dx, 0) + Math.Max(dy, 0) * Math.Max(dy, 0));
        return outside + Math.Min(Math.Max(dx, dy), 0);
    }

    double SegmentLength(int segment) => segment < 4 ? 2 : holes[segment - 4].Perimeter;

    CurvePoint SegmentPoint(int segment, double s) => segment switch
    {
        0 => new CurvePoint(-1 + s, -1, 0, -1),
        1 => new CurvePoint(1, -1 + s, 1, 0),
        2 => new CurvePoint(1 - s, 1, 0, 1),
        3 => new CurvePoint(-1, 1 - s, -1, 0),
        _ => Inward(holes[segment - 4].PointAt(s)),
    };

    static CurvePoint Inward(CurvePoint p) => p with { NormalX = -p.NormalX, NormalY = -p.NormalY };

    // A point of a segment's curve lies on the domain's boundary when a short step against its
    // outward normal enters the domain; this also drops edges that a hole shares with the square.
    bool IsExposed(CurvePoint p) => Contains(p.X - InwardStep * p.NormalX, p.Y - InwardStep * p.NormalY);
}
