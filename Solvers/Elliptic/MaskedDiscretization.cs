using PdeOps.Physics.Pde;
using PdeOps.Physics.Problems;

namespace PdeOps.Solvers.Elliptic;

/// <summary>How a vertex of the grid of [−1, 1]² takes part in a masked-domain discretization.</summary>
public enum VertexRole : byte
{
    /// <summary>Inside the domain: carries the PDE.</summary>
    Interior,
    /// <summary>On the square's side: the Dirichlet value, eliminated.</summary>
    Side,
    /// <summary>Inside a Neumann hole next to the domain: a ghost value fixed by the normal derivative.</summary>
    Ghost,
    /// <summary>Inside a hole and not needed: decoupled (identity row).</summary>
    Outside,
}

/// <summary>
/// Finite differences for a constant-coefficient elliptic <see cref="Problem2D"/> on the square
/// minus holes, on the (N + 1)² vertex grid of [−1, 1]², in one <see cref="StencilOperator2D"/> so
/// that Galerkin multigrid applies unchanged. Rows have positive diagonals.
/// <list type="bullet">
/// <item>Dirichlet holes: Shortley–Weller stencils (Shortley and Weller 1938): a neighbour across
/// the boundary is replaced by the boundary value at the crossing, found by bisection on the signed
/// distance, with the non-uniform second difference; second order.</item>
/// <item>Neumann holes: ghost vertices inside the hole next to the domain carry
/// n·∇u = g, discretized by one-sided differences towards the domain with the normal of the nearest
/// boundary point; first order.</item>
/// <item>The square's sides must carry Dirichlet conditions (their vertices are eliminated).</item>
/// </list>
/// </summary>
public sealed class MaskedDiscretization
{
    readonly Problem2D problem;
    readonly double h;
    readonly int n;
    // PDE rows are −L u = −f when L's second-order part is negative definite (u_xx + u_yy), L u = f
    // otherwise: a positive diagonal like the ghost and identity rows, as smoothers and Galerkin
    // coarsening want.
    readonly double rowSign;

