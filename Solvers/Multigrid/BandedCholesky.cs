using System.Runtime.CompilerServices;
namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// Direct solver for the coarsest multigrid level: a Cholesky factorisation A = L L^T of the
/// five-point matrix in band storage (bandwidth Nx), costing N Nx^2 to factor and N Nx to solve.
/// Exact coarse solves keep the cycle's convergence factor independent of how far the grid
/// could be coarsened.
/// </summary>
internal sealed class BandedCholesky
{
    readonly int _n, _band;
    readonly double[] _l;   // row k holds L[k, k - band .. k] at k * (band + 1) + (col - k + band)
    readonly double[] _work;

    /// <summary>Factors the five-point operator of <paramref name="level"/>.</summary>
    /// <exception cref="InvalidOperationException">The matrix is not positive definite.</exception>
    public BandedCholesky(GridLevel level)
    {
        int nx = level.Nx;
        _n = nx * level.Ny;
        _band = nx;
        int w = _band + 1;
        _l = new double[(long)_n * w <= int.MaxValue ? _n * w : throw new InvalidOperationException("coarsest level too large for a direct solve")];
        _work = new double[_n];
        for (int k = 0; k < _n; k++)
        {
            for (int col = Math.Max(0, k - _band); col <= k; col++)
            {
                double s = Entry(level, k, col);
                int m0 = Math.Max(0, k - _band);
                for (int m = m0; m < col; m++)
                    s -= _l[k * w + (m - k + _band)] * _l[col * w + (m - col + _band)];
                if (col == k)
                {
                    if (!(s > 0)) throw new InvalidOperationException("coarse matrix is not positive definite");
                    _l[k * w + _band] = Math.Sqrt(s);
                }
                else _l[k * w + (col - k + _band)] = s / _l[col * w + _band];
            }
        }
    }

    /// <summary>Cost estimate N * Nx^2 of factoring a level, used to decide whether a direct solve is affordable.</summary>
    public static double FactorCost(GridLevel level) => (double)level.Nx * level.Ny * level.Nx * level.Nx;

    static double Entry(GridLevel level, int row, int col)
    {
        int nx = level.Nx;
        if (row == col) return level.Diagonal;
        int d = row - col;
        if (d == 1 && row % nx != 0) return -level.Ax;
        if (d == nx) return -level.Ay;
        return 0;
    }

    /// <summary>Solves A level.U = level.F on the interior.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(GridLevel level)
    {
        int w = _band + 1, nx = level.Nx;
        var y = _work;
        for (int k = 0; k < _n; k++)
        {
            double s = level.F[level.Index(k % nx, k / nx)];
            for (int m = Math.Max(0, k - _band); m < k; m++) s -= _l[k * w + (m - k + _band)] * y[m];
            y[k] = s / _l[k * w + _band];
        }
        for (int k = _n - 1; k >= 0; k--)
        {
            double s = y[k];
            int mEnd = Math.Min(_n - 1, k + _band);
            for (int m = k + 1; m <= mEnd; m++) s -= _l[m * w + (k - m + _band)] * y[m];
            y[k] = s / _l[k * w + _band];
        }
        for (int k = 0; k < _n; k++) level.U[level.Index(k % nx, k / nx)] = y[k];
    }
}
