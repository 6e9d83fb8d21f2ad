using System.Numerics;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// LU factorisation without pivoting of a complex banded matrix given as two real nine-point
/// stencil operators (real and imaginary parts), for the coarsest level of the complex shifted
/// Laplacian. Pivoting is unnecessary there: with a positive definite imaginary part, x^H M x has
/// a positive imaginary part for every x != 0, so every leading block is nonsingular. Cost
/// N b^2 for bandwidth b = Nx + 1 (Golub and Van Loan, Matrix Computations, alg. 4.3.1).
/// </summary>
internal sealed class ComplexBandedLu
{
    readonly int _n, _b;
    readonly Complex[] _band; // row p holds columns p - b .. p + b at p * (2b + 1) + (q - p + b)

    /// <summary>Factors Re + i Im.</summary>
    public ComplexBandedLu(StencilOperator2D re, StencilOperator2D im)
    {
        _n = re.Size;
        _b = re.Nx + 1;
        if (re.X.Periodic || re.Y.Periodic) _b = _n - 1; // wrapping couplings leave the band: store it dense
        int w = 2 * _b + 1;
        _band = new Complex[(long)_n * w <= int.MaxValue / 2 ? _n * w : throw new InvalidOperationException("coarsest Helmholtz level too large to factor")];
        for (int j = 0; j < re.Ny; j++)
            for (int i = 0; i < re.Nx; i++)
            {
                int p = j * re.Nx + i;
                for (int k = 0; k < 9; k++)
                {
                    int q = re.Neighbour(i, j, k % 3 - 1, k / 3 - 1);
                    if (q < 0) continue;
                    _band[p * w + (q - p + _b)] += new Complex(re.Coefficients[k][p], im.Coefficients[k][p]);
                }
            }
        for (int k = 0; k < _n; k++)
        {
            var pivot = _band[k * w + _b];
            if (pivot == Complex.Zero) throw new InvalidOperationException("zero pivot in the coarsest Helmholtz level");
            int last = Math.Min(_n - 1, k + _b);
            for (int r = k + 1; r <= last; r++)
            {
                ref var lrk = ref _band[r * w + (k - r + _b)];
                if (lrk == Complex.Zero) continue;
                lrk /= pivot;
                var l = lrk;
                for (int c = k + 1; c <= last; c++) _band[r * w + (c - r + _b)] -= l * _band[k * w + (c - k + _b)];
            }
        }
    }

    /// <summary>Solves (Re + i Im) x = b for vectors stored as [re; im].</summary>
    public void Solve(double[] b, double[] x)
    {
        int w = 2 * _b + 1;
        var y = new Complex[_n];
        for (int p = 0; p < _n; p++)
        {
            var s = new Complex(b[p], b[_n + p]);
            for (int q = Math.Max(0, p - _b); q < p; q++) s -= _band[p * w + (q - p + _b)] * y[q];
            y[p] = s;
        }
        for (int p = _n - 1; p >= 0; p--)
        {
            var s = y[p];
            int last = Math.Min(_n - 1, p + _b);
            for (int q = p + 1; q <= last; q++) s -= _band[p * w + (q - p + _b)] * y[q];
            y[p] = s / _band[p * w + _b];
        }
        for (int p = 0; p < _n; p++) { x[p] = y[p].Real; x[_n + p] = y[p].Imaginary; }
    }
}
