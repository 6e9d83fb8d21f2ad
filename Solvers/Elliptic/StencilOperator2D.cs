using System.Runtime.CompilerServices;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// A sparse operator on a logically rectangular grid of Nx x Ny unknowns with (up to) nine-point
/// stencils: row p = (i, j) couples to (i + di, j + dj) for di, dj in {-1, 0, 1} with coefficient
/// <c>Coefficients[(dj + 1) * 3 + di + 1][p]</c>. Vectors are compact row-major arrays (x
/// fastest) of Nx * Ny values. Periodic axes wrap; elsewhere couplings that would leave the grid
/// are zero. Five-point fine-grid operators and their nine-point Galerkin coarse operators share
/// this one type.
/// </summary>
public sealed class StencilOperator2D : IResidualOperator
{
    /// <summary>Index of the centre coefficient.</summary>
    public const int Centre = 4;

    /// <summary>Creates an operator with all coefficients zero.</summary>
    public StencilOperator2D(AxisLayout x, AxisLayout y)
    {
        X = x; Y = y;
        Nx = x.Count; Ny = y.Count;
        Coefficients = new double[9][];
        for (int k = 0; k < 9; k++) Coefficients[k] = new double[Nx * Ny];
    }

    /// <summary>Layout of the x axis.</summary>
    public AxisLayout X { get; }
    /// <summary>Layout of the y axis.</summary>
    public AxisLayout Y { get; }
    /// <summary>Unknowns along x.</summary>
    public int Nx { get; }
    /// <summary>Unknowns along y.</summary>
    public int Ny { get; }
    /// <summary>Unknowns in all.</summary>
    public int Size => Nx * Ny;
    /// <summary>The nine coefficient arrays, indexed (dj + 1) * 3 + di + 1.</summary>
    public double[][] Coefficients { get; }

    bool? _fivePoint;

    /// <summary>
    /// True when the four corner couplings are zero everywhere (the fine-grid operators of the
    /// five-point scheme); sweeps then skip the corner arrays. Determined on first use:
    /// coefficients must not change afterwards.
    /// </summary>
    public bool IsFivePoint => _fivePoint ??= new[] { 0, 2, 6, 8 }.All(k => Array.TrueForAll(Coefficients[k], v => v == 0));

    /// <summary>Threads used by <see cref="Apply"/> and <see cref="Residual"/>.</summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>Index of the neighbour of (i, j) at offset (di, dj), or -1 when it lies outside the grid.</summary>
    public int Neighbour(int i, int j, int di, int dj)
    {
        int ii = i + di, jj = j + dj;
        if (ii < 0 || ii >= Nx)
        {
            if (!X.Periodic) return -1;
            ii = (ii + Nx) % Nx;
        }
        if (jj < 0 || jj >= Ny)
        {
            if (!Y.Periodic) return -1;
            jj = (jj + Ny) % Ny;
        }
        return jj * Nx + ii;
    }

    /// <summary>y = A x.</summary>
    public void Apply(double[] x, double[] y) => RowPartition.For(0, Ny, Threads, (lo, hi) =>
    {
        for (int j = lo; j < hi; j++) ApplyRow(x, y, j, null);
    });

    /// <summary>x^T A x: the squared energy norm ||x||_A^2 for a symmetric positive definite A.</summary>
    public double EnergySquared(double[] x)
    {
        var ax = new double[x.Length];
        Apply(x, ax);
        double sum = 0;
        for (int p = 0; p < x.Length; p++) sum += x[p] * ax[p];
        return sum;
    }

    /// <summary>r = b - A x; returns the squared 2-norm of r.</summary>
    public double Residual(double[] x, double[] b, double[] r) => RowReduction.Sum(0, Ny, Threads, (lo, hi) =>
    {
        double sum = 0;
        for (int j = lo; j < hi; j++)
        {
            ApplyRow(x, r, j, b);
            int o = j * Nx;
            for (int i = 0; i < Nx; i++) sum += r[o + i] * r[o + i];
        }
        return sum;
    });

    /// <summary>Row j of A x, or of b - A x when <paramref name="b"/> is given, into y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ApplyRow(double[] x, double[] y, int j, double[]? b)
    {
        var c = Coefficients;
        int o = j * Nx;
        bool fast = j > 0 && j < Ny - 1 && Nx > 2;
        if (fast)
        {
            // Neighbours of i = 1 .. Nx - 2 exist without wrapping.
            double[] c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7], c8 = c[8];
            int s = o - Nx, n = o + Nx;
            if (IsFivePoint)
            {
                for (int i = 1; i < Nx - 1; i++)
                {
                    int p = o + i;
                    double v = c1[p] * x[s + i] + c3[p] * x[p - 1] + c4[p] * x[p] + c5[p] * x[p + 1] + c7[p] * x[n + i];
                    y[p] = b is null ? v : b[p] - v;
                }
            }
            else
            {
                for (int i = 1; i < Nx - 1; i++)
                {
                    int p = o + i;
                    double v = c0[p] * x[s + i - 1] + c1[p] * x[s + i] + c2[p] * x[s + i + 1]
                             + c3[p] * x[p - 1] + c4[p] * x[p] + c5[p] * x[p + 1]
                             + c6[p] * x[n + i - 1] + c7[p] * x[n + i] + c8[p] * x[n + i + 1];
                    y[p] = b is null ? v : b[p] - v;
                }
            }
            ApplyPoint(x, y, 0, j, b);
            ApplyPoint(x, y, Nx - 1, j, b);
        }
        else
        {
            for (int i = 0; i < Nx; i++) ApplyPoint(x, y, i, j, b);
        }
    }

    // One row entry with neighbour lookup (edges and wrapping); the slow path of ApplyRow.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void ApplyPoint(double[] x, double[] y, int i, int j, double[]? b)
    {
        int p = j * Nx + i;
        double v = 0;
        for (int k = 0; k < 9; k++)
        {
            double a = Coefficients[k][p];
            if (a == 0) continue;
            int q = Neighbour(i, j, k % 3 - 1, k / 3 - 1);
            if (q >= 0) v += a * x[q];
        }
        y[p] = b is null ? v : b[p] - v;
    }

    /// <summary>The diagonal (centre coefficients); the array is shared, not copied.</summary>
    public double[] Diagonal => Coefficients[Centre];

    /// <summary>True when every coupling equals its transpose to a relative 1e-12.</summary>
    public bool IsSymmetric()
    {
        for (int j = 0; j < Ny; j++)
            for (int i = 0; i < Nx; i++)
                for (int k = 0; k < 9; k++)
                {
                    int q = Neighbour(i, j, k % 3 - 1, k / 3 - 1);
                    if (q < 0) continue;
                    double a = Coefficients[k][j * Nx + i], b = Coefficients[8 - k][q];
                    if (Math.Abs(a - b) > 1e-12 * (Math.Abs(a) + Math.Abs(b) + 1e-300)) return false;
                }
        return true;
    }
}
