using System.Numerics;
using System.Runtime.CompilerServices;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// The grid sweeps of geometric multigrid for the five-point Laplacian on a <see cref="GridLevel"/>:
/// smoothing, residual, full-weighting restriction and bilinear prolongation. Rows are split
/// across threads; nothing here allocates, so a cycle creates no garbage.
/// </summary>
internal static unsafe class FivePointKernels
{
    /// <summary>Weight of the damped Jacobi smoother; 4/5 minimises the high-frequency amplification factor in 2D.</summary>
    public const double JacobiWeight = 0.8;

    /// <summary>Applies <paramref name="sweeps"/> smoothing sweeps of the given kind to level.U.</summary>
    public static void Smooth(GridLevel level, SmootherKind smoother, int sweeps, int threads)
    {
        for (int s = 0; s < sweeps; s++)
        {
            if (smoother == SmootherKind.GaussSeidel)
            {
                GaussSeidelSweep(level, threads);
            }
            else
            {
                Residual(level, threads);
                JacobiUpdate(level, threads);
            }
        }
    }

    /// <summary>
    /// One red-black Gauss-Seidel sweep (red points, then black) fused into a single pass over
    /// memory: black row j - 1 is relaxed right after red row j, once all its red neighbours are
    /// new. The rows at the edges of each thread's block wait for a second, short phase. The
    /// result is identical to two separate colour passes.
    /// </summary>
    public static void GaussSeidelSweep(GridLevel level, int threads)
    {
        int ny = level.Ny;
        // Phase 1: each block relaxes its red rows and the black rows strictly inside it.
        RowPartition.For(1, ny + 1, threads, (lo, hi) =>
        {
            RelaxRow(level, lo, 0);
            for (int j = lo + 1; j < hi; j++)
            {
                RelaxRow(level, j, 0);
                if (j - 1 > lo) RelaxRow(level, j - 1, 1);
            }
        });
        // Phase 2, over the same blocks: the black rows at block edges, whose red neighbours
        // may lie in other blocks. Black points depend only on red ones, so order is free.
        RowPartition.For(1, ny + 1, threads, (lo, hi) =>
        {
            RelaxRow(level, lo, 1);
            if (hi - 1 > lo) RelaxRow(level, hi - 1, 1);
        });
    }

    /// <summary>Relaxes the points of one colour ((i + j + color) even, in padded indices) in every row.</summary>
    public static void GaussSeidelColor(GridLevel level, int color, int threads) =>
        RowPartition.For(1, level.Ny + 1, threads, (lo, hi) =>
        {
            for (int j = lo; j < hi; j++) RelaxRow(level, j, color);
        });

    // Relaxes one colour of padded row j: every second point, whose neighbours all have the
    // other colour. A strided scalar loop measured faster here than full-width vectors that
    // compute both colours and blend, since the sweep is bound by memory traffic.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RelaxRow(GridLevel level, int j, int color)
    {
        int stride = level.Stride, nx = level.Nx;
        double ax = level.Ax, ay = level.Ay, inv = 1.0 / level.Diagonal;
        fixed (double* pu = level.U, pf = level.F)
        {
            double* row = pu + j * stride, up = row - stride, dn = row + stride, rhs = pf + j * stride;
            for (int i = 1 + ((j + 1 + color) & 1); i <= nx; i += 2)
                row[i] = (rhs[i] + ax * (row[i - 1] + row[i + 1]) + ay * (up[i] + dn[i])) * inv;
        }
    }

    /// <summary>u += w * r / diag, after <see cref="Residual"/> filled level.R.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void JacobiUpdate(GridLevel level, int threads)
    {
        int stride = level.Stride, nx = level.Nx;
        double scale = JacobiWeight / level.Diagonal;
        double[] u = level.U, r = level.R;
        RowPartition.For(1, level.Ny + 1, threads, (lo, hi) =>
        {
            fixed (double* pu = u, pr = r)
            {
                for (int j = lo; j < hi; j++)
                {
                    double* row = pu + j * stride, res = pr + j * stride;
                    for (int i = 1; i <= nx; i++) row[i] += scale * res[i];
                }
            }
        });
    }

    /// <summary>level.R = level.F - A level.U on the interior; returns the squared 2-norm of the residual.</summary>
    public static double Residual(GridLevel level, int threads) =>
        RowReduction.Sum(1, level.Ny + 1, threads, (lo, hi) =>
        {
            double sum = 0;
            for (int j = lo; j < hi; j++) sum += ResidualRow(level, j);
            return sum;
        });

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double ResidualRow(GridLevel level, int j)
    {
        int stride = level.Stride, nx = level.Nx;
        double ax = level.Ax, ay = level.Ay, diag = level.Diagonal;
        fixed (double* pu = level.U, pf = level.F, pr = level.R)
        {
            double* row = pu + j * stride, up = row - stride, dn = row + stride;
            double* rhs = pf + j * stride, res = pr + j * stride;
            int i = 1, width = Vector<double>.Count;
            double sum = 0;
            if (Vector.IsHardwareAccelerated && nx >= width)
            {
                var vax = new Vector<double>(ax);
                var vay = new Vector<double>(ay);
                var vdiag = new Vector<double>(diag);
                var acc = Vector<double>.Zero;
                for (; i + width - 1 <= nx; i += width)
                {
                    var v = Vector.Load(rhs + i) - (vdiag * Vector.Load(row + i)
                             - vax * (Vector.Load(row + i - 1) + Vector.Load(row + i + 1))
                             - vay * (Vector.Load(up + i) + Vector.Load(dn + i)));
                    v.Store(res + i);
                    acc += v * v;
                }
                sum = Vector.Sum(acc);
            }
            for (; i <= nx; i++)
            {
                double v = rhs[i] - (diag * row[i] - ax * (row[i - 1] + row[i + 1]) - ay * (up[i] + dn[i]));
                res[i] = v;
                sum += v * v;
            }
            return sum;
        }
    }

