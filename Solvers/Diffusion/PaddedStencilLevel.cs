using System.Runtime.CompilerServices;
using PdeOps.Solvers.Krylov;

namespace PdeOps.Solvers.Diffusion;

/// <summary>
/// One level of <see cref="DirichletDiffusionSolver2D"/>: an Nx x Ny grid of unknowns stored with a
/// ring of ghost points that stay zero (homogeneous Dirichlet), so stencil loops need no boundary
/// branches. The operator is a symmetric nine-point stencil kept as its lower half: the centre and
/// the couplings to the west, south, south-west and south-east neighbours. The upper half follows
/// by symmetry (east of p is west of p + 1, north of p is south of p + stride, and so on), which
/// halves the memory traffic and keeps the operator exactly symmetric for conjugate gradients.
/// Couplings to ghosts and the rows of ghosts are zero. A five-point level has no diagonal couplings.
/// </summary>
internal sealed class PaddedStencilLevel : ILinearOperator
{
    public PaddedStencilLevel(int nx, int ny, bool fivePoint)
    {
        Nx = nx; Ny = ny; Stride = nx + 2; FivePoint = fivePoint;
        int size = (nx + 2) * (ny + 2);
        Centre = new double[size]; West = new double[size]; South = new double[size];
        SouthWest = fivePoint ? [] : new double[size];
        SouthEast = fivePoint ? [] : new double[size];
        InverseDiagonal = new double[size];
        X = new double[size]; B = new double[size]; R = new double[size];
    }

    public int Nx { get; }
    public int Ny { get; }
    public int Stride { get; }
    public bool FivePoint { get; }
    /// <summary>Length of every padded array.</summary>
    public int Size => Stride * (Ny + 2);
    public double[] Centre { get; }
    public double[] West { get; }
    public double[] South { get; }
    public double[] SouthWest { get; }
    public double[] SouthEast { get; }
    public double[] InverseDiagonal { get; }
    /// <summary>Iterate; the finest level borrows the caller's vector for the length of a cycle.</summary>
    public double[] X { get; set; }
    /// <summary>Right-hand side; borrowed like <see cref="X"/> on the finest level.</summary>
    public double[] B { get; set; }
    public double[] R { get; }

    /// <summary>
    /// The coupling of point p to its neighbour k = (dy + 1) * 3 + dx + 1 (k = 4 is the centre),
    /// reading the upper half through symmetry.
    /// </summary>
    public double Coupling(int k, int p)
    {
        int s = Stride;
        return k switch
        {
            0 => FivePoint ? 0 : SouthWest[p],
            1 => South[p],
            2 => FivePoint ? 0 : SouthEast[p],
            3 => West[p],
            4 => Centre[p],
            5 => West[p + 1],
            6 => FivePoint ? 0 : SouthEast[p + s - 1],
            7 => South[p + s],
            _ => FivePoint ? 0 : SouthWest[p + s + 1],
        };
    }

    /// <summary>Fills <see cref="InverseDiagonal"/> once the coefficients are final.</summary>
    public void Finish()
    {
        for (int j = 1; j <= Ny; j++)
            for (int p = j * Stride + 1; p <= j * Stride + Nx; p++) InverseDiagonal[p] = 1 / Centre[p];
    }

    /// <summary>y = A x on the unknowns (ghosts of y untouched).</summary>
    public void Apply(double[] x, double[] y) => Residual(x, null, y);

    /// <summary>r = b - A x on the unknowns; with <paramref name="b"/> null, r = A x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Residual(double[] x, double[]? b, double[] r)
    {
        int s = Stride;
        bool hasB = b is not null;
        fixed (double* px = x, pb = b, pr = r, c = Centre, w = West, so = South, sw = SouthWest, se = SouthEast)
        {
            for (int j = 1; j <= Ny; j++)
            {
                int first = j * s + 1, last = j * s + Nx;
                for (int p = first; p <= last; p++)
                {
                    double ax = c[p] * px[p] + w[p] * px[p - 1] + w[p + 1] * px[p + 1] + so[p] * px[p - s] + so[p + s] * px[p + s];
                    if (!FivePoint)
                        ax += sw[p] * px[p - s - 1] + se[p] * px[p - s + 1] + se[p + s - 1] * px[p + s - 1] + sw[p + s + 1] * px[p + s + 1];
                    pr[p] = hasB ? pb[p] - ax : ax;
                }
            }
        }
    }

    /// <summary>
    /// Lexicographic Gauss-Seidel sweeps on X for right-hand side B; <paramref name="backward"/>
    /// reverses the order, so a forward pre-sweep and a backward post-sweep make a symmetric cycle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void GaussSeidel(int sweeps, bool backward)
    {
        int s = Stride;
        fixed (double* x = X, b = B, inv = InverseDiagonal, w = West, so = South, sw = SouthWest, se = SouthEast)
        {
            for (int sweep = 0; sweep < sweeps; sweep++)
                for (int jj = 1; jj <= Ny; jj++)
                {
                    int j = backward ? Ny + 1 - jj : jj;
                    int first = j * s + 1, last = j * s + Nx;
                    if (FivePoint && !backward)
                        for (int p = first; p <= last; p++)
                            x[p] = (b[p] - w[p] * x[p - 1] - w[p + 1] * x[p + 1] - so[p] * x[p - s] - so[p + s] * x[p + s]) * inv[p];
                    else if (FivePoint)
                        for (int p = last; p >= first; p--)
                            x[p] = (b[p] - w[p] * x[p - 1] - w[p + 1] * x[p + 1] - so[p] * x[p - s] - so[p + s] * x[p + s]) * inv[p];
                    else if (!backward)
                        for (int p = first; p <= last; p++)
                            x[p] = (b[p] - w[p] * x[p - 1] - w[p + 1] * x[p + 1] - so[p] * x[p - s] - so[p + s] * x[p + s]
                                    - sw[p] * x[p - s - 1] - se[p] * x[p - s + 1] - se[p + s - 1] * x[p + s - 1] - sw[p + s + 1] * x[p + s + 1]) * inv[p];
                    else
                        for (int p = last; p >= first; p--)
                            x[p] = (b[p] - w[p] * x[p - 1] - w[p + 1] * x[p + 1] - so[p] * x[p - s] - so[p + s] * x[p + s]
                                    - sw[p] * x[p - s - 1] - se[p] * x[p - s + 1] - se[p + s - 1] * x[p + s - 1] - sw[p + s + 1] * x[p + s + 1]) * inv[p];
                }
        }
    }
}