    /// <summary>Discretizes <paramref name="problem"/> with <paramref name="intervals"/> intervals per side.</summary>
    /// <exception cref="ArgumentException">The operator is not elliptic, has a mixed term, or a side of the square is not Dirichlet.</exception>
    public MaskedDiscretization(Problem2D problem, int intervals)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (intervals < 4) throw new ArgumentOutOfRangeException(nameof(intervals), intervals, "use at least 4 intervals per side");
        var op = problem.Operator;
        if (op.Class != PdeClass.Elliptic) throw new ArgumentException($"the masked-domain solver takes elliptic operators; '{op}' is {op.Class.ToString().ToLowerInvariant()}");
        if (op.Uxy != 0) throw new ArgumentException("the masked-domain solver does not discretize mixed derivatives (uxy) yet");
        foreach (var side in new[] { "bottom", "right", "top", "left" })
            if (!problem.On(side).Any(c => c.Kind == BoundaryKind.Dirichlet))
                throw new ArgumentException($"the masked-domain solver needs a Dirichlet condition on the square's side '{side}'");
        (this.problem, n, h, rowSign) = (problem, intervals, 2.0 / intervals, op.Uxx > 0 ? 1 : -1);
        Roles = new VertexRole[n + 1, n + 1];
        ClassifyVertices();
        var axis = new AxisLayout(n, BoundaryKind.Dirichlet, BoundaryKind.Dirichlet);
        Operator = new StencilOperator2D(axis, axis);
        RightHandSide = new double[Operator.Size];
        Assemble();
    }

    /// <summary>Intervals per side.</summary>
    public int Intervals => n;

    /// <summary>The role of each vertex, indexed [j, i] (y, x).</summary>
    public VertexRole[,] Roles { get; }

    /// <summary>The assembled operator on the (N − 1)² vertices inside the square.</summary>
    public StencilOperator2D Operator { get; }

    /// <summary>The right-hand side, with Dirichlet values eliminated.</summary>
    public double[] RightHandSide { get; }

    /// <summary>Coordinate of vertex index k.</summary>
    public double Coordinate(int k) => -1 + k * h;

    /// <summary>
    /// The full (N + 1)² field from the unknowns: interior values, Dirichlet values on the sides,
    /// NaN inside holes (ghost values included: they are not part of the solution).
    /// </summary>
    public double[,] Field(double[] unknowns)
    {
        var u = new double[n + 1, n + 1];
        for (var j = 0; j <= n; j++)
            for (var i = 0; i <= n; i++)
                u[j, i] = Roles[j, i] switch
                {
                    VertexRole.Interior => unknowns[Index(i, j)],
                    VertexRole.Side => SideValue(i, j),
                    _ => double.NaN,
                };
        return u;
    }

    int Index(int i, int j) => (j - 1) * (n - 1) + (i - 1);

    void ClassifyVertices()
    {
        var domain = problem.Domain;
        for (var j = 0; j <= n; j++)
            for (var i = 0; i <= n; i++)
            {
                var (x, y) = (Coordinate(i), Coordinate(j));
                var onSide = i == 0 || j == 0 || i == n || j == n;
                Roles[j, i] = onSide
                    ? (domain.InClosure(x, y) ? VertexRole.Side : VertexRole.Outside)
                    : domain.Contains(x, y) ? VertexRole.Interior : VertexRole.Outside;
            }
        for (var j = 1; j < n; j++)
            for (var i = 1; i < n; i++)
            {
                if (Roles[j, i] != VertexRole.Outside || !NextToInterior(i, j)) continue;
                var hole = NearestHole(Coordinate(i), Coordinate(j));
                if (KindOn(hole) == BoundaryKind.Neumann) Roles[j, i] = VertexRole.Ghost;
            }
    }

    bool NextToInterior(int i, int j) =>
        Roles[j, i - 1] == VertexRole.Interior || Roles[j, i + 1] == VertexRole.Interior
        || Roles[j - 1, i] == VertexRole.Interior || Roles[j + 1, i] == VertexRole.Interior;

    int NearestHole(double x, double y)
    {
        var holes = problem.Domain.Holes;
        var best = 0;
        for (var k = 1; k < holes.Count; k++)
            if (Math.Abs(holes[k].SignedDistance(x, y)) < Math.Abs(holes[best].SignedDistance(x, y))) best = k;
        return best;
    }

    // Dirichlet wins where a segment carries both kinds: it fixes the value.
    BoundaryKind KindOn(int hole) =>
        problem.On($"hole{hole + 1}").Any(c => c.Kind == BoundaryKind.Dirichlet) ? BoundaryKind.Dirichlet : BoundaryKind.Neumann;

    SegmentCondition Condition(int hole, BoundaryKind kind) =>
        problem.On($"hole{hole + 1}").FirstOrDefault(c => c.Kind == kind)
        ?? throw new ArgumentException($"hole{hole + 1} ({problem.Domain.Holes[hole]}) lies too close to another hole for {n} intervals: a grid line crosses it where a {kind} condition is needed; refine the grid or separate the holes");

    double SideValue(int i, int j)
    {
        var side = j == 0 ? "bottom" : i == n ? "right" : j == n ? "top" : "left";
        var (nx, ny) = side switch { "bottom" => (0.0, -1.0), "right" => (1.0, 0.0), "top" => (0.0, 1.0), _ => (-1.0, 0.0) };
        return problem.On(side).First(c => c.Kind == BoundaryKind.Dirichlet).Evaluate(Coordinate(i), Coordinate(j), nx, ny);
    }

    void Assemble()
    {
        var f = problem.Source.Compile2D();
        var c = Operator.Coefficients;
        for (var j = 1; j < n; j++)
            for (var i = 1; i < n; i++)
            {
                var p = Index(i, j);
                switch (Roles[j, i])
                {
                    case VertexRole.Interior:
                        RightHandSide[p] = -rowSign * f.Evaluate(Coordinate(i), Coordinate(j));
                        AxisTerms(i, j, p, 1, 0);
                        AxisTerms(i, j, p, 0, 1);
                        c[StencilOperator2D.Centre][p] -= rowSign * problem.Operator.U;
                        break;
                    case VertexRole.Ghost:
                        GhostRow(i, j, p);
                        break;
                    default:
                        c[StencilOperator2D.Centre][p] = 1;
                        break;
                }
            }
    }

    // −(c_aa u_aa + c_a u_a) along one axis, with Shortley–Weller distances where a Dirichlet
    // boundary cuts the grid line and values eliminated where the neighbour is known.
    void AxisTerms(int i, int j, int p, int di, int dj)
    {
        var op = problem.Operator;
        var (second, first) = di == 1 ? (op.Uxx, op.Ux) : (op.Uyy, op.Uy);
        var plus = Neighbour(i, j, di, dj);
        var minus = Neighbour(i, j, -di, -dj);
        var (hp, hm) = (plus.Fraction * h, minus.Fraction * h);
        // Weights of u_plus, u_minus, u_p in the non-uniform second and first differences.
        var (ap, am) = (2 / (hp * (hp + hm)), 2 / (hm * (hp + hm)));
        var (bp, bm) = (hm / (hp * (hp + hm)), -hp / (hm * (hp + hm)));
        var wPlus = -rowSign * (second * ap + first * bp);
        var wMinus = -rowSign * (second * am + first * bm);
        Operator.Coefficients[StencilOperator2D.Centre][p] -= wPlus + wMinus;
        Couple(p, i, j, di, dj, wPlus, plus);
        Couple(p, i, j, -di, -dj, wMinus, minus);
    }

    void Couple(int p, int i, int j, int di, int dj, double weight, (double Fraction, double? Value) neighbour)
    {
        if (neighbour.Value is { } known)
            RightHandSide[p] -= weight * known;
        else
            Operator.Coefficients[(dj + 1) * 3 + di + 1][p] += weight;
    }

    // The neighbour of (i, j) in direction (di, dj): at the full spacing with an unknown value, or
    // at a fraction of it with a known value (a side vertex or a Dirichlet boundary crossing).
    (double Fraction, double? Value) Neighbour(int i, int j, int di, int dj)
    {
        var (ii, jj) = (i + di, j + dj);
        switch (Roles[jj, ii])
        {
            case VertexRole.Interior or VertexRole.Ghost:
                return (1, null);
            case VertexRole.Side:
                return (1, SideValue(ii, jj));
        }
        var (x0, y0) = (Coordinate(i), Coordinate(j));
        var domain = problem.Domain;
        double lo = 0, hi = 1;
        for (var k = 0; k < 60; k++)
        {
            var mid = (lo + hi) / 2;
            if (domain.Contains(x0 + mid * di * h, y0 + mid * dj * h)) lo = mid;
            else hi = mid;
        }
        var t = (lo + hi) / 2;
        var (xb, yb) = (x0 + t * di * h, y0 + t * dj * h);
        var hole = NearestHole(xb, yb);
        var (nx, ny) = HoleNormal(hole, xb, yb);
        // A vertex on the boundary itself (a hole's edge along a grid line) would give a weight of
        // 1/t → ∞, and rows that large make the coarse Galerkin matrices numerically singular. The
        // value is imposed at no less than MinFraction of a spacing: an error of at most 1e-4 h |∇u|.
        return (Math.Max(t, MinFraction), Condition(hole, BoundaryKind.Dirichlet).Evaluate(xb, yb, nx, ny));
    }

    const double MinFraction = 1e-4;

    // The domain's outward normal near a hole (pointing into it), from the hole's signed distance.
    (double Nx, double Ny) HoleNormal(int hole, double x, double y)
    {
        var shape = problem.Domain.Holes[hole];
        var e = 1e-7;
        var gx = (shape.SignedDistance(x + e, y) - shape.SignedDistance(x - e, y)) / (2 * e);
        var gy = (shape.SignedDistance(x, y + e) - shape.SignedDistance(x, y - e)) / (2 * e);
        var norm = Math.Sqrt(gx * gx + gy * gy);
        return norm > 0 ? (-gx / norm, -gy / norm) : (0, 0);
    }

    // n·∇u = g at a ghost vertex Q, one-sided towards the domain:
    // |nx| (u_Q − u_Qx)/h + |ny| (u_Q − u_Qy)/h = g, scaled by 1/h like the PDE rows.
    void GhostRow(int i, int j, int p)
    {
        var (x, y) = (Coordinate(i), Coordinate(j));
        var hole = NearestHole(x, y);
        var shape = problem.Domain.Holes[hole];
        var (nx, ny) = HoleNormal(hole, x, y);
        var depth = -shape.SignedDistance(x, y);
        var (xb, yb) = (x - depth * nx, y - depth * ny);
        var g = Condition(hole, BoundaryKind.Neumann).Evaluate(xb, yb, nx, ny);
        var (sx, sy) = (Math.Sign(nx), Math.Sign(ny));
        var c = Operator.Coefficients;
        double diagonal = 0, scale = 1 / (h * h);
        foreach (var (weight, di, dj) in new[] { (Math.Abs(nx), -sx, 0), (Math.Abs(ny), 0, -sy) })
        {
            if (weight == 0 || (di == 0 && dj == 0)) continue;
            var role = Roles[j + dj, i + di];
            if (role == VertexRole.Outside) continue;
            diagonal += weight;
            if (role == VertexRole.Side) RightHandSide[p] += weight * scale * SideValue(i + di, j + dj);
            else c[(dj + 1) * 3 + di + 1][p] -= weight * scale;
        }
        if (diagonal == 0)
        {
            c[StencilOperator2D.Centre][p] = 1;
            return;
        }
        c[StencilOperator2D.Centre][p] += diagonal * scale;
        RightHandSide[p] += g * h * scale;
    }
}
