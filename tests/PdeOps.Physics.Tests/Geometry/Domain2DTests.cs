using PdeOps.Physics.Geometry;
using PdeOps.Physics.RandomFields;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Tests.Geometry;

public class Domain2DTests
{
    const string Holes = "square - disk(0.3, 0.2, 0.25) - rect(-0.5, -0.5, 0.2, 0.4) - rect(-0.6, 0.4, 0.3, 0.2, 30) - triangle(0.4, -0.8, 0.8, -0.8, 0.6, -0.4)";

    [Fact]
    public void NormalsPointOutOfTheDomainOnEverySegment()
    {
        var domain = Domain2D.Parse(Holes);
        var sample = domain.SampleBoundary(4000, new SampleRandom(1, 0));
        Assert.Equal(["bottom", "right", "top", "left", "hole1", "hole2", "hole3", "hole4"], domain.SegmentNames);
        var seen = new HashSet<int>();
        const double eps = 1e-4;
        for (var k = 0; k < sample.Count; k++)
        {
            var (x, y, nx, ny) = (sample.X[k], sample.Y[k], sample.NormalX[k], sample.NormalY[k]);
            Assert.Equal(1, Math.Sqrt(nx * nx + ny * ny), 12);
            Assert.True(Math.Abs(domain.SignedDistance(x, y)) < 1e-9, $"({x}, {y}) is off the boundary");
            if (IsNearCorner(domain, x, y)) continue;
            Assert.False(domain.Contains(x + eps * nx, y + eps * ny), $"segment {domain.SegmentNames[sample.Segment[k]]}: the normal at ({x}, {y}) points into the domain");
            Assert.True(domain.Contains(x - eps * nx, y - eps * ny), $"segment {domain.SegmentNames[sample.Segment[k]]}: stepping against the normal at ({x}, {y}) leaves the domain");
            seen.Add(sample.Segment[k]);
        }
        Assert.Equal(8, seen.Count);
    }

    [Fact]
    public void ADisksNormalsPointIntoTheHoleWhichIsOutOfTheDomain()
    {
        var domain = Domain2D.Parse("square - disk(0.1, -0.2, 0.3)");
        var sample = domain.SampleBoundary(500, new SampleRandom(2, 0));
        for (var k = 0; k < sample.Count; k++)
        {
            if (sample.Segment[k] != 4) continue;
            var (x, y) = (sample.X[k], sample.Y[k]);
            Assert.Equal((0.1 - x) / 0.3, sample.NormalX[k], 10);
            Assert.Equal((-0.2 - y) / 0.3, sample.NormalY[k], 10);
        }
    }

    [Fact]
    public void BoundaryPointsSpreadByArcLength()
    {
        var domain = Domain2D.Parse("square - disk(0, 0, 0.5)");
        var sample = domain.SampleBoundary(20000, new SampleRandom(3, 0));
        var onHole = sample.Segment.Count(s => s == 4) / (double)sample.Count;
        var expected = Math.PI / (8 + Math.PI);
        Assert.InRange(onHole, expected - 0.015, expected + 0.015);
    }

    [Fact]
    public void TheMaskCoversTheAreaThatIsLeft()
    {
        var domain = Domain2D.Parse("square - disk(0.2, 0.1, 0.4) - rect(-0.9, -0.9, 0.5, 0.3)");
        var exact = (4 - Math.PI * 0.16 - 0.15) / 4;
        Assert.InRange(domain.InteriorFraction(401), exact - 0.01, exact + 0.01);
        var mask = domain.Mask(33);
        Assert.False(mask[16, 16 + 3]); // (0.1875, 0): inside the disk
        Assert.True(mask[28, 28]);
        Assert.False(mask[0, 5]); // the square's side is not interior
    }

    [Fact]
    public void AnLShapedDomainKeepsOnlyTheExposedPartsOfItsSides()
    {
        var domain = Domain2D.Parse("square - rect(0, 0, 1, 1)");
        var sample = domain.SampleBoundary(3000, new SampleRandom(4, 0));
        for (var k = 0; k < sample.Count; k++)
            Assert.False(sample.X[k] > 1e-9 && sample.Y[k] > 1e-9, $"({sample.X[k]}, {sample.Y[k]}) lies in the removed quadrant");
        var (x, y) = domain.SampleInterior(2000, new SampleRandom(5, 0));
        Assert.All(x.Zip(y), p => Assert.False(p.First > 0 && p.Second > 0));
        Assert.InRange(domain.InteriorFraction(400), 0.75 - 4.0 / 400, 0.75); // vertices on the boundary are not interior
        // The sides of the square along the missing quarter have signed distance 0 but no domain nearby.
        Assert.False(domain.InClosure(0.5, 1));
        Assert.False(domain.InClosure(1, 0.5));
        Assert.True(domain.InClosure(-0.5, 1));
        Assert.True(domain.InClosure(0, 0.5));
        Assert.True(domain.InClosure(1, 0));
        Assert.False(domain.InClosure(0.5, 0.5));
    }

