using System.Runtime.CompilerServices;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// The interpolation that carries a coarse solution to the next finer grid in full multigrid.
/// FMG needs an interpolation of higher order than the discretisation (Trottenberg et al., 2001,
/// sec. 2.6): with the second-order five-point stencil, bilinear interpolation leaves an
/// algebraic error comparable to the discretisation error, cubic interpolation does not.
/// This is tensor-product cubic (weights -1, 9, 9, -1 over 16), quadratic next to the boundary,
/// where the boundary value (zero) is the third point.
/// </summary>
internal sealed class FmgInterpolation
{
    readonly double[] _rows; // coarse rows interpolated along x: (coarse.Ny + 2) rows of fine.Stride

    /// <summary>Allocates the workspace for interpolating from <paramref name="coarse"/> to <paramref name="fine"/>.</summary>
    public FmgInterpolation(GridLevel coarse, GridLevel fine)
    {
        Coarse = coarse;
        Fine = fine;
        _rows = new double[(coarse.Ny + 2) * fine.Stride];
    }

    /// <summary>The coarse level.</summary>
    public GridLevel Coarse { get; }
    /// <summary>The fine level.</summary>
    public GridLevel Fine { get; }

    /// <summary>fine.U = cubic interpolation of coarse.U.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(int threads)
    {
        int fs = Fine.Stride, cs = Coarse.Stride, nxc = Coarse.Nx, nyc = Coarse.Ny;
        double[] c = Coarse.U, rows = _rows, u = Fine.U;
        RowPartition.For(1, nyc + 1, threads, (lo, hi) =>
        {
            for (int jc = lo; jc < hi; jc++)
                Interpolate(c.AsSpan(jc * cs, cs), rows.AsSpan(jc * fs, fs), nxc);
        });
        RowPartition.For(1, Fine.Ny + 1, threads, (lo, hi) =>
        {
            for (int j = lo; j < hi; j++)
            {
                var dst = u.AsSpan(j * fs, fs);
                int k = j >> 1;
                if ((j & 1) == 0) { rows.AsSpan(k * fs, fs).CopyTo(dst); continue; }
                // Fine row j lies between coarse rows k and k + 1.
                var b = rows.AsSpan(k * fs, fs);
                var d = rows.AsSpan((k + 1) * fs, fs);
                if (k == 0 || k == nyc)
                {
                    // Quadratic through the boundary row (zero) and the two nearest interior rows.
                    var inner = k == 0 ? d : b;
                    var next = rows.AsSpan((k == 0 ? 2 : nyc - 1) * fs, fs);
                    for (int i = 1; i < fs - 1; i++) dst[i] = 0.75 * inner[i] - 0.125 * next[i];
                }
                else
                {
                    var a = rows.AsSpan((k - 1) * fs, fs);
                    var e = rows.AsSpan((k + 2) * fs, fs);
                    for (int i = 1; i < fs - 1; i++) dst[i] = 0.5625 * (b[i] + d[i]) - 0.0625 * (a[i] + e[i]);
                }
            }
        });
    }

    // Interpolates one padded coarse row (nxc interior values, zero ends) to a padded fine row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Interpolate(ReadOnlySpan<double> c, Span<double> f, int nxc)
    {
        for (int k = 1; k <= nxc; k++) f[2 * k] = c[k];
        for (int k = 0; k <= nxc; k++)
        {
            double v;
            if (nxc == 1) v = 0.5 * (c[k] + c[k + 1]);
            else if (k == 0) v = 0.75 * c[1] - 0.125 * c[2];
            else if (k == nxc) v = 0.75 * c[nxc] - 0.125 * c[nxc - 1];
            else v = 0.5625 * (c[k] + c[k + 1]) - 0.0625 * (c[k - 1] + c[k + 2]);
            f[2 * k + 1] = v;
        }
    }
}
