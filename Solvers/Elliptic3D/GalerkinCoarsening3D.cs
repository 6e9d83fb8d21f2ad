using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>
/// The Galerkin coarse operator A_c = P^T A P with trilinear P (Trottenberg et al., Multigrid,
/// 2001, sec. 7.7; the 3D counterpart of <see cref="Elliptic.GalerkinCoarsening"/>). It inherits the
/// fine operator's symmetry and sees fine-scale coefficient jumps. Seven- and 27-point fine
/// stencils give 27-point coarse stencils.
/// </summary>
/// <remarks>
/// A gather, coarse line by coarse line in parallel: coarse point C sits on fine vertex 2C; its
/// interpolation column covers the fine points at relative offsets e in {-1, 0, 1}^3 with weight
/// prod (1 - |e_a| / 2), and a fine point at relative offset r contributes to coarse neighbour d
/// with weight prod (1 - |r_a - 2 d_a| / 2) where every factor is positive. Relative offsets make
/// periodic wrapping automatic. Away from the boundary every fine point and coarse neighbour
/// exists, so those weights are the same at every coarse point: they are listed once per fine
/// stencil (<see cref="Contribution"/>) and applied without the tests.
/// </remarks>
internal static class GalerkinCoarsening3D
{
    /// <summary>Fills <paramref name="coarse"/> with P^T A P for the layouts of the two operators.</summary>
    public static void Compute(StencilOperator3D fine, StencilOperator3D coarse, int threads) => Compute(fine, coarse, threads, interiorShortcut: true);

    /// <summary>As <see cref="Compute(StencilOperator3D, StencilOperator3D, int)"/>; without the shortcut every point takes the general path (for tests).</summary>
    internal static void Compute(StencilOperator3D fine, StencilOperator3D coarse, int threads, bool interiorShortcut)
    {
        var contributions = Contributions(fine.ActiveEntries);
        RowPartition.For(0, coarse.Lines, threads, (lo, hi) =>
        {
            Span<double> row = stackalloc double[StencilOperator3D.StencilSize];
            Span<int> finePoints = stackalloc int[StencilOperator3D.StencilSize];
            for (int line = lo; line < hi; line++)
                for (int ci = 0; ci < coarse.Nx; ci++)
                {
                    row.Clear();
                    int cj = line % coarse.Ny, ck = line / coarse.Ny;
                    if (interiorShortcut && Interior(fine, coarse, ci, cj, ck, finePoints))
                        foreach (var t in contributions) row[t.Target] += t.Weight * fine.Coefficients[t.Entry][finePoints[t.FinePoint]];
                    else AccumulateRow(fine, coarse, ci, cj, ck, row);
                    int p = line * coarse.Nx + ci;
                    for (int t = 0; t < row.Length; t++) coarse.Coefficients[t][p] = row[t];
                }
        });
        coarse.UpdateActiveEntries();
    }

    /// <summary>
    /// Fine point (FinePoint: the stencil index of its offset e in the interpolation column), its stencil
    /// entry Entry, and the coarse neighbour Target it reaches with Weight, when every fine point and
    /// coarse neighbour exists.
    /// </summary>
    readonly record struct Contribution(int FinePoint, int Entry, int Target, double Weight);

    // AccumulateRow's weights with every neighbour present, for the fine stencil's active entries, in its order of summation.
    static Contribution[] Contributions(int[] activeEntries)
    {
        var list = new List<Contribution>();
        for (int ez = -1; ez <= 1; ez++)
            for (int ey = -1; ey <= 1; ey++)
                for (int ex = -1; ex <= 1; ex++)
                {
                    double wp = Hat(ex) * Hat(ey) * Hat(ez);
                    foreach (int t in activeEntries)
                    {
                        var (ox, oy, oz) = StencilOperator3D.OffsetOf(t);
                        int rx = ex + ox, ry = ey + oy, rz = ez + oz;
                        for (int dz = -1; dz <= 1; dz++)
                        {
                            if (Math.Abs(rz - 2 * dz) > 1) continue;
                            for (int dy = -1; dy <= 1; dy++)
                            {
                                if (Math.Abs(ry - 2 * dy) > 1) continue;
                                for (int dx = -1; dx <= 1; dx++)
                                {
                                    if (Math.Abs(rx - 2 * dx) > 1) continue;
                                    list.Add(new(StencilOperator3D.IndexOf(ex, ey, ez), t, StencilOperator3D.IndexOf(dx, dy, dz),
                                        wp * Hat(rz - 2 * dz) * Hat(ry - 2 * dy) * Hat(rx - 2 * dx)));
                                }
                            }
                        }
                    }
                }
        return [.. list];
    }

