using ILGPU;
using ILGPU.Runtime;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Gpu;

/// <summary>
/// ILGPU versions of the five-point multigrid sweeps, operating on the same padded layout as
/// <see cref="GridLevel"/> so results can be compared point for point with
/// <see cref="FivePointKernels"/>. One thread per interior point.
/// </summary>
public sealed class IlgpuFivePointKernels
{
    readonly Action<Index2D, ArrayView<double>, ArrayView<double>, ArrayView<double>, StencilParameters> _residual;
    readonly Action<Index2D, ArrayView<double>, ArrayView<double>, StencilParameters, int> _gaussSeidelColor;

    /// <summary>The stencil of one level, passed by value to every kernel.</summary>
    public readonly record struct StencilParameters(int Stride, double Ax, double Ay, double Diagonal)
    {
        /// <summary>Parameters of a CPU level.</summary>
        public static StencilParameters Of(GridLevel level) => new(level.Stride, level.Ax, level.Ay, level.Diagonal);
    }

    /// <summary>Compiles the kernels for <paramref name="accelerator"/>.</summary>
    public IlgpuFivePointKernels(Accelerator accelerator)
    {
        Accelerator = accelerator;
        _residual = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<double>, ArrayView<double>, ArrayView<double>, StencilParameters>(ResidualKernel);
        _gaussSeidelColor = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<double>, ArrayView<double>, StencilParameters, int>(GaussSeidelColorKernel);
    }

    /// <summary>The accelerator the kernels run on.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>r = f - A u on the nx x ny interior.</summary>
    public void Residual(int nx, int ny, ArrayView<double> u, ArrayView<double> f, ArrayView<double> r, StencilParameters p) =>
        _residual(new Index2D(nx, ny), u, f, r, p);

    /// <summary>Relaxes one colour of red-black Gauss-Seidel; each thread handles one point of that colour.</summary>
    public void GaussSeidelColor(int nx, int ny, ArrayView<double> u, ArrayView<double> f, StencilParameters p, int color) =>
        _gaussSeidelColor(new Index2D((nx + 1) / 2, ny), u, f, p, color);

    static void ResidualKernel(Index2D index, ArrayView<double> u, ArrayView<double> f, ArrayView<double> r, StencilParameters p)
    {
        int k = (index.Y + 1) * p.Stride + index.X + 1;
        r[k] = f[k] - (p.Diagonal * u[k] - p.Ax * (u[k - 1] + u[k + 1]) - p.Ay * (u[k - p.Stride] + u[k + p.Stride]));
    }

    static void GaussSeidelColorKernel(Index2D index, ArrayView<double> u, ArrayView<double> f, StencilParameters p, int color)
    {
        int j = index.Y + 1;
        int i = 1 + ((j + 1 + color) & 1) + 2 * index.X;
        if (i > p.Stride - 2) return;
        int k = j * p.Stride + i;
        u[k] = (f[k] + p.Ax * (u[k - 1] + u[k + 1]) + p.Ay * (u[k - p.Stride] + u[k + p.Stride])) / p.Diagonal;
    }
}
