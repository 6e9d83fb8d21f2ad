using System.Runtime.CompilerServices;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>
/// A sparse operator on a logically box-shaped grid of Nx x Ny x Nz unknowns with (up to)
/// 27-point stencils: row p = (i, j, k) couples to (i + dx, j + dy, k + dz) for dx, dy, dz in
/// {-1, 0, 1} with coefficient <c>Coefficients[(dz + 1) * 9 + (dy + 1) * 3 + dx + 1][p]</c>; the 3D
/// counterpart of <see cref="StencilOperator2D"/>. Vectors are compact row-major arrays (x fastest,
/// then y, then z). Periodic axes wrap; elsewhere couplings that would leave the grid are zero.
/// Seven-point fine operators and their 27-point Galerkin coarse operators share this type.
/// </summary>
/// <remarks>
/// Work is split over grid lines (fixed j and k, all i) with <see cref="RowPartition"/>, since a
/// z-plane count alone is too small to split well on coarse levels. Stencil entries that are zero
/// everywhere are skipped once <see cref="UpdateActiveEntries"/> has been called, so a seven-point
/// operator costs seven multiply-adds per point, not 27.
/// </remarks>
public sealed class StencilOperator3D : IResidualOperator
{
    /// <summary>Index of the centre coefficient.</summary>
    public const int Centre = 13;
    /// <summary>Number of stencil entries.</summary>
    public const int StencilSize = 27;

    /// <summary>Creates an operator with all coefficients zero.</summary>
    public StencilOperator3D(AxisLayout x, AxisLayout y, AxisLayout z)
    {
        X = x; Y = y; Z = z;
        Nx = x.Count; Ny = y.Count; Nz = z.Count;
        Coefficients = new double[StencilSize][];
        for (int t = 0; t < StencilSize; t++) Coefficients[t] = new double[Size];
        ActiveEntries = Enumerable.Range(0, StencilSize).ToArray();
    }

    /// <summary>Layout of the x axis.</summary>
    public AxisLayout X { get; }
    /// <summary>Layout of the y axis.</summary>
    public AxisLayout Y { get; }
    /// <summary>Layout of the z axis.</summary>
    public AxisLayout Z { get; }
    /// <summary>Unknowns along x.</summary>
    public int Nx { get; }
    /// <summary>Unknowns along y.</summary>
    public int Ny { get; }
    /// <summary>Unknowns along z.</summary>
    public int Nz { get; }
    /// <summary>Unknowns in all.</summary>
    public int Size => Nx * Ny * Nz;
    /// <summary>Grid lines (fixed j, k): the unit of parallel work.</summary>
    public int Lines => Ny * Nz;
    /// <summary>The 27 coefficient arrays, indexed (dz + 1) * 9 + (dy + 1) * 3 + dx + 1.</summary>
    public double[][] Coefficients { get; }
    /// <summary>Stencil entries that may be non-zero (all 27 until <see cref="UpdateActiveEntries"/> runs).</summary>
    public int[] ActiveEntries { get; private set; }

    /// <summary>Threads used by <see cref="Apply"/> and <see cref="Residual"/>.</summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Stencil index of offset (dx, dy, dz).</summary>
    public static int IndexOf(int dx, int dy, int dz) => (dz + 1) * 9 + (dy + 1) * 3 + dx + 1;

    /// <summary>Offset (dx, dy, dz) of stencil index t.</summary>
    public static (int Dx, int Dy, int Dz) OffsetOf(int t) => (t % 3 - 1, t / 3 % 3 - 1, t / 9 - 1);

    /// <summary>Records which stencil entries are non-zero somewhere; call after filling the coefficients.</summary>
    public void UpdateActiveEntries() =>
        ActiveEntries = Enumerable.Range(0, StencilSize).Where(t => t == Centre || Coefficients[t].Any(v => v != 0)).ToArray();

    /// <summary>Index of the neighbour of (i, j, k) at offset (dx, dy, dz), or -1 when it lies outside the grid.</summary>
    public int Neighbour(int i, int j, int k, int dx, int dy, int dz)
    {
        int ii = Wrap(i + dx, Nx, X.Periodic), jj = Wrap(j + dy, Ny, Y.Periodic), kk = Wrap(k + dz, Nz, Z.Periodic);
        return ii < 0 || jj < 0 || kk < 0 ? -1 : ii + Nx * (jj + Ny * kk);
    }

    static int Wrap(int v, int n, bool periodic)
    {
        if (v >= 0 && v < n) return v;
        return periodic ? (v + n) % n : -1;
    }

