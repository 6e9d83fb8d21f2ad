using System.Runtime.CompilerServices;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>
/// Gauss-Seidel in eight colours (parities of i, j and k), the 3D counterpart of
/// <see cref="MulticolorGaussSeidel"/> (Trottenberg et al., Multigrid, 2001, sec. 5.4). With stencils
/// of at most 27 points, points of one colour never couple, so each colour is relaxed in parallel
/// and the result does not depend on the thread count. A reverse sweep visits the colours in the
/// opposite order, the adjoint of a forward sweep, so forward pre- and reverse post-smoothing give a
/// symmetric cycle.
/// </summary>
internal sealed class EightColourGaussSeidel(StencilOperator3D a, int threads) : IStencilSmoother
{
    /// <inheritdoc />
    public void Smooth(double[] x, double[] b, int sweeps, bool reverse)
    {
        for (int s = 0; s < sweeps; s++)
            for (int c = 0; c < 8; c++)
            {
                int colour = reverse ? 7 - c : c;
                Relax(x, b, colour & 1, (colour >> 1) & 1, colour >> 2);
            }
    }

    void Relax(double[] x, double[] b, int cx, int cy, int cz)
    {
        int linesY = (a.Ny - cy + 1) / 2, linesZ = (a.Nz - cz + 1) / 2;
        RowPartition.For(0, linesY * linesZ, threads, (lo, hi) =>
        {
            for (int r = lo; r < hi; r++) RelaxLine(x, b, cx, cy + 2 * (r % linesY), cz + 2 * (r / linesY));
        });
    }

    // Points of one colour on a line never couple to each other, so x of those points can hold the
    // running sum b - sum_{t != centre} a_t x_t entry by entry, then be divided by the diagonal.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void RelaxLine(double[] x, double[] b, int cx, int j, int k)
    {
        int nx = a.Nx, o = nx * (j + a.Ny * k);
        for (int i = cx; i < nx; i += 2) x[o + i] = b[o + i];
        foreach (int t in a.ActiveEntries)
        {
            if (t == StencilOperator3D.Centre) continue;
            var (dx, dy, dz) = StencilOperator3D.OffsetOf(t);
            int no = a.NeighbourLineStart(j, k, dy, dz);
            if (no < 0) continue;
            var c = a.Coefficients[t];
            // Points of colour cx whose neighbour i + dx lies on the line without wrapping.
            int lo = Math.Max(0, -dx), first = lo + ((lo ^ cx) & 1), last = Math.Min(nx, nx - dx);
            int shift = no - o + dx;
            for (int i = first; i < last; i += 2)
            {
                int p = o + i;
                x[p] -= c[p] * x[p + shift];
            }
            if (dx != 0 && a.X.Periodic)
            {
                int i = dx < 0 ? 0 : nx - 1;
                if ((i & 1) == cx) x[o + i] -= c[o + i] * x[no + (dx < 0 ? nx - 1 : 0)];
            }
        }
        var diag = a.Diagonal;
        for (int i = cx; i < nx; i += 2) x[o + i] /= diag[o + i];
    }
}
