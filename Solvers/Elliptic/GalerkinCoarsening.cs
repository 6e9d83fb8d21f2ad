using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// The Galerkin coarse operator A_c = P^T A P with bilinear P (Trottenberg et al., Multigrid,
/// 2001, sec. 7.7). It inherits the fine operator's symmetry and, unlike rediscretisation, sees
/// the fine-scale coefficient jumps, which keeps multigrid effective on Darcy-type problems.
/// Five- and nine-point fine stencils give nine-point coarse stencils.
/// </summary>
/// <remarks>
/// Computed as a gather, coarse row by coarse row in parallel: coarse point (I, J) sits on fine
/// vertex (2I, 2J); its interpolation column covers the fine points at relative offsets
/// e in {-1, 0, 1}^2 with weights (1 - |e_x| / 2)(1 - |e_y| / 2), and a fine point at relative
/// offset r contributes to coarse neighbour d with weight (1 - |r - 2d| / 2) per axis when that is
/// positive. Working in relative offsets makes periodic wrapping automatic.
/// Away from the boundary every fine point and every coarse neighbour exists, so those weights are
/// the same at every coarse point: they are listed once (<see cref="Contribution"/>) and applied
/// without the tests.
/// </remarks>
internal static class GalerkinCoarsening
{
    /// <summary>Fills <paramref name="coarse"/> with P^T A P for the layouts of <paramref name="fine"/> and <paramref name="coarse"/>.</summary>
    public static void Compute(StencilOperator2D fine, StencilOperator2D coarse, int threads) => Compute(fine, coarse, threads, interiorShortcut: true);

    /// <summary>As <see cref="Compute(StencilOperator2D, StencilOperator2D, int)"/>; without the shortcut every point takes the general path (for tests).</summary>
    internal static void Compute(StencilOperator2D fine, StencilOperator2D coarse, int threads, bool interiorShortcut)
    {
        foreach (var array in coarse.Coefficients) Array.Clear(array);
        // A five-point fine stencil has no corner entries to carry.
        var contributions = fine.IsFivePoint ? s_fivePointContributions : s_contributions;
        RowPartition.For(0, coarse.Ny, threads, (lo, hi) =>
        {
            Span<double> row = stackalloc double[9];
            Span<int> finePoints = stackalloc int[9];
            for (int cj = lo; cj < hi; cj++)
                for (int ci = 0; ci < coarse.Nx; ci++)
                {
                    row.Clear();
                    if (interiorShortcut && Interior(fine, coarse, ci, cj, finePoints))
                        foreach (var t in contributions) row[t.Target] += t.Weight * fine.Coefficients[t.Entry][finePoints[t.FinePoint]];
                    else AccumulateRow(fine, coarse, ci, cj, row);
                    int p = cj * coarse.Nx + ci;
                    for (int k = 0; k < 9; k++) coarse.Coefficients[k][p] = row[k];
                }
        });
    }

    /// <summary>
    /// Fine point (FinePoint = (ey + 1) * 3 + ex + 1 of the interpolation column), its stencil entry Entry,
    /// and the coarse neighbour Target it reaches with Weight, when every fine point and coarse neighbour exists.
    /// </summary>
    readonly record struct Contribution(int FinePoint, int Entry, int Target, double Weight);

    static readonly Contribution[] s_contributions = Contributions(fivePoint: false);
    static readonly Contribution[] s_fivePointContributions = Contributions(fivePoint: true);

