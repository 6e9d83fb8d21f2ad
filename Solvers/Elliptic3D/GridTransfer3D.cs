using PdeOps.Solvers.Common;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>
/// Trilinear prolongation P from a coarse to a fine grid and its transpose R = P^T, as a tensor
/// product of per-axis linear interpolation (<see cref="AxisTransfer"/>); the 3D counterpart of
/// <see cref="Elliptic.GridTransfer"/>. Both are gathers (each output point reads its inputs), so
/// grid lines run in parallel without write conflicts.
/// </summary>
public sealed class GridTransfer3D : IGridTransfer
{
    readonly AxisTransfer _x, _y, _z;

    /// <summary>Builds the transfer between <paramref name="fine"/> and <paramref name="coarse"/>.</summary>
    public GridTransfer3D(StencilOperator3D fine, StencilOperator3D coarse)
    {
        Fine = fine; Coarse = coarse;
        _x = new AxisTransfer(fine.X, coarse.X);
        _y = new AxisTransfer(fine.Y, coarse.Y);
        _z = new AxisTransfer(fine.Z, coarse.Z);
    }

    /// <summary>The fine operator.</summary>
    public StencilOperator3D Fine { get; }
    /// <summary>The coarse operator.</summary>
    public StencilOperator3D Coarse { get; }

    /// <summary>fine += P coarse.</summary>
    public void ProlongAdd(double[] coarse, double[] fine, int threads)
    {
        int nx = Fine.Nx, ny = Fine.Ny, cnx = Coarse.Nx, cny = Coarse.Ny;
        RowPartition.For(0, Fine.Lines, threads, (lo, hi) =>
        {
            for (int line = lo; line < hi; line++)
            {
                var wy = _y.Fine[line % ny];
                var wz = _z.Fine[line / ny];
                int o = line * nx;
                for (int i = 0; i < nx; i++)
                {
                    var wx = _x.Fine[i];
                    double s = 0;
                    foreach (var (ck, vz) in wz)
                        foreach (var (cj, vy) in wy)
                        {
                            int co = cnx * (cj + cny * ck);
                            foreach (var (ci, vx) in wx) s += vz * vy * vx * coarse[co + ci];
                        }
                    fine[o + i] += s;
                }
            }
        });
    }

    /// <summary>coarse = P^T fine.</summary>
    public void Restrict(double[] fine, double[] coarse, int threads)
    {
        int nx = Fine.Nx, ny = Fine.Ny, cnx = Coarse.Nx, cny = Coarse.Ny;
        RowPartition.For(0, Coarse.Lines, threads, (lo, hi) =>
        {
            for (int line = lo; line < hi; line++)
            {
                var wy = _y.Coarse[line % cny];
                var wz = _z.Coarse[line / cny];
                int o = line * cnx;
                for (int ci = 0; ci < cnx; ci++)
                {
                    var wx = _x.Coarse[ci];
                    double s = 0;
                    foreach (var (k, vz) in wz)
                        foreach (var (j, vy) in wy)
                        {
                            int fo = nx * (j + ny * k);
                            foreach (var (i, vx) in wx) s += vz * vy * vx * fine[fo + i];
                        }
                    coarse[o + ci] = s;
                }
            }
        });
    }
}
