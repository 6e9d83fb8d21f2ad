namespace PdeOps.Physics.Problems;

/// <summary>
/// The scalar elliptic problem -div(a grad u) + c u = f on [0, Lx] x [0, Ly] x [0, Lz] with
/// boundary conditions per side; the 3D counterpart of <see cref="EllipticProblem2D"/>. The box is
/// divided into Mx x My x Mz equal intervals; a, c and f are given at the vertices as arrays
/// indexed [z, y, x]. Boundary data g(side, x, y, z) is the value of u on Dirichlet sides and the
/// outward conormal flux a du/dn on Neumann sides (ignored on periodic sides).
/// </summary>
public sealed record EllipticProblem3D
{
    /// <summary>Creates the problem and checks shapes and values.</summary>
    /// <exception cref="ArgumentException">Shapes disagree, a is not positive, or a value is not finite.</exception>
    public EllipticProblem3D(int intervalsX, int intervalsY, int intervalsZ, double[,,] a, double[,,] c, double[,,] f,
        BoundaryConditions3D boundaries, Func<BoundarySide3D, double, double, double, double>? boundaryData = null,
        double lengthX = 1, double lengthY = 1, double lengthZ = 1)
    {
        if (intervalsX < 2 || intervalsY < 2 || intervalsZ < 2) throw new ArgumentException("at least two intervals per axis are needed");
        if (!(lengthX > 0) || !(lengthY > 0) || !(lengthZ > 0)) throw new ArgumentException("domain lengths must be positive");
        foreach (var (name, field) in new[] { ("a", a), ("c", c), ("f", f) })
        {
            if (field.GetLength(0) != intervalsZ + 1 || field.GetLength(1) != intervalsY + 1 || field.GetLength(2) != intervalsX + 1)
                throw new ArgumentException($"field {name} is {field.GetLength(0)} x {field.GetLength(1)} x {field.GetLength(2)}; "
                    + $"expected {intervalsZ + 1} x {intervalsY + 1} x {intervalsX + 1} vertex values [z, y, x]");
            VertexValues.RequireFinite(name, VertexValues.Flat(field));
        }
        VertexValues.RequirePositive(VertexValues.Flat(a));
        IntervalsX = intervalsX; IntervalsY = intervalsY; IntervalsZ = intervalsZ;
        A = a; C = c; F = f;
        Boundaries = boundaries;
        BoundaryData = boundaryData ?? ((_, _, _, _) => 0.0);
        LengthX = lengthX; LengthY = lengthY; LengthZ = lengthZ;
    }

    /// <summary>Intervals along x.</summary>
    public int IntervalsX { get; }
    /// <summary>Intervals along y.</summary>
    public int IntervalsY { get; }
    /// <summary>Intervals along z.</summary>
    public int IntervalsZ { get; }
    /// <summary>Diffusion coefficient at the vertices, [z, y, x].</summary>
    public double[,,] A { get; }
    /// <summary>Reaction coefficient at the vertices, [z, y, x].</summary>
    public double[,,] C { get; }
    /// <summary>Right-hand side at the vertices, [z, y, x].</summary>
    public double[,,] F { get; }
    /// <summary>Boundary conditions.</summary>
    public BoundaryConditions3D Boundaries { get; }
    /// <summary>
    /// Boundary data g(side, x, y, z): the value of u where the side is Dirichlet, the outward flux
    /// a du/dn where it is Neumann. Edge and corner vertices are asked once per side they belong to.
    /// </summary>
    public Func<BoundarySide3D, double, double, double, double> BoundaryData { get; }
    /// <summary>Domain length along x.</summary>
    public double LengthX { get; }
    /// <summary>Domain length along y.</summary>
    public double LengthY { get; }
    /// <summary>Domain length along z.</summary>
    public double LengthZ { get; }
    /// <summary>Spacing along x.</summary>
    public double Hx => LengthX / IntervalsX;
    /// <summary>Spacing along y.</summary>
    public double Hy => LengthY / IntervalsY;
    /// <summary>Spacing along z.</summary>
    public double Hz => LengthZ / IntervalsZ;

    /// <summary>The Dirichlet side that vertex (vx, vy, vz) lies on, or null when it lies on none.</summary>
    public BoundarySide3D? DirichletSideOf(int vx, int vy, int vz)
    {
        var b = Boundaries;
        if (vx == 0 && b.West == BoundaryKind.Dirichlet) return BoundarySide3D.West;
        if (vx == IntervalsX && b.East == BoundaryKind.Dirichlet) return BoundarySide3D.East;
        if (vy == 0 && b.South == BoundaryKind.Dirichlet) return BoundarySide3D.South;
        if (vy == IntervalsY && b.North == BoundaryKind.Dirichlet) return BoundarySide3D.North;
        if (vz == 0 && b.Bottom == BoundaryKind.Dirichlet) return BoundarySide3D.Bottom;
        if (vz == IntervalsZ && b.Top == BoundaryKind.Dirichlet) return BoundarySide3D.Top;
        return null;
    }

    /// <summary>Builds a problem by sampling a, c and f at the vertices.</summary>
    public static EllipticProblem3D FromFunctions(int intervalsX, int intervalsY, int intervalsZ,
        Func<double, double, double, double> a, Func<double, double, double, double> c, Func<double, double, double, double> f,
        BoundaryConditions3D boundaries, Func<BoundarySide3D, double, double, double, double>? boundaryData = null,
        double lengthX = 1, double lengthY = 1, double lengthZ = 1)
    {
        double hx = lengthX / intervalsX, hy = lengthY / intervalsY, hz = lengthZ / intervalsZ;
        double[,,] Sample(Func<double, double, double, double> g)
        {
            var v = new double[intervalsZ + 1, intervalsY + 1, intervalsX + 1];
            for (int k = 0; k <= intervalsZ; k++)
                for (int j = 0; j <= intervalsY; j++)
                    for (int i = 0; i <= intervalsX; i++) v[k, j, i] = g(i * hx, j * hy, k * hz);
            return v;
        }
        return new EllipticProblem3D(intervalsX, intervalsY, intervalsZ, Sample(a), Sample(c), Sample(f),
            boundaries, boundaryData, lengthX, lengthY, lengthZ);
    }
}