    // True when coarse point (ci, cj, ck) has all its coarse neighbours and all 27 fine points of its
    // interpolation column, whose fine indices it then writes (at the stencil index of their offset).
    static bool Interior(StencilOperator3D fine, StencilOperator3D coarse, int ci, int cj, int ck, Span<int> finePoints)
    {
        int cvx = coarse.X.FirstVertex + ci, cvy = coarse.Y.FirstVertex + cj, cvz = coarse.Z.FirstVertex + ck;
        Span<int> fi = stackalloc int[3], fj = stackalloc int[3], fk = stackalloc int[3];
        for (int d = -1; d <= 1; d++)
        {
            if (coarse.X.UnknownOf(cvx + d) < 0 || coarse.Y.UnknownOf(cvy + d) < 0 || coarse.Z.UnknownOf(cvz + d) < 0) return false;
            (fi[d + 1], fj[d + 1], fk[d + 1]) = (fine.X.UnknownOf(2 * cvx + d), fine.Y.UnknownOf(2 * cvy + d), fine.Z.UnknownOf(2 * cvz + d));
            if (fi[d + 1] < 0 || fj[d + 1] < 0 || fk[d + 1] < 0) return false;
        }
        for (int ez = -1; ez <= 1; ez++)
            for (int ey = -1; ey <= 1; ey++)
                for (int ex = -1; ex <= 1; ex++)
                    finePoints[StencilOperator3D.IndexOf(ex, ey, ez)] = fi[ex + 1] + fine.Nx * (fj[ey + 1] + fine.Ny * fk[ez + 1]);
        return true;
    }

    static void AccumulateRow(StencilOperator3D fine, StencilOperator3D coarse, int ci, int cj, int ck, Span<double> row)
    {
        int cvx = coarse.X.FirstVertex + ci, cvy = coarse.Y.FirstVertex + cj, cvz = coarse.Z.FirstVertex + ck;
        // Which coarse neighbours exist (Dirichlet boundary vertices carry no unknown).
        Span<bool> hasX = stackalloc bool[3], hasY = stackalloc bool[3], hasZ = stackalloc bool[3];
        for (int d = -1; d <= 1; d++)
        {
            hasX[d + 1] = coarse.X.UnknownOf(cvx + d) >= 0;
            hasY[d + 1] = coarse.Y.UnknownOf(cvy + d) >= 0;
            hasZ[d + 1] = coarse.Z.UnknownOf(cvz + d) >= 0;
        }
        var c = fine.Coefficients;
        for (int ez = -1; ez <= 1; ez++)
        {
            int fk = fine.Z.UnknownOf(2 * cvz + ez);
            if (fk < 0) continue;
            for (int ey = -1; ey <= 1; ey++)
            {
                int fj = fine.Y.UnknownOf(2 * cvy + ey);
                if (fj < 0) continue;
                for (int ex = -1; ex <= 1; ex++)
                {
                    int fi = fine.X.UnknownOf(2 * cvx + ex);
                    if (fi < 0) continue;
                    double wp = Hat(ex) * Hat(ey) * Hat(ez);
                    int p = fi + fine.Nx * (fj + fine.Ny * fk);
                    foreach (int t in fine.ActiveEntries)
                    {
                        double a = c[t][p];
                        if (a == 0) continue;
                        var (ox, oy, oz) = StencilOperator3D.OffsetOf(t);
                        int rx = ex + ox, ry = ey + oy, rz = ez + oz; // fine neighbour's offset from 2C
                        for (int dz = -1; dz <= 1; dz++)
                        {
                            if (!hasZ[dz + 1] || Math.Abs(rz - 2 * dz) > 1) continue;
                            double wz = wp * a * Hat(rz - 2 * dz);
                            for (int dy = -1; dy <= 1; dy++)
                            {
                                if (!hasY[dy + 1] || Math.Abs(ry - 2 * dy) > 1) continue;
                                double wy = wz * Hat(ry - 2 * dy);
                                for (int dx = -1; dx <= 1; dx++)
                                {
                                    if (!hasX[dx + 1] || Math.Abs(rx - 2 * dx) > 1) continue;
                                    row[StencilOperator3D.IndexOf(dx, dy, dz)] += wy * Hat(rx - 2 * dx);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // Linear interpolation weight at fine distance |e| <= 1 from a coarse vertex.
    static double Hat(int e) => e == 0 ? 1 : 0.5;
}
