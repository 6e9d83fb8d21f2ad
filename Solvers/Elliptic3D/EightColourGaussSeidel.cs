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
public sealed class EightColourGaussSeidel(StencilOperator3D a, int threads) : IStencilSmoother
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void RelaxLine(double[] x, double[] b, int cx, int j, int k)
    {
        var coef = a.Coefficients;
        var diag = a.Diagonal;
        var active = a.ActiveEntries;
        var offsets = a.LinearOffsets;
        bool interior = a.IsInteriorLine(j, k);
        int nx = a.Nx, o = nx * (j + a.Ny * k);
        for (int i = cx; i < nx; i += 2)
        {
            int p = o + i;
            double sum = b[p];
            if (interior && i > 0 && i < nx - 1)
            {
                foreach (int t in active)
                    if (t != StencilOperator3D.Centre) sum -= coef[t][p] * x[p + offsets[t]];
            }
            else
            {
                foreach (int t in active)
                {
                    if (t == StencilOperator3D.Centre || coef[t][p] == 0) continue;
                    var (dx, dy, dz) = StencilOperator3D.OffsetOf(t);
                    int q = a.Neighbour(i, j, k, dx, dy, dz);
                    if (q >= 0 && q != p) sum -= coef[t][p] * x[q];
                }
            }
            x[p] = sum / diag[p];
        }
    }
}
