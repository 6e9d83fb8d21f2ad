using System.Runtime.CompilerServices;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Elliptic;

/// <summary>A relaxation method for A x = b on one level.</summary>
internal interface IStencilSmoother
{
    /// <summary>Applies <paramref name="sweeps"/> sweeps; <paramref name="reverse"/> runs a sweep's stages in reverse order (post-smoothing).</summary>
    void Smooth(double[] x, double[] b, int sweeps, bool reverse);
}

/// <summary>Creates smoothers.</summary>
internal static class StencilSmoothers
{
    /// <summary>A smoother of the given kind for operator <paramref name="a"/>.</summary>
    public static IStencilSmoother Create(SmootherKind kind, StencilOperator2D a, int threads) => kind switch
    {
        SmootherKind.GaussSeidel => new MulticolorGaussSeidel(a, threads),
        SmootherKind.WeightedJacobi => new WeightedJacobi(a, a.Diagonal, WeightedJacobi.Weight2D, threads),
        SmootherKind.Chebyshev => new ChebyshevSmoother(a, threads),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

/// <summary>
/// Gauss-Seidel in four colours (i mod 2, j mod 2). With stencils of at most nine points, points of
/// one colour never couple, so each colour is relaxed in parallel and the result does not depend on
/// the thread count.
/// </summary>
internal sealed class MulticolorGaussSeidel(StencilOperator2D a, int threads) : IStencilSmoother
{
    static readonly (int Cx, int Cy)[] Order = [(0, 0), (1, 1), (1, 0), (0, 1)];

    /// <inheritdoc />
    /// <remarks>
    /// Without periodic wrapping in y, all colours of all sweeps run as one row pipeline
    /// (<see cref="RowPipeline"/>): each colour touches rows of one parity and depends only on
    /// adjacent rows, so the sweeps cost one pass through memory instead of four per sweep.
    /// </remarks>
    public void Smooth(double[] x, double[] b, int sweeps, bool reverse)
    {
        if (sweeps <= 0) return;
        if (!a.Y.Periodic)
        {
            RowPipeline.Run(0, a.Ny, 4 * sweeps, threads, (stage, j) =>
            {
                var (cx, cy) = Order[reverse ? 3 - stage % 4 : stage % 4];
                if ((j & 1) == cy) RelaxRow(x, b, j, cx);
            });
            return;
        }
        for (int s = 0; s < sweeps; s++)
            for (int c = 0; c < 4; c++)
            {
                var (cx, cy) = Order[reverse ? 3 - c : c];
                RowPartition.For(0, (a.Ny - cy + 1) / 2, threads, (lo, hi) =>
                {
                    for (int r = lo; r < hi; r++) RelaxRow(x, b, cy + 2 * r, cx);
                });
            }
    }

    // Relaxes the points of row j whose x index has parity cx.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void RelaxRow(double[] x, double[] b, int j, int cx)
    {
        int nx = a.Nx, ny = a.Ny;
        var coef = a.Coefficients;
        bool interior = j > 0 && j < ny - 1, fivePoint = a.IsFivePoint;
        for (int i = cx; i < nx; i += 2)
        {
            int p = j * nx + i;
            double sum = b[p];
            if (interior && i > 0 && i < nx - 1)
            {
                int s = p - nx, n = p + nx;
                sum -= fivePoint
                    ? coef[1][p] * x[s] + coef[3][p] * x[p - 1] + coef[5][p] * x[p + 1] + coef[7][p] * x[n]
                    : coef[0][p] * x[s - 1] + coef[1][p] * x[s] + coef[2][p] * x[s + 1]
                      + coef[3][p] * x[p - 1] + coef[5][p] * x[p + 1]
                      + coef[6][p] * x[n - 1] + coef[7][p] * x[n] + coef[8][p] * x[n + 1];
            }
            else
            {
                for (int k = 0; k < 9; k++)
                {
                    if (k == StencilOperator2D.Centre || coef[k][p] == 0) continue;
                    int q = a.Neighbour(i, j, k % 3 - 1, k / 3 - 1);
                    if (q >= 0 && q != p) sum -= coef[k][p] * x[q];
                }
            }
            x[p] = sum / coef[StencilOperator2D.Centre][p];
        }
    }
}

/// <summary>
/// Damped Jacobi, x += w D^-1 (b - A x), for any stencil operator with diagonal D. The weight
/// that best damps the upper half of the Laplacian's spectrum is 4/5 in 2D and 6/7 in 3D
/// (Trottenberg et al., Multigrid, 2001, sec. 2.5). The residual workspace is allocated once.
/// </summary>
internal sealed class WeightedJacobi(IResidualOperator a, double[] diagonal, double weight, int threads) : IStencilSmoother
{
    /// <summary>The 2D weight, 4/5.</summary>
    public const double Weight2D = 0.8;
    /// <summary>The 3D weight, 6/7.</summary>
    public const double Weight3D = 6.0 / 7.0;

    readonly double[] _r = new double[a.Size];

    /// <inheritdoc />
    public void Smooth(double[] x, double[] b, int sweeps, bool reverse)
    {
        for (int s = 0; s < sweeps; s++)
        {
            a.Residual(x, b, _r);
            RowPartition.For(0, a.Size, threads, (lo, hi) =>
            {
                for (int p = lo; p < hi; p++) x[p] += weight * _r[p] / diagonal[p];
            });
        }
    }
}

/// <summary>
/// Chebyshev smoothing: the polynomial in D^-1 A that is smallest on [lambda_max / 4, 1.1 lambda_max],
/// the upper part of the spectrum that the coarse grid cannot represent. lambda_max is estimated by
/// power iteration at setup. Each sweep is one polynomial step (one operator application).
/// </summary>
internal sealed class ChebyshevSmoother : IStencilSmoother
{
    readonly StencilOperator2D _a;
    readonly double[] _r, _d;
    readonly double _lower, _upper;

    /// <summary>Estimates the spectrum of D^-1 A and allocates the workspace.</summary>
    public ChebyshevSmoother(StencilOperator2D a, int threads)
    {
        _a = a;
        _r = new double[a.Size];
        _d = new double[a.Size];
        double lambda = EstimateLargestEigenvalue(a);
        _upper = 1.1 * lambda;
        _lower = lambda / 4;
        _ = threads;
    }

    /// <summary>Largest eigenvalue of D^-1 A, by 15 steps of power iteration from a fixed pseudo-random vector.</summary>
    public static double EstimateLargestEigenvalue(StencilOperator2D a)
    {
        var rng = new Random(12345);
        var v = Enumerable.Range(0, a.Size).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var w = new double[a.Size];
        double lambda = 0;
        var d = a.Diagonal;
        for (int it = 0; it < 15; it++)
        {
            a.Apply(v, w);
            double norm = 0;
            for (int p = 0; p < w.Length; p++) { w[p] /= d[p]; norm += w[p] * w[p]; }
            norm = Math.Sqrt(norm);
            double vv = Math.Sqrt(v.Sum(t => t * t));
            lambda = norm / vv;
            for (int p = 0; p < w.Length; p++) v[p] = w[p] / norm;
        }
        return lambda;
    }

    /// <inheritdoc />
    public void Smooth(double[] x, double[] b, int sweeps, bool reverse)
    {
        if (sweeps == 0) return;
        double theta = 0.5 * (_upper + _lower), delta = 0.5 * (_upper - _lower);
        double sigma = theta / delta, rho = 1 / sigma;
        var diag = _a.Diagonal;
        _a.Residual(x, b, _r);
        for (int p = 0; p < _d.Length; p++) _d[p] = _r[p] / diag[p] / theta;
        for (int k = 0; k < sweeps; k++)
        {
            for (int p = 0; p < x.Length; p++) x[p] += _d[p];
            if (k == sweeps - 1) break;
            _a.Residual(x, b, _r);
            double rhoNext = 1 / (2 * sigma - rho);
            for (int p = 0; p < _d.Length; p++) _d[p] = rhoNext * rho * _d[p] + 2 * rhoNext / delta * (_r[p] / diag[p]);
            rho = rhoNext;
        }
    }
}
