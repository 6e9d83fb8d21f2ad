namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// The Galerkin coarse operator A_c = P^T A P with bilinear P (Trottenberg et al., Multigrid,
/// 2001, sec. 7.7). It inherits the fine operator's symmetry and, unlike rediscretisation, sees
/// the fine-scale coefficient jumps, which keeps multigrid effective on Darcy-type problems.
/// Five- and nine-point fine stencils give nine-point coarse stencils.
/// </summary>
public static class GalerkinCoarsening
{
    /// <summary>Computes the coarse operator on the layout of <paramref name="transferTarget"/>.</summary>
    public static void Compute(StencilOperator2D fine, GridTransfer transfer, StencilOperator2D transferTarget)
    {
        var coarse = transferTarget;
        foreach (var array in coarse.Coefficients) Array.Clear(array);
        int nx = fine.Nx, ny = fine.Ny, cnx = coarse.Nx, cny = coarse.Ny;
        // Coarse rows are written from fine rows 2J - 2 .. 2J + 2 at most; accumulate per fine
        // row sequentially (the cost is a small multiple of one fine sweep).
        for (int j = 0; j < ny; j++)
        {
            var pyRow = transfer.WeightsY(j);
            for (int i = 0; i < nx; i++)
            {
                int p = j * nx + i;
                var pxRow = transfer.WeightsX(i);
                for (int k = 0; k < 9; k++)
                {
                    double a = fine.Coefficients[k][p];
                    if (a == 0) continue;
                    int di = k % 3 - 1, dj = k / 3 - 1;
                    int q = fine.Neighbour(i, j, di, dj);
                    if (q < 0) continue;
                    int qi = q % nx, qj = q / nx;
                    var qx = transfer.WeightsX(qi);
                    var qy = transfer.WeightsY(qj);
                    foreach (var (cj, wpy) in pyRow)
                        foreach (var (ci, wpx) in pxRow)
                        {
                            double left = wpx * wpy * a;
                            int row = cj * cnx + ci;
                            foreach (var (cqj, wqy) in qy)
                                foreach (var (cqi, wqx) in qx)
                                {
                                    int oi = Offset(cqi - ci, cnx, coarse.X.Periodic);
                                    int oj = Offset(cqj - cj, cny, coarse.Y.Periodic);
                                    coarse.Coefficients[(oj + 1) * 3 + oi + 1][row] += left * wqx * wqy;
                                }
                        }
                }
            }
        }
    }

    // Offset between coarse indices, wrapped on periodic axes into -1..1.
    static int Offset(int d, int n, bool periodic)
    {
        if (periodic && n > 2)
        {
            if (d > 1) d -= n;
            else if (d < -1) d += n;
        }
        if (d < -1 || d > 1) throw new InvalidOperationException($"Galerkin product produced a coupling at offset {d}; the transfer is not local");
        return d;
    }
}
