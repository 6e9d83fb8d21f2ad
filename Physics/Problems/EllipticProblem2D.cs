namespace PdeOps.Physics.Problems;

/// <summary>
/// The scalar elliptic problem -div(a grad u) + c u = f on [0, Lx] x [0, Ly] with boundary
/// conditions per side. The domain is divided into Mx x My equal intervals; a, c and f are given
/// at the (Mx + 1) x (My + 1) vertices, row-major [y, x]. Boundary data g(x, y) is the value of u on
/// Dirichlet sides and the outward conormal flux a du/dn on Neumann sides (ignored on periodic
/// sides). Poisson is a = 1, c = 0; a reaction c &lt; 0 gives Helmholtz-type indefinite problems.
/// </summary>
public sealed record EllipticProblem2D
{
    /// <summary>Creates the problem and checks shapes and values.</summary>
    /// <exception cref="ArgumentException">Shapes disagree, a is not positive, or a value is not finite.</exception>
    public EllipticProblem2D(int intervalsX, int intervalsY, double[,] a, double[,] c, double[,] f,
        BoundaryConditions2D boundaries, Func<BoundarySide, double, double, double>? boundaryData = null, double lengthX = 1, double lengthY = 1)
    {
        if (intervalsX < 2 || intervalsY < 2) throw new ArgumentException("at least two intervals per axis are needed");
        if (!(lengthX > 0) || !(lengthY > 0)) throw new ArgumentException("domain lengths must be positive");
        foreach (var (name, field) in new[] { ("a", a), ("c", c), ("f", f) })
        {
            if (field.GetLength(0) != intervalsY + 1 || field.GetLength(1) != intervalsX + 1)
                throw new ArgumentException($"field {name} is {field.GetLength(0)} x {field.GetLength(1)}; expected {intervalsY + 1} x {intervalsX + 1} vertex values");
            VertexValues.RequireFinite(name, VertexValues.Flat(field));
        }
        VertexValues.RequirePositive(VertexValues.Flat(a));
        IntervalsX = intervalsX; IntervalsY = intervalsY;
        A = a; C = c; F = f;
        Boundaries = boundaries;
        BoundaryData = boundaryData ?? ((_, _, _) => 0.0);
        LengthX = lengthX; LengthY = lengthY;
    }

    /// <summary>Intervals along x.</summary>
    public int IntervalsX { get; }
    /// <summary>Intervals along y.</summary>
    public int IntervalsY { get; }
    /// <summary>Diffusion coefficient at the vertices, [y, x].</summary>
    public double[,] A { get; }
    /// <summary>Reaction coefficient at the vertices, [y, x].</summary>
    public double[,] C { get; }
    /// <summary>Right-hand side at the vertices, [y, x].</summary>
    public double[,] F { get; }
    /// <summary>Boundary conditions.</summary>
    public BoundaryConditions2D Boundaries { get; }
    /// <summary>
    /// Boundary data g(side, x, y): the value of u where the side is Dirichlet, the outward flux
    /// a du/dn where it is Neumann. A corner is asked once per side it belongs to.
    /// </summary>
    public Func<BoundarySide, double, double, double> BoundaryData { get; }

    /// <summary>The Dirichlet side that vertex (vx, vy) lies on, or null when it lies on none.</summary>
    public BoundarySide? DirichletSideOf(int vx, int vy)
    {
        var b = Boundaries;
        if (vx == 0 && b.West == BoundaryKind.Dirichlet) return BoundarySide.West;
        if (vx == IntervalsX && b.East == BoundaryKind.Dirichlet) return BoundarySide.East;
        if (vy == 0 && b.South == BoundaryKind.Dirichlet) return BoundarySide.South;
        if (vy == IntervalsY && b.North == BoundaryKind.Dirichlet) return BoundarySide.North;
        return null;
    }
    /// <summary>Domain length along x.</summary>
    public double LengthX { get; }
    /// <summary>Domain length along y.</summary>
    public double LengthY { get; }
    /// <summary>Spacing along x.</summary>
    public double Hx => LengthX / IntervalsX;
    /// <summary>Spacing along y.</summary>
    public double Hy => LengthY / IntervalsY;

    /// <summary>Builds a problem by sampling a, c and f at the vertices.</summary>
    public static EllipticProblem2D FromFunctions(int intervalsX, int intervalsY,
        Func<double, double, double> a, Func<double, double, double> c, Func<double, double, double> f,
        BoundaryConditions2D boundaries, Func<BoundarySide, double, double, double>? boundaryData = null, double lengthX = 1, double lengthY = 1)
    {
        double hx = lengthX / intervalsX, hy = lengthY / intervalsY;
        double[,] Sample(Func<double, double, double> g)
        {
            var v = new double[intervalsY + 1, intervalsX + 1];
            for (int j = 0; j <= intervalsY; j++)
                for (int i = 0; i <= intervalsX; i++) v[j, i] = g(i * hx, j * hy);
            return v;
        }
        return new EllipticProblem2D(intervalsX, intervalsY, Sample(a), Sample(c), Sample(f), boundaries, boundaryData, lengthX, lengthY);
    }
}
