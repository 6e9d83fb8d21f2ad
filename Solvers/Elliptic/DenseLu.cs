namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// LU factorisation with partial pivoting of a small dense matrix, for the coarsest multigrid
/// level. Pivoting makes it correct for the indefinite coarse operators of Helmholtz problems too.
/// </summary>
internal sealed class DenseLu
{
    readonly double[,] _lu;
    readonly int[] _pivot;
    readonly int _n;

    /// <summary>Factors the matrix of <paramref name="a"/> (built from its stencils).</summary>
    /// <exception cref="InvalidOperationException">The matrix is singular.</exception>
    public DenseLu(StencilOperator2D a) : this(ToDense(a)) { }

    /// <summary>The dense matrix of a stencil operator.</summary>
    public static double[,] ToDense(StencilOperator2D a)
    {
        var m = new double[a.Size, a.Size];
        for (int j = 0; j < a.Ny; j++)
            for (int i = 0; i < a.Nx; i++)
            {
                int p = j * a.Nx + i;
                for (int k = 0; k < 9; k++)
                {
                    int q = a.Neighbour(i, j, k % 3 - 1, k / 3 - 1);
                    if (q >= 0) m[p, q] += a.Coefficients[k][p];
                }
            }
        return m;
    }

    /// <summary>Factors a dense square matrix (the array becomes the factor's storage).</summary>
    /// <exception cref="InvalidOperationException">The matrix is singular.</exception>
    public DenseLu(double[,] matrix)
    {
        _n = matrix.GetLength(0);
        if (matrix.GetLength(1) != _n) throw new ArgumentException("LU needs a square matrix");
        _lu = matrix;
        _pivot = new int[_n];
        double scale = 0;
        foreach (double v in _lu) scale = Math.Max(scale, Math.Abs(v));
        for (int k = 0; k < _n; k++)
        {
            int best = k;
            for (int r = k + 1; r < _n; r++) if (Math.Abs(_lu[r, k]) > Math.Abs(_lu[best, k])) best = r;
            if (Math.Abs(_lu[best, k]) <= 1e-14 * scale)
                throw new InvalidOperationException("the coarsest-level matrix is singular; a pure Neumann or periodic problem needs c > 0 somewhere");
            _pivot[k] = best;
            if (best != k)
                for (int c = 0; c < _n; c++) (_lu[k, c], _lu[best, c]) = (_lu[best, c], _lu[k, c]);
            for (int r = k + 1; r < _n; r++)
            {
                double f = _lu[r, k] /= _lu[k, k];
                if (f == 0) continue;
                for (int c = k + 1; c < _n; c++) _lu[r, c] -= f * _lu[k, c];
            }
        }
    }

    /// <summary>Largest size factored densely.</summary>
    public const int MaxSize = 1600;

    /// <summary>Solves A x = b.</summary>
    public void Solve(double[] b, double[] x)
    {
        Array.Copy(b, x, _n);
        // Rows were swapped whole during factorisation (P A = L U): permute b first, then substitute.
        for (int k = 0; k < _n; k++)
            if (_pivot[k] != k) (x[k], x[_pivot[k]]) = (x[_pivot[k]], x[k]);
        for (int k = 0; k < _n; k++)
            for (int r = k + 1; r < _n; r++) x[r] -= _lu[r, k] * x[k];
        for (int k = _n - 1; k >= 0; k--)
        {
            double s = x[k];
            for (int c = k + 1; c < _n; c++) s -= _lu[k, c] * x[c];
            x[k] = s / _lu[k, k];
        }
    }
}