    /// <summary>Coarse row jc of the full-weighting restriction of fine.R into coarse.F (reads fine rows 2jc - 1 .. 2jc + 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RestrictRow(GridLevel fine, GridLevel coarse, int jc)
    {
        int cs = coarse.Stride, fs = fine.Stride, ncx = coarse.Nx;
        fixed (double* pr = fine.R, pc = coarse.F)
        {
            double* mid = pr + 2 * jc * fs, up = mid - fs, dn = mid + fs, dst = pc + jc * cs;
            for (int ic = 1; ic <= ncx; ic++)
            {
                int i = 2 * ic;
                dst[ic] = 0.0625 * (4 * mid[i] + 2 * (mid[i - 1] + mid[i + 1] + up[i] + dn[i])
                                    + up[i - 1] + up[i + 1] + dn[i - 1] + dn[i + 1]);
            }
        }
    }

    /// <summary>Fine row j += bilinear interpolation of coarse.U.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ProlongRow(GridLevel coarse, GridLevel fine, int j)
    {
        int cs = coarse.Stride, fs = fine.Stride, nx = fine.Nx;
        fixed (double* pe = coarse.U, pu = fine.U)
        {
            double* dst = pu + j * fs;
            if ((j & 1) == 0)
            {
                double* c = pe + (j >> 1) * cs;
                for (int i = 1; i <= nx; i += 2) dst[i] += 0.5 * (c[i >> 1] + c[(i >> 1) + 1]);
                for (int i = 2; i <= nx; i += 2) dst[i] += c[i >> 1];
            }
            else
            {
                double* a = pe + (j >> 1) * cs, b = a + cs;
                for (int i = 1; i <= nx; i += 2)
                {
                    int k = i >> 1;
                    dst[i] += 0.25 * (a[k] + a[k + 1] + b[k] + b[k + 1]);
                }
                for (int i = 2; i <= nx; i += 2)
                {
                    int k = i >> 1;
                    dst[i] += 0.5 * (a[k] + b[k]);
                }
            }
        }
    }

    /// <summary>coarse.F = full-weighting restriction of fine.R (stencil [1 2 1; 2 4 2; 1 2 1] / 16).</summary>
    public static void RestrictResidual(GridLevel fine, GridLevel coarse, int threads) =>
        FullWeighting(fine.R, fine.Stride, coarse.F, coarse, threads);

    /// <summary>Full-weighting restriction of a padded fine array into a padded coarse array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FullWeighting(double[] fineValues, int fineStride, double[] coarseValues, GridLevel coarse, int threads)
    {
        int cs = coarse.Stride, fs = fineStride, ncx = coarse.Nx;
        RowPartition.For(1, coarse.Ny + 1, threads, (lo, hi) =>
        {
            fixed (double* pr = fineValues, pc = coarseValues)
            {
                for (int jc = lo; jc < hi; jc++)
                {
                    double* mid = pr + 2 * jc * fs, up = mid - fs, dn = mid + fs, dst = pc + jc * cs;
                    for (int ic = 1; ic <= ncx; ic++)
                    {
                        int i = 2 * ic;
                        dst[ic] = 0.0625 * (4 * mid[i] + 2 * (mid[i - 1] + mid[i + 1] + up[i] + dn[i])
                                            + up[i - 1] + up[i + 1] + dn[i - 1] + dn[i + 1]);
                    }
                }
            }
        });
    }

    /// <summary>fine.U += bilinear interpolation of coarse.U.</summary>
    public static void ProlongAndCorrect(GridLevel coarse, GridLevel fine, int threads)
    {
        int cs = coarse.Stride, fs = fine.Stride, nx = fine.Nx;
        double[] e = coarse.U, u = fine.U;
        RowPartition.For(1, fine.Ny + 1, threads, (lo, hi) =>
        {
            fixed (double* pe = e, pu = u)
            {
                for (int j = lo; j < hi; j++)
                {
                    double* dst = pu + j * fs;
                    if ((j & 1) == 0)
                    {
                        double* c = pe + (j >> 1) * cs;
                        for (int i = 1; i <= nx; i++)
                            dst[i] += (i & 1) == 0 ? c[i >> 1] : 0.5 * (c[i >> 1] + c[(i >> 1) + 1]);
                    }
                    else
                    {
                        double* a = pe + (j >> 1) * cs, b = a + cs;
                        for (int i = 1; i <= nx; i++)
                        {
                            int k = i >> 1;
                            dst[i] += (i & 1) == 0
                                ? 0.5 * (a[k] + b[k])
                                : 0.25 * (a[k] + a[k + 1] + b[k] + b[k + 1]);
                        }
                    }
                }
            }
        });
    }
}
