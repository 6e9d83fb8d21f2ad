namespace PdeOps.Physics.Grids;

/// <summary>
/// A uniform vertex-centred grid of <see cref="Nx"/> x <see cref="Ny"/> interior points on the
/// rectangle [0, Lx] x [0, Ly]. Boundary vertices lie on the edges and are not counted, so the
/// spacing is h = L / (n + 1): the layout of the classic five-point finite-difference Laplacian.
/// Fields on it are stored row-major with index [y, x] (x fastest).
/// </summary>
public sealed record UniformGrid2D
{
    /// <summary>Creates a grid of nx x ny interior points on [0, lx] x [0, ly].</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is below 1 or a length is not positive.</exception>
    public UniformGrid2D(int nx, int ny, double lx = 1.0, double ly = 1.0)
    {
        if (nx < 1) throw new ArgumentOutOfRangeException(nameof(nx), nx, "a grid needs at least one interior point per axis");
        if (ny < 1) throw new ArgumentOutOfRangeException(nameof(ny), ny, "a grid needs at least one interior point per axis");
        if (!(lx > 0) || !(ly > 0)) throw new ArgumentOutOfRangeException(nameof(lx), "domain lengths must be positive");
        Nx = nx; Ny = ny; Lx = lx; Ly = ly;
    }

    /// <summary>A square grid of n x n interior points on the unit square.</summary>
    public static UniformGrid2D UnitSquare(int n) => new(n, n);

    /// <summary>Interior points along x.</summary>
    public int Nx { get; }
    /// <summary>Interior points along y.</summary>
    public int Ny { get; }
    /// <summary>Domain length along x.</summary>
    public double Lx { get; }
    /// <summary>Domain length along y.</summary>
    public double Ly { get; }
    /// <summary>Spacing along x.</summary>
    public double Hx => Lx / (Nx + 1);
    /// <summary>Spacing along y.</summary>
    public double Hy => Ly / (Ny + 1);
    /// <summary>Number of interior unknowns.</summary>
    public long Unknowns => (long)Nx * Ny;

    /// <summary>x coordinate of interior column i (0-based).</summary>
    public double X(int i) => (i + 1) * Hx;
    /// <summary>y coordinate of interior row j (0-based).</summary>
    public double Y(int j) => (j + 1) * Hy;

    /// <summary>Interior x coordinates.</summary>
    public double[] XCoordinates() => Enumerable.Range(0, Nx).Select(X).ToArray();
    /// <summary>Interior y coordinates.</summary>
    public double[] YCoordinates() => Enumerable.Range(0, Ny).Select(Y).ToArray();

    /// <summary>Samples f(x, y) at the interior points into a [y, x] array.</summary>
    public double[,] Sample(Func<double, double, double> f)
    {
        var values = new double[Ny, Nx];
        for (int j = 0; j < Ny; j++)
        {
            double y = Y(j);
            for (int i = 0; i < Nx; i++) values[j, i] = f(X(i), y);
        }
        return values;
    }
}
