using System.Runtime.CompilerServices;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// Bilinear prolongation P from a coarse to a fine grid and its transpose R = P^T, built per axis
/// from <see cref="AxisLayout.InterpolationWeights"/>. Both are written as gathers (each output
/// point reads its inputs), so rows can be processed in parallel without write conflicts.
/// </summary>
internal sealed class GridTransfer : IGridTransfer
{
    readonly AxisWeights _x, _y;

    /// <summary>
    /// One axis' weights in flat arrays: fine point i reads up to two coarse points
    /// (FineIndex[2i], FineIndex[2i + 1]; an unused slot has weight 0 and index 0), and coarse point
    /// I gathers up to three fine points (CoarseIndex[3I ..], weight 0 when unused).
    /// </summary>
    sealed class AxisWeights
    {
        public AxisWeights(AxisLayout fine, AxisLayout coarse)
        {
            FineIndex = new int[2 * fine.Count];
            FineWeight = new double[2 * fine.Count];
            CoarseIndex = new int[3 * coarse.Count];
            CoarseWeight = new double[3 * coarse.Count];
            var filled = new int[coarse.Count];
            Span<int> idx = stackalloc int[2];
            Span<double> w = stackalloc double[2];
            for (int i = 0; i < fine.Count; i++)
            {
                int n = fine.InterpolationWeights(coarse, i, idx, w);
                for (int k = 0; k < n; k++)
                {
                    FineIndex[2 * i + k] = idx[k];
                    FineWeight[2 * i + k] = w[k];
                    int c = idx[k], slot = filled[c]++;
                    if (slot >= 3) throw new InvalidOperationException("bilinear restriction gathers at most three points per axis");
                    CoarseIndex[3 * c + slot] = i;
                    CoarseWeight[3 * c + slot] = w[k];
                }
            }
        }

        public int[] FineIndex { get; }
        public double[] FineWeight { get; }
        public int[] CoarseIndex { get; }
        public double[] CoarseWeight { get; }
    }

    /// <summary>Builds the transfer between <paramref name="fine"/> and <paramref name="coarse"/>.</summary>
    public GridTransfer(StencilOperator2D fine, StencilOperator2D coarse)
    {
        Fine = fine; Coarse = coarse;
        _x = new AxisWeights(fine.X, coarse.X);
        _y = new AxisWeights(fine.Y, coarse.Y);
    }

    /// <summary>The fine operator.</summary>
    public StencilOperator2D Fine { get; }
    /// <summary>The coarse operator.</summary>
    public StencilOperator2D Coarse { get; }

    /// <summary>fine += P coarse.</summary>
    public void ProlongAdd(double[] coarse, double[] fine, int threads) =>
        RowPartition.For(0, Fine.Ny, threads, (lo, hi) =>
        {
            for (int j = lo; j < hi; j++) ProlongRow(coarse, fine, j);
        });

    /// <summary>coarse = P^T fine.</summary>
    public void Restrict(double[] fine, double[] coarse, int threads) =>
        RowPartition.For(0, Coarse.Ny, threads, (lo, hi) =>
        {
            for (int cj = lo; cj < hi; cj++) RestrictRow(fine, coarse, cj);
        });

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void ProlongRow(double[] coarse, double[] fine, int j)
    {
        int nx = Fine.Nx, cnx = Coarse.Nx;
        int rowA = _y.FineIndex[2 * j] * cnx, rowB = _y.FineIndex[2 * j + 1] * cnx;
        double wa = _y.FineWeight[2 * j], wb = _y.FineWeight[2 * j + 1];
        var xi = _x.FineIndex;
        var xw = _x.FineWeight;
        int o = j * nx;
        for (int i = 0; i < nx; i++)
        {
            int c0 = xi[2 * i], c1 = xi[2 * i + 1];
            double w0 = xw[2 * i], w1 = xw[2 * i + 1];
            fine[o + i] += wa * (w0 * coarse[rowA + c0] + w1 * coarse[rowA + c1])
                         + wb * (w0 * coarse[rowB + c0] + w1 * coarse[rowB + c1]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void RestrictRow(double[] fine, double[] coarse, int cj)
    {
        int nx = Fine.Nx, cnx = Coarse.Nx;
        var xi = _x.CoarseIndex;
        var xw = _x.CoarseWeight;
        int o = cj * cnx;
        for (int ci = 0; ci < cnx; ci++)
        {
            double s = 0;
            for (int a = 0; a < 3; a++)
            {
                double wy = _y.CoarseWeight[3 * cj + a];
                if (wy == 0) continue;
                int row = _y.CoarseIndex[3 * cj + a] * nx;
                s += wy * (xw[3 * ci] * fine[row + xi[3 * ci]] + xw[3 * ci + 1] * fine[row + xi[3 * ci + 1]]
                           + xw[3 * ci + 2] * fine[row + xi[3 * ci + 2]]);
            }
            coarse[o + ci] = s;
        }
    }
}