    [Fact]
    public void RotatingARectangleByNinetyDegreesSwapsItsSidesAboutTheCentre()
    {
        var turned = Polygon.Rectangle(-0.2, -0.1, 0.4, 0.2, 90);
        var upright = Polygon.Rectangle(-0.1, -0.2, 0.2, 0.4);
        foreach (var (x, y) in new[] { (0.0, 0.0), (0.15, 0.05), (0.05, 0.15), (0.3, -0.3) })
            Assert.Equal(upright.SignedDistance(x, y), turned.SignedDistance(x, y), 12);
        Assert.Equal(0.08, turned.Area, 12);
    }

    [Fact]
    public void DomainTextRoundTrips()
    {
        var domain = Domain2D.Parse(Holes);
        var again = Domain2D.Parse(domain.ToString());
        Assert.Equal(domain.ToString(), again.ToString());
        Assert.Equal("disk(0, 0, 0.25)", Domain2D.Parse("square - disk(0, 0, 1/4)").Holes[0].ToString());
    }

    [Theory]
    [InlineData("circle", 1, "starts with 'square'")]
    [InlineData("square - blob(0, 0, 1)", 10, "unknown shape 'blob'")]
    [InlineData("square - disk(0, 0)", 10, "disk takes cx, cy, r")]
    [InlineData("square - disk(0, 0, -1)", 10, "radius must be positive")]
    [InlineData("square - disk(0, 0, 0.2", 24, "missing ')'")]
    [InlineData("square - disk(0, 0, zz)", 21, "unknown name 'zz'")]
    [InlineData("square + disk(0, 0, 0.2)", 8, "expected '-'")]
    [InlineData("square - disk(3, 3, 0.5)", 1, "lies outside the square")]
    [InlineData("square - rect(-1.5, -1.5, 3, 3)", 1, "has no interior")]
    [InlineData("square - triangle(0, 0, 1, 1, 2, 2)", 10, "encloses no area")]
    public void BadDomainsAreRefusedWithPositionAndReason(string text, int position, string reason)
    {
        var e = Assert.Throws<ExpressionParseException>(() => Domain2D.Parse(text));
        Assert.Contains(reason, e.Reason);
        Assert.Equal(position, e.Position);
    }

    // Where two shapes meet the normal is ambiguous; skip points within a small distance of a corner.
    static bool IsNearCorner(Domain2D domain, double x, double y)
    {
        const double r = 2e-3;
        var outside = 0;
        for (var a = 0; a < 16; a++)
            if (!domain.Contains(x + r * Math.Cos(a * Math.PI / 8), y + r * Math.Sin(a * Math.PI / 8))) outside++;
        return outside is < 6 or > 10;
    }

    [Theory]
    [InlineData("square")]
    [InlineData("square - rect(0, 0, 1, 1)")]
    [InlineData("square - disk(0.2, 0.1, 0.4) - rect(-0.9, -0.9, 0.5, 0.3)")]
    [InlineData("square - disk(0.9, 0.9, 0.3) - triangle(-1, -1, -0.2, -1, -1, -0.4)")]
    public void TheClosureMaskIsInClosureAtEveryVertex(string text)
    {
        var domain = Domain2D.Parse(text);
        foreach (var n in new[] { 17, 64, 101 })
        {
            var mask = new double[n * n + 3];
            mask.AsSpan().Fill(-1);
            domain.ClosureMask(n, mask);
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++)
                    Assert.True((domain.InClosure(Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n)) ? 1 : 0) == mask[j * n + i], $"{text}, n = {n}, vertex ({i}, {j})");
            Assert.Equal(-1, mask[^1]); // past n² nothing is written
        }
        Assert.Throws<ArgumentException>(() => domain.ClosureMask(8, new double[63]));
    }

    [Theory]
    [InlineData("square - rect(0, 0, 1, 1)")]
    [InlineData("square - disk(0.2, 0.1, 0.4) - rect(-0.9, -0.9, 0.5, 0.3)")]
    [InlineData("square - disk(0.9, 0.9, 0.3) - triangle(-1, -1, -0.2, -1, -1, -0.4) - polygon(0.1, -0.8, 0.6, -0.7, 0.4, -0.2)")]
    public void ContainsIsANegativeSignedDistance(string text)
    {
        var domain = Domain2D.Parse(text);
        var random = new Random(3);
        // Random points, grid vertices and points on every curve, where the two tests are closest.
        var points = Enumerable.Range(0, 20000).Select(_ => (random.NextDouble() * 2.2 - 1.1, random.NextDouble() * 2.2 - 1.1)).ToList();
        for (var j = 0; j < 65; j++)
            for (var i = 0; i < 65; i++) points.Add((Domain2D.Coordinate(i, 65), Domain2D.Coordinate(j, 65)));
        var curve = domain.BoundaryAlongArc(4000);
        for (var k = 0; k < curve.Count; k++) points.Add((curve.X[k], curve.Y[k]));
        foreach (var (x, y) in points) Assert.True(domain.SignedDistance(x, y) < 0 == domain.Contains(x, y), $"{text} at ({x:R}, {y:R})");
    }
}
