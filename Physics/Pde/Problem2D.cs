using PdeOps.Physics.Geometry;
using PdeOps.Physics.Problems;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Physics.Pde;

/// <summary>
/// A linear second-order problem L u = f on a <see cref="Domain2D"/> with a condition on each
/// boundary segment, as HyPINO poses them (Bischof et al. 2025). For elliptic operators every
/// segment carries a Dirichlet or a Neumann condition, or both (Cauchy data, consistent only when
/// both come from one solution, as in manufactured problems). For parabolic and hyperbolic operators y is time: the
/// "top" side (the final time) carries none, "bottom" (y = −1) carries the initial value u
/// (Dirichlet) and, for hyperbolic operators, also the initial rate ∂u/∂n = −u_y (Neumann).
/// </summary>
public sealed class Problem2D
{
    /// <summary>Creates and checks the problem.</summary>
    /// <exception cref="ArgumentException">A segment is unknown, lacks a condition, or has one it cannot take; or an expression uses variables other than x and y.</exception>
    public Problem2D(LinearOperator2D op, Expr source, Domain2D domain, IReadOnlyList<SegmentCondition> conditions, Expr? exact = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        (Operator, Source, Domain, Conditions, Exact) = (op, source, domain, conditions.ToArray(), exact);
        RequireVariables(source, "the source", ["x", "y"]);
        if (exact is not null) RequireVariables(exact, "the exact solution", ["x", "y"]);
        foreach (var c in conditions)
        {
            if (!domain.SegmentNames.Contains(c.Segment))
                throw new ArgumentException($"unknown boundary segment '{c.Segment}' (this domain has: {string.Join(", ", domain.SegmentNames)})");
            RequireVariables(c.Data, $"the condition on {c.Segment}", SegmentCondition.Variables);
        }
        foreach (var segment in domain.SegmentNames)
        {
            var kinds = conditions.Where(c => c.Segment == segment).Select(c => c.Kind).OrderBy(k => k).ToArray();
            var needed = RequiredKinds(op, segment);
            if (needed is null ? kinds.Length == 0 || kinds.Distinct().Count() != kinds.Length : !kinds.SequenceEqual(needed))
                throw new ArgumentException(Describe(segment, kinds, needed));
        }
    }

    /// <summary>
    /// Builds a problem from text, the way the command line gives it: operator, source, domain,
    /// Dirichlet and Neumann specs (<see cref="ConditionSpec"/>), and optionally the exact solution.
    /// </summary>
    /// <exception cref="ExpressionParseException">Some text does not parse; the message names the position and the reason.</exception>
    /// <exception cref="ArgumentException">The pieces do not make a well-posed problem of this class.</exception>
    public static Problem2D FromText(string pde, string source, string domain, IEnumerable<string> dirichlet, IEnumerable<string> neumann, string? exact = null)
    {
        var op = LinearOperator2D.Parse(pde);
        var f = Expr.Parse(source, ["x", "y"]);
        var d = Domain2D.Parse(domain);
        var specs = dirichlet.Select(t => ConditionSpec.Parse(BoundaryKind.Dirichlet, t))
            .Concat(neumann.Select(t => ConditionSpec.Parse(BoundaryKind.Neumann, t))).ToArray();
        return new Problem2D(op, f, d, Assign(op, d, specs), exact is null ? null : Expr.Parse(exact, ["x", "y"]));
    }

