using System.Runtime.InteropServices;

namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// One level of a vertex-centred multigrid hierarchy for the five-point operator
/// -(u_xx + u_yy). Arrays hold (Nx + 2) x (Ny + 2) values row-major with a ring of boundary
/// values around the interior, so stencils need no bounds tests; the ring stays zero
/// (homogeneous Dirichlet data is folded into the right-hand side).
/// </summary>
internal sealed class GridLevel
{
    /// <summary>Creates a level of nx x ny interior points with spacings hx, hy.</summary>
    public GridLevel(int nx, int ny, double hx, double hy)
    {
        Nx = nx; Ny = ny; Hx = hx; Hy = hy;
        Stride = nx + 2;
        int size = checked((nx + 2) * (ny + 2));
        U = new double[size];
        F = new double[size];
        R = new double[size];
        Ax = 1.0 / (hx * hx);
        Ay = 1.0 / (hy * hy);
        Diagonal = 2 * Ax + 2 * Ay;
    }

    /// <summary>Interior points along x.</summary>
    public int Nx { get; }
    /// <summary>Interior points along y.</summary>
    public int Ny { get; }
    /// <summary>Row length including the boundary ring.</summary>
    public int Stride { get; }
    /// <summary>Spacing along x.</summary>
    public double Hx { get; }
    /// <summary>Spacing along y.</summary>
    public double Hy { get; }
    /// <summary>Off-diagonal weight along x, 1/hx^2.</summary>
    public double Ax { get; }
    /// <summary>Off-diagonal weight along y, 1/hy^2.</summary>
    public double Ay { get; }
    /// <summary>Diagonal of the operator, 2/hx^2 + 2/hy^2.</summary>
    public double Diagonal { get; }
    /// <summary>Solution (or correction on coarse levels).</summary>
    public double[] U { get; }
    /// <summary>Right-hand side.</summary>
    public double[] F { get; }
    /// <summary>Residual workspace.</summary>
    public double[] R { get; }

    /// <summary>Index of interior point (i, j), both 0-based, in the padded arrays.</summary>
    public int Index(int i, int j) => (j + 1) * Stride + i + 1;

    /// <summary>True when this level can be coarsened by a factor two along both axes.</summary>
    public bool CanCoarsen => Nx >= 3 && Ny >= 3 && Nx % 2 == 1 && Ny % 2 == 1;

    /// <summary>The next coarser level: (n - 1) / 2 interior points and twice the spacing.</summary>
    public GridLevel Coarsen() => new((Nx - 1) / 2, (Ny - 1) / 2, 2 * Hx, 2 * Hy);

    /// <summary>Copies a [y, x] interior array into a padded array.</summary>
    public void Load(double[,] interior, double[] padded)
    {
        if (interior.GetLength(0) != Ny || interior.GetLength(1) != Nx)
            throw new ArgumentException($"expected a {Ny} x {Nx} field, got {interior.GetLength(0)} x {interior.GetLength(1)}");
        var source = MemoryMarshal.CreateReadOnlySpan(ref interior[0, 0], Nx * Ny);
        for (int j = 0; j < Ny; j++) source.Slice(j * Nx, Nx).CopyTo(padded.AsSpan(Index(0, j), Nx));
    }

    /// <summary>Copies the interior of a padded array into a new [y, x] array.</summary>
    public double[,] Extract(double[] padded)
    {
        var interior = new double[Ny, Nx];
        ExtractInto(padded, interior);
        return interior;
    }

    /// <summary>Copies the interior of a padded array into an existing [y, x] array.</summary>
    public void ExtractInto(double[] padded, double[,] interior)
    {
        if (interior.GetLength(0) != Ny || interior.GetLength(1) != Nx)
            throw new ArgumentException($"expected a {Ny} x {Nx} field, got {interior.GetLength(0)} x {interior.GetLength(1)}");
        var target = MemoryMarshal.CreateSpan(ref interior[0, 0], Nx * Ny);
        for (int j = 0; j < Ny; j++) padded.AsSpan(Index(0, j), Nx).CopyTo(target.Slice(j * Nx, Nx));
    }
}
