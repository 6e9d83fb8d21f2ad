using PdeOps.Solvers.Common;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>
/// Trilinear prolongation P from a coarse to a fine grid and its transpose R = P^T, as a tensor
/// product of per-axis linear interpolation (<see cref="AxisTransfer"/>); the 3D counterpart of
/// <see cref="Elliptic.GridTransfer"/>. Both are gathers (each output point reads its inputs), so
/// grid lines run in parallel without write conflicts.
/// </summary>
internal sealed class GridTransfer3D : IGridTransfer
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
    public void ProlongAdd(double[] coarse, double[] fine, int threads) =>
        Gather(_x.Fine, _y.Fine, _z.Fine, coarse, Coarse.Nx, Coarse.Ny, fine, Fine.Nx, Fine.Ny, Fine.Lines, accumulate: true, threads);

    /// <summary>coarse = P^T fine.</summary>
    public void Restrict(double[] fine, double[] coarse, int threads) =>
        Gather(_x.Coarse, _y.Coarse, _z.Coarse, fine, Fine.Nx, Fine.Ny, coarse, Coarse.Nx, Coarse.Ny, Coarse.Lines, accumulate: false, threads);

    // target[i, j, k] (+)= sum of wx wy wz source[...] over the per-axis weight lists of the target
    // point: prolongation reads the fine points' interpolation weights, restriction their transpose.
    static void Gather((int Index, double Weight)[][] wx, (int Index, double Weight)[][] wy, (int Index, double Weight)[][] wz,
        double[] source, int sourceNx, int sourceNy, double[] target, int targetNx, int targetNy, int targetLines, bool accumulate, int threads) =>
        RowPartition.For(0, targetLines, threads, (lo, hi) =>
        {
            for (int line = lo; line < hi; line++)
            {
                var lineY = wy[line % targetNy];
                var lineZ = wz[line / targetNy];
                int o = line * targetNx;
                for (int i = 0; i < targetNx; i++)
                {
                    double s = 0;
                    foreach (var (k, vz) in lineZ)
                        foreach (var (j, vy) in lineY)
                        {
                            int so = sourceNx * (j + sourceNy * k);
                            foreach (var (si, vx) in wx[i]) s += vz * vy * vx * source[so + si];
                        }
                    target[o + i] = accumulate ? target[o + i] + s : s;
                }
            }
        });
}