    /// <summary>
    /// Turns specs into one condition per segment: named specs first, then the (single) default
    /// spec on every segment that still lacks a condition it needs.
    /// </summary>
    /// <exception cref="ArgumentException">Two default specs, or a segment named twice for one kind.</exception>
    public static IReadOnlyList<SegmentCondition> Assign(LinearOperator2D op, Domain2D domain, IReadOnlyList<ConditionSpec> specs)
    {
        var defaults = specs.Where(s => s.Segments is null).ToArray();
        if (defaults.Length > 1)
            throw new ArgumentException("only one condition may omit its segments (the default); name the segments of the others as 'bottom, hole1: EXPR'");
        var result = new List<SegmentCondition>();
        foreach (var spec in specs.Where(s => s.Segments is not null))
            foreach (var segment in spec.Segments!)
            {
                if (result.Any(c => c.Segment == segment && c.Kind == spec.Kind))
                    throw new ArgumentException($"the segment '{segment}' is given two {spec.Kind} conditions");
                result.Add(new SegmentCondition(segment, spec.Kind, spec.Data));
            }
        if (defaults.Length == 1)
        {
            var d = defaults[0];
            foreach (var segment in domain.SegmentNames)
            {
                var needed = RequiredKinds(op, segment);
                var have = result.Where(c => c.Segment == segment).Select(c => c.Kind).ToArray();
                if (needed is null ? have.Length == 0 : needed.Contains(d.Kind) && !have.Contains(d.Kind))
                    result.Add(new SegmentCondition(segment, d.Kind, d.Data));
            }
        }
        return result;
    }

    /// <summary>The operator L.</summary>
    public LinearOperator2D Operator { get; }

    /// <summary>The source f.</summary>
    public Expr Source { get; }

    /// <summary>The domain.</summary>
    public Domain2D Domain { get; }

    /// <summary>The conditions, one per segment and kind.</summary>
    public IReadOnlyList<SegmentCondition> Conditions { get; }

    /// <summary>The exact solution, when known.</summary>
    public Expr? Exact { get; }

    /// <summary>The conditions on one segment.</summary>
    public IEnumerable<SegmentCondition> On(string segment) => Conditions.Where(c => c.Segment == segment);

    /// <summary>
    /// The boundary data at <paramref name="points"/>, points of this problem's domain with their
    /// segments: each condition's data on the points of its segment. All the data are evaluated in
    /// one compiled program, so the parts they share (u and its gradient, in manufactured problems)
    /// are computed once.
    /// </summary>
    public BoundaryData DataAt(BoundarySample points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var n = points.Count;
        var result = new BoundaryData(new double[n], new double[n], new double[n], new double[n]);
        var values = Conditions.Select(_ => new double[n]).ToArray();
        new VectorProgram(Conditions.Select(c => c.Data).ToArray(), SegmentCondition.Variables).Evaluate([points.X, points.Y, points.NormalX, points.NormalY], values);
        var segments = Domain.SegmentNames.ToList();
        for (var c = 0; c < Conditions.Count; c++)
        {
            var segment = segments.IndexOf(Conditions[c].Segment);
            var (value, mask) = Conditions[c].Kind == BoundaryKind.Dirichlet
                ? (result.DirichletValue, result.DirichletMask)
                : (result.NeumannValue, result.NeumannMask);
            for (var k = 0; k < n; k++)
                if (points.Segment[k] == segment) (value[k], mask[k]) = (values[c][k], 1);
        }
        return result;
    }

    /// <summary>
    /// The first place where the data are not a finite number or exceed <paramref name="largest"/> in
    /// magnitude (a solver in single precision holds no more than <see cref="float.MaxValue"/>), or null: the source and the exact
    /// solution at the vertices of the <paramref name="n"/> x <paramref name="n"/> grid of
    /// [-1, 1]^2 that lie in the domain's closure, then each condition's data at 4n points spaced
    /// along the boundary. A solver fed such data would train or iterate on NaN.
    /// </summary>
    public DataOutOfRange? FirstDataOutOfRange(int n, double largest = double.MaxValue)
    {
        foreach (var (part, segment, x, y, v) in DataValues(n, withExact: true))
            if (!(Math.Abs(v) <= largest)) return new DataOutOfRange(part, segment, x, y, v, largest);
        return null;
    }

    /// <summary>
    /// The size of the data, by the rule HyPINO sizes problems with: the largest |g| of the
    /// Dirichlet and Neumann data at 4<paramref name="n"/> points spaced along the boundary, or a
    /// tenth of the largest |f| at the vertices of the <paramref name="n"/> x <paramref name="n"/>
    /// grid in the domain's closure when that is larger. 0 for a problem without data (whose
    /// solution is 0); NaN or infinity where the data are not finite.
    /// </summary>
    public double DataSize(int n)
    {
        double size = 0;
        foreach (var (part, _, _, _, v) in DataValues(n, withExact: false))
        {
            var magnitude = part == DataOutOfRange.Part.Source ? Math.Abs(v) / 10 : Math.Abs(v);
            if (!(magnitude <= size)) size = magnitude;  // keeps NaN
            if (double.IsNaN(size)) return size;
        }
        return size;
    }

