using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace PdeOps.Solvers.Gpu;

/// <summary>
/// Every grid operation of a geometric multigrid cycle for the five-point Laplacian as ILGPU
/// kernels on the padded layout of <see cref="Multigrid.GridLevel"/> (row-major, a ring of zero
/// boundary values, index (j + 1) * stride + i + 1): red-black Gauss-Seidel colour passes, the
/// damped-Jacobi update, residual, full-weighting restriction, bilinear prolongation with
/// correction, the two passes of the FMG cubic interpolation, squared norms reduced on the
/// device, and the layout of fields that cross between host and device (<see cref="Pad"/>). One thread per output point; kernels never write the boundary ring.
/// </summary>
/// <typeparam name="T">Element type on the device (double or float).</typeparam>
/// <typeparam name="TA">The arithmetic of <typeparamref name="T"/>.</typeparam>
internal sealed class IlgpuMultigridKernels<T, TA>
    where T : unmanaged
    where TA : struct, IGridArithmetic<T>
{
    readonly Action<Index2D, ArrayView<T>, ArrayView<T>, DeviceStencil<T>, int> _color;
    readonly Action<Index2D, ArrayView<T>, ArrayView<T>, ArrayView<T>, DeviceStencil<T>> _residual;
    readonly Action<Index2D, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<double>, DeviceStencil<T>> _residualSquares;
    readonly Action<Index2D, ArrayView<T>, ArrayView<double>, int> _squares;
    readonly Action<Index2D, ArrayView<T>, ArrayView<T>, DeviceStencil<T>> _jacobi;
    readonly Action<Index2D, ArrayView<T>, int, ArrayView<T>, int> _restrict;
    readonly Action<Index2D, ArrayView<T>, int, ArrayView<T>, int> _prolong;
    readonly Action<Index2D, ArrayView<T>, DeviceStencil<T>, ArrayView<T>, int> _fmgRows;
    readonly Action<Index2D, ArrayView<T>, int, int, ArrayView<T>> _fmgColumns;
    readonly Action<Index2D, ArrayView<double>, ArrayView<T>, int> _pad;
    readonly Action<Index2D, ArrayView<T>, ArrayView<double>, int> _unpad;
    readonly Reduction<double, Stride1D.Dense> _sum;

    /// <summary>Compiles the kernels for <paramref name="accelerator"/>.</summary>
    public IlgpuMultigridKernels(Accelerator accelerator)
    {
        Accelerator = accelerator;
        _color = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<T>, ArrayView<T>, DeviceStencil<T>, int>(GaussSeidelColorKernel);
        _residual = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<T>, ArrayView<T>, ArrayView<T>, DeviceStencil<T>>(ResidualKernel);
        _residualSquares = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<T>, ArrayView<T>, ArrayView<T>, ArrayView<double>, DeviceStencil<T>>(ResidualSquaresKernel);
        _squares = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<T>, ArrayView<double>, int>(SquaresKernel);
        _jacobi = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<T>, ArrayView<T>, DeviceStencil<T>>(JacobiKernel);
        _restrict = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<T>, int, ArrayView<T>, int>(FullWeightingKernel);
        _prolong = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<T>, int, ArrayView<T>, int>(ProlongAndCorrectKernel);
        _fmgRows = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<T>, DeviceStencil<T>, ArrayView<T>, int>(FmgRowsKernel);
        _fmgColumns = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<T>, int, int, ArrayView<T>>(FmgColumnsKernel);
        _pad = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<double>, ArrayView<T>, int>(PadKernel);
        _unpad = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<T>, ArrayView<double>, int>(UnpadKernel);
        _sum = accelerator.CreateReduction<double, Stride1D.Dense, AddDouble>();
    }

    /// <summary>The accelerator the kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Relaxes the points of one colour ((i + j + color) even in padded indices).</summary>
    public void GaussSeidelColor(DeviceStencil<T> s, ArrayView<T> u, ArrayView<T> f, int color) =>
        _color(new Index2D((s.Nx + 1) / 2, s.Ny), u, f, s, color);

    /// <summary>r = f - A u on the interior.</summary>
    public void Residual(DeviceStencil<T> s, ArrayView<T> u, ArrayView<T> f, ArrayView<T> r) =>
        _residual(new Index2D(s.Nx, s.Ny), u, f, r, s);

    /// <summary>u += w r / diag (damped Jacobi after <see cref="Residual"/>).</summary>
    public void JacobiUpdate(DeviceStencil<T> s, ArrayView<T> u, ArrayView<T> r) =>
        _jacobi(new Index2D(s.Nx, s.Ny), u, r, s);

    /// <summary>coarse = full weighting of fine on the interior of the coarse level.</summary>
    public void FullWeighting(DeviceStencil<T> fine, ArrayView<T> fineValues, DeviceStencil<T> coarse, ArrayView<T> coarseValues) =>
        _restrict(new Index2D(coarse.Nx, coarse.Ny), fineValues, fine.Stride, coarseValues, coarse.Stride);

    /// <summary>fineU += bilinear interpolation of coarseU.</summary>
    public void ProlongAndCorrect(DeviceStencil<T> coarse, ArrayView<T> coarseU, DeviceStencil<T> fine, ArrayView<T> fineU) =>
        _prolong(new Index2D(fine.Nx, fine.Ny), coarseU, coarse.Stride, fineU, fine.Stride);

    /// <summary>
    /// fineU = the FMG interpolation of coarseU (cubic, quadratic next to the boundary): first
    /// along x into <paramref name="rows"/> ((coarse.Ny + 2) rows of fine.Stride), then along y.
    /// </summary>
    public void FmgInterpolate(DeviceStencil<T> coarse, ArrayView<T> coarseU, DeviceStencil<T> fine, ArrayView<T> fineU, ArrayView<T> rows)
    {
        _fmgRows(new Index2D(fine.Nx, coarse.Ny + 2), coarseU, coarse, rows, fine.Stride);
        _fmgColumns(new Index2D(fine.Nx, fine.Ny), rows, fine.Stride, coarse.Ny, fineU);
    }

    /// <summary>
    /// r = f - A u and the sum of r^2 over the interior, accumulated in double on the device into
    /// <paramref name="sum"/>[0]; <paramref name="squares"/> holds at least Nx * Ny values.
    /// </summary>
    public void ResidualSumOfSquares(DeviceStencil<T> s, ArrayView<T> u, ArrayView<T> f, ArrayView<T> r,
        ArrayView1D<double, Stride1D.Dense> squares, ArrayView<double> sum)
    {
        _residualSquares(new Index2D(s.Nx, s.Ny), u, f, r, squares, s);
        _sum(Accelerator.DefaultStream, squares.SubView(0, (long)s.Nx * s.Ny), sum);
    }

    /// <summary>The sum of squares of the interior values of a padded array, into <paramref name="sum"/>[0].</summary>
    public void SumOfSquares(DeviceStencil<T> s, ArrayView<T> values, ArrayView1D<double, Stride1D.Dense> squares, ArrayView<double> sum)
    {
        _squares(new Index2D(s.Nx, s.Ny), values, squares, s.Stride);
        _sum(Accelerator.DefaultStream, squares.SubView(0, (long)s.Nx * s.Ny), sum);
    }

    /// <summary>
    /// padded interior = dense (Nx * Ny doubles, row-major, as the caller's [y, x] array), rounded
    /// to T: a field crosses to the device in one copy and is laid out and converted there.
    /// </summary>
    public void Pad(DeviceStencil<T> s, ArrayView<double> dense, ArrayView<T> padded) =>
        _pad(new Index2D(s.Nx, s.Ny), dense, padded, s.Stride);

    /// <summary>dense = padded interior widened to double: the reverse of <see cref="Pad"/>.</summary>
    public void Unpad(DeviceStencil<T> s, ArrayView<T> padded, ArrayView<double> dense) =>
        _unpad(new Index2D(s.Nx, s.Ny), padded, dense, s.Stride);

    static void PadKernel(Index2D index, ArrayView<double> dense, ArrayView<T> padded, int stride) =>
        padded[(index.Y + 1) * stride + index.X + 1] = default(TA).FromDouble(dense[index.Y * (stride - 2) + index.X]);

    static void UnpadKernel(Index2D index, ArrayView<T> padded, ArrayView<double> dense, int stride) =>
        dense[index.Y * (stride - 2) + index.X] = default(TA).ToDouble(padded[(index.Y + 1) * stride + index.X + 1]);

    static void GaussSeidelColorKernel(Index2D index, ArrayView<T> u, ArrayView<T> f, DeviceStencil<T> s, int color)
    {
        int j = index.Y + 1;
        int i = 1 + ((j + 1 + color) & 1) + 2 * index.X;
        if (i > s.Nx) return;
        int k = j * s.Stride + i;
        u[k] = default(TA).Relax(f[k], u[k - 1], u[k + 1], u[k - s.Stride], u[k + s.Stride], s.Ax, s.Ay, s.InverseDiagonal);
    }

    static void ResidualKernel(Index2D index, ArrayView<T> u, ArrayView<T> f, ArrayView<T> r, DeviceStencil<T> s)
    {
        int k = (index.Y + 1) * s.Stride + index.X + 1;
        r[k] = default(TA).Residual(f[k], u[k], u[k - 1], u[k + 1], u[k - s.Stride], u[k + s.Stride], s.Ax, s.Ay, s.Diagonal);
    }

    static void ResidualSquaresKernel(Index2D index, ArrayView<T> u, ArrayView<T> f, ArrayView<T> r, ArrayView<double> squares, DeviceStencil<T> s)
    {
        int k = (index.Y + 1) * s.Stride + index.X + 1;
        T v = default(TA).Residual(f[k], u[k], u[k - 1], u[k + 1], u[k - s.Stride], u[k + s.Stride], s.Ax, s.Ay, s.Diagonal);
        r[k] = v;
        squares[index.Y * s.Nx + index.X] = default(TA).Square(v);
    }

    static void SquaresKernel(Index2D index, ArrayView<T> values, ArrayView<double> squares, int stride)
    {
        int nx = stride - 2;
        squares[index.Y * nx + index.X] = default(TA).Square(values[(index.Y + 1) * stride + index.X + 1]);
    }

    static void JacobiKernel(Index2D index, ArrayView<T> u, ArrayView<T> r, DeviceStencil<T> s)
    {
        int k = (index.Y + 1) * s.Stride + index.X + 1;
        u[k] = default(TA).AddScaled(u[k], s.JacobiScale, r[k]);
    }

    static void FullWeightingKernel(Index2D index, ArrayView<T> fine, int fs, ArrayView<T> coarse, int cs)
    {
        int ic = index.X + 1, jc = index.Y + 1;
        int m = 2 * jc * fs + 2 * ic, up = m - fs, dn = m + fs;
        coarse[jc * cs + ic] = default(TA).FullWeighting(fine[m], fine[m - 1], fine[m + 1], fine[up], fine[dn],
            fine[up - 1], fine[up + 1], fine[dn - 1], fine[dn + 1]);
    }

    static void ProlongAndCorrectKernel(Index2D index, ArrayView<T> e, int cs, ArrayView<T> u, int fs)
    {
        int i = index.X + 1, j = index.Y + 1, k = i >> 1;
        TA a = default;
        int lo = (j >> 1) * cs + k, hi = lo + cs;
        T v;
        if ((j & 1) == 0) v = (i & 1) == 0 ? e[lo] : a.Mean2(e[lo], e[lo + 1]);
        else v = (i & 1) == 0 ? a.Mean2(e[lo], e[hi]) : a.Mean4(e[lo], e[lo + 1], e[hi], e[hi + 1]);
        int d = j * fs + i;
        u[d] = a.Add(u[d], v);
    }

    // Coarse row jc (0 .. nyc + 1) interpolated along x to fine columns 1 .. nx; rows 0 and
    // nyc + 1 are the zero boundary rows, written so a reused workspace holds no stale values.
    static void FmgRowsKernel(Index2D index, ArrayView<T> c, DeviceStencil<T> coarse, ArrayView<T> rows, int fs)
    {
        int i = index.X + 1, jc = index.Y, nxc = coarse.Nx;
        TA a = default;
        T v = default;
        if (jc > 0 && jc <= coarse.Ny)
        {
            int row = jc * coarse.Stride, k = i >> 1;
            if ((i & 1) == 0) v = c[row + k];
            else if (nxc == 1) v = a.Mean2(c[row + k], c[row + k + 1]);
            else if (k == 0) v = a.Quadratic(c[row + 1], c[row + 2]);
            else if (k == nxc) v = a.Quadratic(c[row + nxc], c[row + nxc - 1]);
            else v = a.Cubic(c[row + k - 1], c[row + k], c[row + k + 1], c[row + k + 2]);
        }
        rows[jc * fs + i] = v;
    }

    static void FmgColumnsKernel(Index2D index, ArrayView<T> rows, int fs, int nyc, ArrayView<T> u)
    {
        int i = index.X + 1, j = index.Y + 1, k = j >> 1;
        TA a = default;
        T v;
        if ((j & 1) == 0) v = rows[k * fs + i];
        else if (k == 0 || k == nyc)
        {
            // Quadratic through the zero boundary row and the two nearest interior rows.
            int inner = k == 0 ? 1 : nyc, next = k == 0 ? 2 : nyc - 1;
            v = a.Quadratic(rows[inner * fs + i], rows[next * fs + i]);
        }
        else v = a.Cubic(rows[(k - 1) * fs + i], rows[k * fs + i], rows[(k + 1) * fs + i], rows[(k + 2) * fs + i]);
        u[j * fs + i] = v;
    }
}
