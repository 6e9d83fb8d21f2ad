using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// Bilinear prolongation P from a coarse to a fine grid and its transpose R = P^T, built per axis
/// from <see cref="AxisLayout.InterpolationWeights"/>. Both are written as gathers (each output
/// point reads its inputs), so rows can be processed in parallel without write conflicts.
/// </summary>
public sealed class GridTransfer
{
    readonly Axis _x, _y;

    // Per-axis weights: Fine[i] lists (coarse, weight) for fine unknown i; Coarse[I] lists (fine, weight).
    sealed record Axis((int Index, double Weight)[][] Fine, (int Index, double Weight)[][] Coarse);

    /// <summary>Builds the transfer between <paramref name="fine"/> and <paramref name="coarse"/>.</summary>
    public GridTransfer(StencilOperator2D fine, StencilOperator2D coarse)
    {
        Fine = fine; Coarse = coarse;
        _x = BuildAxis(fine.X, coarse.X);
        _y = BuildAxis(fine.Y, coarse.Y);
    }

    /// <summary>The fine operator.</summary>
    public StencilOperator2D Fine { get; }
    /// <summary>The coarse operator.</summary>
    public StencilOperator2D Coarse { get; }

    static Axis BuildAxis(AxisLayout fine, AxisLayout coarse)
    {
        var f = new (int, double)[fine.Count][];
        var gather = Enumerable.Range(0, coarse.Count).Select(_ => new List<(int, double)>()).ToArray();
        Span<int> idx = stackalloc int[2];
        Span<double> w = stackalloc double[2];
        for (int i = 0; i < fine.Count; i++)
        {
            int n = fine.InterpolationWeights(coarse, i, idx, w);
            f[i] = new (int, double)[n];
            for (int k = 0; k < n; k++)
            {
                f[i][k] = (idx[k], w[k]);
                gather[idx[k]].Add((i, w[k]));
            }
        }
        return new Axis(f, gather.Select(l => l.ToArray()).ToArray());
    }

    /// <summary>Fine-axis interpolation weights (coarse index, weight) of fine unknown i along x.</summary>
    public (int Index, double Weight)[] WeightsX(int i) => _x.Fine[i];
    /// <summary>Fine-axis interpolation weights (coarse index, weight) of fine unknown j along y.</summary>
    public (int Index, double Weight)[] WeightsY(int j) => _y.Fine[j];

    /// <summary>fine += P coarse.</summary>
    public void ProlongAdd(double[] coarse, double[] fine, int threads)
    {
        int nx = Fine.Nx, cnx = Coarse.Nx;
        RowPartition.For(0, Fine.Ny, threads, (lo, hi) =>
        {
            for (int j = lo; j < hi; j++)
            {
                var wy = _y.Fine[j];
                for (int i = 0; i < nx; i++)
                {
                    double s = 0;
                    foreach (var (cj, vy) in wy)
                        foreach (var (ci, vx) in _x.Fine[i]) s += vx * vy * coarse[cj * cnx + ci];
                    fine[j * nx + i] += s;
                }
            }
        });
    }

    /// <summary>coarse = P^T fine.</summary>
    public void Restrict(double[] fine, double[] coarse, int threads)
    {
        int nx = Fine.Nx, cnx = Coarse.Nx;
        RowPartition.For(0, Coarse.Ny, threads, (lo, hi) =>
        {
            for (int cj = lo; cj < hi; cj++)
            {
                var wy = _y.Coarse[cj];
                for (int ci = 0; ci < cnx; ci++)
                {
                    double s = 0;
                    foreach (var (j, vy) in wy)
                        foreach (var (i, vx) in _x.Coarse[ci]) s += vx * vy * fine[j * nx + i];
                    coarse[cj * cnx + ci] = s;
                }
            }
        });
    }
}
