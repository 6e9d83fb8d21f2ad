namespace PdeOps.Solvers.Diffusion;

/// <summary>Cholesky factorisation of a small padded level's operator (symmetric positive definite), for the coarsest solve.</summary>
internal sealed class DenseCholesky
{
    readonly int _n;
    readonly double[] _l; // lower triangle, row-major n x n

    public DenseCholesky(PaddedStencilLevel level)
    {
        int nx = level.Nx, ny = level.Ny, n = nx * ny;
        _n = n;
        var m = new double[n * n];
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++)
            {
                int p = (j + 1) * level.Stride + i + 1, row = j * nx + i;
                for (int k = 0; k < 9; k++)
                {
                    int jj = j + k / 3 - 1, ii = i + k % 3 - 1;
                    if (jj < 0 || jj >= ny || ii < 0 || ii >= nx) continue;
                    m[row * n + jj * nx + ii] = level.Coupling(k, p);
                }
            }
        for (int j = 0; j < n; j++)
        {
            double d = m[j * n + j];
            for (int k = 0; k < j; k++) d -= m[j * n + k] * m[j * n + k];
            if (!(d > 0)) throw new InvalidOperationException("the coarsest operator is not positive definite");
            d = Math.Sqrt(d);
            m[j * n + j] = d;
            for (int i = j + 1; i < n; i++)
            {
                double s = m[i * n + j];
                for (int k = 0; k < j; k++) s -= m[i * n + k] * m[j * n + k];
                m[i * n + j] = s / d;
            }
        }
        _l = m;
    }

    /// <summary>level.X = A^-1 level.B.</summary>
    public void Solve(PaddedStencilLevel level)
    {
        int n = _n, nx = level.Nx;
        Span<double> y = n <= 256 ? stackalloc double[n] : new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = level.B[(i / nx + 1) * level.Stride + i % nx + 1];
            for (int k = 0; k < i; k++) s -= _l[i * n + k] * y[k];
            y[i] = s / _l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = y[i];
            for (int k = i + 1; k < n; k++) s -= _l[k * n + i] * y[k];
            y[i] = s / _l[i * n + i];
        }
        for (int i = 0; i < n; i++) level.X[(i / nx + 1) * level.Stride + i % nx + 1] = y[i];
    }
}