    /// <summary>
    /// The same problem with its data (the source, every condition's data and the exact solution)
    /// multiplied by <paramref name="factor"/>: L being linear, its solution is
    /// <paramref name="factor"/> times this one's.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is 0 or not finite.</exception>
    public Problem2D Scaled(double factor)
    {
        if (!(double.IsFinite(factor) && factor != 0)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "a problem's data can be scaled by a finite nonzero factor only");
        if (factor == 1) return this;
        var k = new Constant(factor);
        return new Problem2D(Operator, k * Source, Domain, Conditions.Select(c => c with { Data = k * c.Data }).ToArray(), Exact is null ? null : k * Exact);
    }

    // Every datum the checks above read: the source (and the exact solution) on the grid's vertices
    // in the domain's closure, then each condition's data at 4n points along the boundary.
    IEnumerable<(DataOutOfRange.Part Part, string? Segment, double X, double Y, double Value)> DataValues(int n, bool withExact)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        var terms = new List<(DataOutOfRange.Part Part, Expr Expression)> { (DataOutOfRange.Part.Source, Source) };
        if (withExact && Exact is not null) terms.Add((DataOutOfRange.Part.Exact, Exact));
        foreach (var (part, expression) in terms)
        {
            var f = expression.Compile2D();
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++)
                {
                    double x = Domain2D.Coordinate(i, n), y = Domain2D.Coordinate(j, n);
                    if (Domain.InClosure(x, y)) yield return (part, null, x, y, f.Evaluate(x, y));
                }
        }
        var points = Domain.BoundaryAlongArc(4 * n);
        var segments = Domain.SegmentNames.ToList();
        foreach (var c in Conditions)
        {
            var segment = segments.IndexOf(c.Segment);
            var part = c.Kind == BoundaryKind.Dirichlet ? DataOutOfRange.Part.Dirichlet : DataOutOfRange.Part.Neumann;
            for (var k = 0; k < points.Count; k++)
                if (points.Segment[k] == segment)
                    yield return (part, c.Segment, points.X[k], points.Y[k], c.Evaluate(points.X[k], points.Y[k], points.NormalX[k], points.NormalY[k]));
        }
    }

    /// <summary>
    /// The kinds, in enum order, that a segment must carry for this class of operator; null where
    /// it takes a condition of either kind or one of each.
    /// </summary>
    public static IReadOnlyList<BoundaryKind>? RequiredKinds(LinearOperator2D op, string segment) => (op.Class, segment) switch
    {
        (PdeClass.Elliptic, _) => null,
        (_, "top") => [],
        (PdeClass.Parabolic, "bottom") => [BoundaryKind.Dirichlet],
        (PdeClass.Hyperbolic, "bottom") => [BoundaryKind.Dirichlet, BoundaryKind.Neumann],
        _ => null,
    };

    string Describe(string segment, BoundaryKind[] have, IReadOnlyList<BoundaryKind>? needed)
    {
        if (needed is { Count: 0 })
            return $"the segment 'top' is the final time of this {Operator.Class.ToString().ToLowerInvariant()} problem and takes no condition";
        if (have.Length == 0)
            return $"the segment '{segment}' has no boundary condition (name it, as in --dirichlet '{segment}: EXPR', or give a default)";
        return needed is not null
            ? $"the initial segment 'bottom' of this {Operator.Class.ToString().ToLowerInvariant()} problem needs {string.Join(" and ", needed)} (has {string.Join(", ", have)})"
            : $"the segment '{segment}' has {have.Length} conditions ({string.Join(", ", have)}); it takes one of each kind at most";
    }

    static void RequireVariables(Expr e, string what, IReadOnlyCollection<string> allowed)
    {
        var other = e.Variables().FirstOrDefault(v => !allowed.Contains(v));
        if (other is not null) throw new ArgumentException($"{what} uses '{other}'; only {string.Join(", ", allowed)} are allowed");
    }
}