    // AccumulateRow's weights with every neighbour present.
    static Contribution[] Contributions(bool fivePoint)
    {
        var list = new List<Contribution>();
        for (int ey = -1; ey <= 1; ey++)
            for (int ex = -1; ex <= 1; ex++)
            {
                double wp = (ey == 0 ? 1 : 0.5) * (ex == 0 ? 1 : 0.5);
                for (int k = 0; k < 9; k++)
                {
                    if (fivePoint && k % 3 != 1 && k / 3 != 1) continue; // a corner
                    int rx = ex + k % 3 - 1, ry = ey + k / 3 - 1;
                    for (int dy = -1; dy <= 1; dy++)
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            int distX = Math.Abs(rx - 2 * dx), distY = Math.Abs(ry - 2 * dy);
                            if (distX > 1 || distY > 1) continue;
                            list.Add(new((ey + 1) * 3 + ex + 1, k, (dy + 1) * 3 + dx + 1, wp * (distY == 0 ? 1 : 0.5) * (distX == 0 ? 1 : 0.5)));
                        }
                }
            }
        return [.. list];
    }

    // True when coarse point (ci, cj) has all its coarse neighbours and all nine fine points of its
    // interpolation column, whose fine indices it then writes ((ey + 1) * 3 + ex + 1).
    static bool Interior(StencilOperator2D fine, StencilOperator2D coarse, int ci, int cj, Span<int> finePoints)
    {
        int cvx = coarse.X.FirstVertex + ci, cvy = coarse.Y.FirstVertex + cj;
        for (int d = -1; d <= 1; d++)
            if (!Exists(coarse.X, cvx + d) || !Exists(coarse.Y, cvy + d)) return false;
        Span<int> fi = stackalloc int[3];
        Span<int> fj = stackalloc int[3];
        for (int e = -1; e <= 1; e++)
        {
            if (!Exists(fine.X, 2 * cvx + e) || !Exists(fine.Y, 2 * cvy + e)) return false;
            (fi[e + 1], fj[e + 1]) = (fine.X.UnknownOf(2 * cvx + e), fine.Y.UnknownOf(2 * cvy + e));
        }
        for (int ey = 0; ey < 3; ey++)
            for (int ex = 0; ex < 3; ex++) finePoints[ey * 3 + ex] = fj[ey] * fine.Nx + fi[ex];
        return true;
    }

    // Vertex v of an axis carries an unknown and lies on the grid (or the axis wraps).
    static bool Exists(AxisLayout axis, int v) => axis.UnknownOf(v) >= 0 && (axis.Periodic || (v >= 0 && v <= axis.Intervals));

    static void AccumulateRow(StencilOperator2D fine, StencilOperator2D coarse, int ci, int cj, Span<double> row)
    {
        int cvx = coarse.X.FirstVertex + ci, cvy = coarse.Y.FirstVertex + cj;
        // Which coarse neighbours exist (Dirichlet boundary vertices carry no unknown).
        Span<bool> hasX = stackalloc bool[3];
        Span<bool> hasY = stackalloc bool[3];
        for (int d = -1; d <= 1; d++)
        {
            hasX[d + 1] = Exists(coarse.X, cvx + d);
            hasY[d + 1] = Exists(coarse.Y, cvy + d);
        }
        var c = fine.Coefficients;
        for (int ey = -1; ey <= 1; ey++)
        {
            if (!Exists(fine.Y, 2 * cvy + ey)) continue;
            int fj = fine.Y.UnknownOf(2 * cvy + ey);
            double wy = ey == 0 ? 1 : 0.5;
            for (int ex = -1; ex <= 1; ex++)
            {
                if (!Exists(fine.X, 2 * cvx + ex)) continue;
                int fi = fine.X.UnknownOf(2 * cvx + ex);
                double wp = wy * (ex == 0 ? 1 : 0.5);
                int p = fj * fine.Nx + fi;
                for (int k = 0; k < 9; k++)
                {
                    double a = c[k][p];
                    if (a == 0) continue;
                    int rx = ex + k % 3 - 1, ry = ey + k / 3 - 1; // fine neighbour's offset from (2I, 2J)
                    for (int dy = -1; dy <= 1; dy++)
                    {
                        int distY = Math.Abs(ry - 2 * dy);
                        if (distY > 1 || !hasY[dy + 1]) continue;
                        double wqy = distY == 0 ? 1 : 0.5;
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            int distX = Math.Abs(rx - 2 * dx);
                            if (distX > 1 || !hasX[dx + 1]) continue;
                            row[(dy + 1) * 3 + dx + 1] += wp * a * wqy * (distX == 0 ? 1 : 0.5);
                        }
                    }
                }
            }
        }
    }
}
