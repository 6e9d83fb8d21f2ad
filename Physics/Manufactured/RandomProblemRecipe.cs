using PdeOps.Physics.Geometry;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Physics.Symbolic;
using static PdeOps.Physics.Manufactured.RandomSolutionRecipe;

namespace PdeOps.Physics.Manufactured;

/// <summary>
/// Random operators, domains and boundary-condition layouts of HyPINO's training distribution
/// (Bischof et al. 2025), for <see cref="ManufacturedProblems"/>.
/// </summary>
public static class RandomProblemRecipe
{
    /// <summary>
    /// One to three distinct terms from {u, ux, uy, uxx, uyy} with coefficients uniform in (−2, 2),
    /// redrawn until a second-order term is present (the class of <see cref="LinearOperator2D"/>).
    /// </summary>
    public static LinearOperator2D Operator(SampleRandom random)
    {
        while (true)
        {
            var c = new double[5];
            var count = 1 + Index(random, 3);
            var chosen = 0;
            while (chosen < count)
            {
                var k = Index(random, 5);
                if (c[k] != 0) continue;
                var value = ((Constant)Round(Uniform(random, -2, 2))).Value;
                if (value == 0) continue;
                c[k] = value;
                chosen++;
            }
            if (c[3] != 0 || c[4] != 0) return new LinearOperator2D(c[0], c[1], c[2], c[3], c[4]);
        }
    }

    /// <summary>
    /// The square minus 0 to 3 holes, each a triangle, disk or rectangle with equal chance: disks
    /// of radius uniform in (0.25, 0.5) centred uniformly in the square, triangles with vertices
    /// within ±0.5 of such a centre, rectangles with a corner in the square and sides uniform in
    /// (0.05, 0.5). Time-dependent problems keep the plain square (y is time). Draws again when
    /// holes leave less than a quarter of the square.
    /// </summary>
    public static Domain2D Domain(SampleRandom random, bool timeDependent)
    {
        if (timeDependent) return Domain2D.Square;
        while (true)
        {
            var holes = new List<Shape2D>();
            var count = Index(random, 4);
            for (var k = 0; k < count; k++) holes.Add(Hole(random));
            try
            {
                var domain = new Domain2D(holes);
                if (domain.InteriorFraction(33) >= 0.25) return domain;
            }
            catch (ArgumentException)
            {
                // A hole outside the square or no interior: draw again.
            }
        }
    }

    static Shape2D Hole(SampleRandom random)
    {
        var (cx, cy) = (Uniform(random, -1, 1), Uniform(random, -1, 1));
        switch (Index(random, 3))
        {
            case 0:
                return new Disk(R(cx), R(cy), R(Uniform(random, 0.25, 0.5)));
            case 1:
                while (true)
                {
                    var v = Enumerable.Range(0, 6).Select(k => R((k % 2 == 0 ? cx : cy) + Uniform(random, -0.5, 0.5))).ToArray();
                    try { return Polygon.Triangle(v[0], v[1], v[2], v[3], v[4], v[5]); }
                    catch (ArgumentException) { /* collinear: draw again */ }
                }
            default:
                return Polygon.Rectangle(R(cx), R(cy), R(Uniform(random, 0.05, 0.5)), R(Uniform(random, 0.05, 0.5)));
        }
    }

    /// <summary>
    /// Which kinds each segment carries: the square's sides Dirichlet, with a Neumann condition
    /// added with probability 1/4; each hole Dirichlet (1/2), Neumann (1/4) or both (1/4); for
    /// time-dependent operators the bottom carries the initial data and the top nothing.
    /// </summary>
    public static IReadOnlyList<(string Segment, BoundaryKind Kind)> Layout(SampleRandom random, LinearOperator2D op, Domain2D domain)
    {
        var layout = new List<(string, BoundaryKind)>();
        foreach (var segment in domain.SegmentNames)
        {
            var required = Problem2D.RequiredKinds(op, segment);
            if (required is not null)
            {
                layout.AddRange(required.Select(k => (segment, k)));
                continue;
            }
            var hole = segment.StartsWith("hole", StringComparison.Ordinal);
            var u = random.NextDouble();
            if (!hole || u < 0.5 || u >= 0.75) layout.Add((segment, BoundaryKind.Dirichlet));
            if (hole ? u >= 0.5 : u < 0.25) layout.Add((segment, BoundaryKind.Neumann));
        }
        return layout;
    }

    static double R(double v) => ((Constant)Round(v)).Value;
}