    /// <summary>
    /// Start in the compact vector of the line at offset (dy, dz) from line (j, k), wrapping periodic
    /// axes, or -1 when that line lies outside the grid.
    /// </summary>
    public int NeighbourLineStart(int j, int k, int dy, int dz)
    {
        int jj = Wrap(j + dy, Ny, Y.Periodic), kk = Wrap(k + dz, Nz, Z.Periodic);
        return jj < 0 || kk < 0 ? -1 : Nx * (jj + Ny * kk);
    }

    /// <summary>y = A x.</summary>
    public void Apply(double[] x, double[] y) => RowPartition.For(0, Lines, Threads, (lo, hi) =>
    {
        for (int line = lo; line < hi; line++) ApplyLine(x, y, line, null);
    });

    /// <summary>r = b - A x; returns the squared 2-norm of r.</summary>
    public double Residual(double[] x, double[] b, double[] r) => RowReduction.Sum(0, Lines, Threads, (lo, hi) =>
    {
        double sum = 0;
        for (int line = lo; line < hi; line++)
        {
            ApplyLine(x, r, line, b);
            var rs = r.AsSpan(line * Nx, Nx);
            for (int i = 0; i < rs.Length; i++) sum += rs[i] * rs[i];
        }
        return sum;
    });

    /// <summary>Line (j, k) = (line mod Ny, line / Ny) of A x, or of b - A x when <paramref name="b"/> is given, into y.</summary>
    /// <remarks>
    /// Accumulates one stencil entry at a time over the whole line: the neighbour line is found once
    /// per entry, so faces, edges and periodic wrapping cost nothing per point except at the two
    /// ends of a line whose x axis wraps.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ApplyLine(double[] x, double[] y, int line, double[]? b)
    {
        int j = line % Ny, k = line / Ny, o = line * Nx;
        var ys = y.AsSpan(o, Nx);
        ys.Clear();
        foreach (int t in ActiveEntries)
        {
            var (dx, dy, dz) = OffsetOf(t);
            int no = NeighbourLineStart(j, k, dy, dz);
            if (no < 0) continue;
            var c = Coefficients[t];
            // Points whose x neighbour i + dx lies on the line without wrapping.
            int lo = Math.Max(0, -dx), n = Nx - Math.Abs(dx);
            if (n > 0)
            {
                var cs = c.AsSpan(o + lo, n);
                var xs = x.AsSpan(no + lo + dx, n);
                var yl = ys.Slice(lo, n);
                for (int i = 0; i < cs.Length; i++) yl[i] += cs[i] * xs[i];
            }
            if (dx != 0 && X.Periodic)
            {
                int i = dx < 0 ? 0 : Nx - 1;
                ys[i] += c[o + i] * x[no + (dx < 0 ? Nx - 1 : 0)];
            }
        }
        if (b is not null)
        {
            var bs = b.AsSpan(o, Nx);
            for (int i = 0; i < ys.Length; i++) ys[i] = bs[i] - ys[i];
        }
    }

    /// <summary>The diagonal (centre coefficients); the array is shared, not copied.</summary>
    public double[] Diagonal => Coefficients[Centre];

    /// <summary>The dense matrix (for the coarsest level's direct solve and for tests).</summary>
    public double[,] ToDense()
    {
        var m = new double[Size, Size];
        for (int k = 0; k < Nz; k++)
            for (int j = 0; j < Ny; j++)
                for (int i = 0; i < Nx; i++)
                {
                    int p = i + Nx * (j + Ny * k);
                    foreach (int t in ActiveEntries)
                    {
                        var (dx, dy, dz) = OffsetOf(t);
                        int q = Neighbour(i, j, k, dx, dy, dz);
                        if (q >= 0) m[p, q] += Coefficients[t][p];
                    }
                }
        return m;
    }

    /// <summary>True when every coupling equals its transpose to a relative 1e-12.</summary>
    public bool IsSymmetric()
    {
        for (int k = 0; k < Nz; k++)
            for (int j = 0; j < Ny; j++)
                for (int i = 0; i < Nx; i++)
                    for (int t = 0; t < StencilSize; t++)
                    {
                        var (dx, dy, dz) = OffsetOf(t);
                        int q = Neighbour(i, j, k, dx, dy, dz);
                        if (q < 0) continue;
                        double a = Coefficients[t][i + Nx * (j + Ny * k)], b = Coefficients[StencilSize - 1 - t][q];
                        if (Math.Abs(a - b) > 1e-12 * (Math.Abs(a) + Math.Abs(b) + 1e-300)) return false;
                    }
        return true;
    }
}
