using System.Runtime.CompilerServices;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// LU factorisation without pivoting of a nine-point <see cref="StencilOperator2D"/> in band
/// storage (bandwidth Nx + 1 on each side), for coarsest multigrid levels too large to factor
/// densely: grids whose interval counts stop halving early, such as 420 intervals with a Neumann
/// east or north end (420 -> 210 -> 105; a Dirichlet end there pads an odd count and keeps
/// halving). Costs N (Nx + 1)^2 to factor and 4 N (Nx + 1) to solve (Golub and Van Loan, Matrix
/// Computations, alg. 4.3.1). Without pivoting it needs the leading blocks to be nonsingular,
/// which holds for the symmetric positive definite operators of diffusion problems; periodic
/// axes wrap outside the band and are not supported.
/// </summary>
internal sealed class BandedLu
{
    readonly int _n, _b, _w;
    readonly double[] _band; // row p holds columns p - b .. p + b at p * (2b + 1) + (q - p + b)

    /// <summary>Factors <paramref name="a"/>.</summary>
    /// <exception cref="ArgumentException">An axis is periodic.</exception>
    /// <exception cref="InvalidOperationException">A zero pivot appears.</exception>
    public BandedLu(StencilOperator2D a)
    {
        if (a.X.Periodic || a.Y.Periodic) throw new ArgumentException("banded LU cannot hold the wrap-around couplings of periodic axes");
        _n = a.Size;
        _b = a.Nx + 1;
        _w = 2 * _b + 1;
        _band = new double[(long)_n * _w <= int.MaxValue ? _n * _w : throw new InvalidOperationException("level too large for a banded factorisation")];
        for (int j = 0; j < a.Ny; j++)
            for (int i = 0; i < a.Nx; i++)
            {
                int p = j * a.Nx + i;
                for (int k = 0; k < 9; k++)
                {
                    int q = a.Neighbour(i, j, k % 3 - 1, k / 3 - 1);
                    if (q >= 0) _band[p * _w + (q - p + _b)] += a.Coefficients[k][p];
                }
            }
        Factor();
    }

    /// <summary>Factorisation cost N b^2, to decide whether it is affordable.</summary>
    public static double Cost(StencilOperator2D a) => (double)a.Size * (a.Nx + 1) * (a.Nx + 1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Factor()
    {
        for (int k = 0; k < _n; k++)
        {
            double pivot = _band[k * _w + _b];
            if (pivot == 0 || !double.IsFinite(pivot)) throw new InvalidOperationException("zero pivot in the banded coarsest-level factorisation");
            int last = Math.Min(_n - 1, k + _b);
            var pivotRow = _band.AsSpan(k * _w + _b, last - k + 1); // columns k .. last of row k
            for (int r = k + 1; r <= last; r++)
            {
                int lr = r * _w + (k - r + _b);
                if (_band[lr] == 0) continue;
                double l = _band[lr] /= pivot;
                var row = _band.AsSpan(lr, last - k + 1); // columns k .. last of row r
                for (int c = 1; c < row.Length; c++) row[c] -= l * pivotRow[c];
            }
        }
    }

    /// <summary>Solves A x = b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(double[] b, double[] x)
    {
        Array.Copy(b, x, _n);
        for (int p = 0; p < _n; p++)
        {
            double s = x[p];
            for (int q = Math.Max(0, p - _b); q < p; q++) s -= _band[p * _w + (q - p + _b)] * x[q];
            x[p] = s;
        }
        for (int p = _n - 1; p >= 0; p--)
        {
            double s = x[p];
            int last = Math.Min(_n - 1, p + _b);
            for (int q = p + 1; q <= last; q++) s -= _band[p * _w + (q - p + _b)] * x[q];
            x[p] = s / _band[p * _w + _b];
        }
    }
}
