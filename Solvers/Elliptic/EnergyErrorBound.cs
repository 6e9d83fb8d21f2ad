using PdeOps.Solvers.Spectral;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// A guaranteed a-posteriori bound on the error of any approximation x of the discrete solution
/// u_h of -div(a grad u) + c u = f with Dirichlet conditions on all four sides, in the discrete
/// energy norm ||e||_A = sqrt(e^T A e) of <see cref="Discretization2D"/>'s matrix A.
/// </summary>
/// <remarks>
/// <para>The error e = u_h - x solves A e = r with r = b - A x, so ||e||_A^2 = r^T A^-1 r. A is a
/// sum over faces: A = D^T W D + C, where D takes differences across faces divided by the spacing,
/// W holds the face coefficients (harmonic means of a, each at least a_min = min a) and C &gt;= 0 the
/// reaction term. L = D^T D is the five-point Dirichlet Laplacian of the same grid.</para>
/// <para>Any face flux q with D^T q = r bounds the error (the discrete Thomson principle):
/// r^T e = q^T D e &lt;= ||q||_{W^-1} ||e||_A by Cauchy-Schwarz, so ||e||_A &lt;= ||q||_{W^-1}. The
/// flux q = D L^-1 r of the constant-coefficient problem is one such, and gives</para>
/// <para>  ||e||_A &lt;= eta = sqrt(sum over faces of (D L^-1 r)_f^2 / w_f).</para>
/// <para>The sine transform along x (<see cref="SineTransform"/>) diagonalises L's x part and leaves a
/// tridiagonal system along y per mode, so L^-1 r costs two transforms of the rows and one
/// elimination per mode: O(n log n), no iteration. eta is exact when a is constant and C = 0, and never above the
/// cruder sqrt(r^T L^-1 r / a_min) (<see cref="MinCoefficientBound"/>), which replaces every w_f by a_min:
/// the efficiency index eta / ||e||_A lies in [1, sqrt(a_max / a_min)] (2 for the FNO Darcy
/// coefficients 12 / 3).</para>
/// <para>The relative bound divides by a guaranteed lower bound on ||u_h||_A: the larger of
/// ||x||_A - eta (the triangle inequality) and sqrt(x^T A x + 2 x^T r) (u_h minimises the energy
/// v^T A v / 2 - b^T v, whose value at x is therefore at least -||u_h||_A^2 / 2); the second is
/// short of ||u_h||_A by only ||e||_A^2 / (2 ||u_h||_A).</para>
/// <para>The bound is on the algebraic error against the discrete solution of this grid, not the
/// discretisation error against the continuous solution.</para>
/// </remarks>
public sealed class EnergyErrorBound
{
    readonly DiscreteEllipticSystem _system;
    // The y-direction elimination of L per x sine mode: inverse pivots (j * Nx + k) and the off-diagonal -1 / hy^2.
    readonly double[] _inversePivots;
    readonly double _offDiagonalY;
    readonly double _minCoefficient;
    // Face coefficient times 1 / h^2 of the face's direction, inverted: x-faces (vx, vx + 1) on
    // interior rows, indexed j * Mx + vx; y-faces (vy, vy + 1) on interior columns, vy * Nx + i.
    readonly double[] _inverseFaceX;
    readonly double[] _inverseFaceY;

    /// <summary>Prepares the bound for a system assembled by <see cref="Discretization2D.Assemble"/>.</summary>
    /// <exception cref="ArgumentException">A side is not Dirichlet, c is negative somewhere, or a is not positive.</exception>
    public EnergyErrorBound(DiscreteEllipticSystem system)
    {
        var problem = system.Problem;
        var bc = problem.Boundaries;
        if (bc.West != Physics.Problems.BoundaryKind.Dirichlet || bc.East != Physics.Problems.BoundaryKind.Dirichlet ||
            bc.South != Physics.Problems.BoundaryKind.Dirichlet || bc.North != Physics.Problems.BoundaryKind.Dirichlet)
            throw new ArgumentException("the energy error bound needs Dirichlet conditions on all four sides", nameof(system));
        double aMin = double.PositiveInfinity, cMin = double.PositiveInfinity;
        foreach (double v in problem.A) aMin = Math.Min(aMin, v);
        foreach (double v in problem.C) cMin = Math.Min(cMin, v);
        if (!(aMin > 0)) throw new ArgumentException($"the energy error bound needs a positive coefficient a (its minimum is {aMin})", nameof(system));
        if (!(cMin >= 0)) throw new ArgumentException($"the energy error bound needs c >= 0 (its minimum is {cMin})", nameof(system));
        _system = system;
        _minCoefficient = aMin;
        int nx = system.Operator.Nx, ny = system.Operator.Ny, mx = problem.IntervalsX, my = problem.IntervalsY;
        // Elimination down each mode's tridiagonal system along y: the j-th pivot is
        // lambda_k + 2 / hy^2 less the off-diagonal squared over the (j - 1)-th.
        var lx = AxisEigenvalues(nx, mx, problem.Hx);
        double hy2 = problem.Hy * problem.Hy;
        _offDiagonalY = -1 / hy2;
        _inversePivots = new double[nx * ny];
        for (int k = 0; k < nx; k++)
        {
            double pivot = lx[k] + 2 / hy2;
            _inversePivots[k] = 1 / pivot;
            for (int j = 1; j < ny; j++)
            {
                pivot = lx[k] + 2 / hy2 - _offDiagonalY * _offDiagonalY / pivot;
                _inversePivots[j * nx + k] = 1 / pivot;
            }
        }
        // The same harmonic means Discretization2D gives the faces.
        var a = problem.A;
        _inverseFaceX = new double[mx * ny];
        for (int j = 0; j < ny; j++)
            for (int vx = 0; vx < mx; vx++) _inverseFaceX[j * mx + vx] = 1 / Discretization2D.Harmonic(a[j + 1, vx], a[j + 1, vx + 1]);
        _inverseFaceY = new double[my * nx];
        for (int vy = 0; vy < my; vy++)
            for (int i = 0; i < nx; i++) _inverseFaceY[vy * nx + i] = 1 / Discretization2D.Harmonic(a[vy, i + 1], a[vy + 1, i + 1]);
    }

    /// <summary>The smallest value of the coefficient a, the constant of <see cref="MinCoefficientBound"/>.</summary>
    public double MinCoefficient => _minCoefficient;

    /// <summary>
    /// eta = ||D L^-1 r||_{W^-1} for the residual <paramref name="residual"/> (one value per unknown):
    /// the flux of the constant-coefficient problem measured with the face coefficients.
    /// </summary>
    public double EnergyBound(double[] residual) => Bounds(residual).Flux;

    /// <summary>
    /// The cruder sqrt(r^T L^-1 r / a_min), which measures the same flux with a_min on every face;
    /// never below <see cref="EnergyBound"/>.
    /// </summary>
    public double MinCoefficientBound(double[] residual) => Bounds(residual).MinCoefficient;

    (double Flux, double MinCoefficient) Bounds(double[] residual)
    {
        int nx = _system.Operator.Nx, ny = _system.Operator.Ny, mx = _system.Problem.IntervalsX, my = _system.Problem.IntervalsY;
        if (residual.Length != nx * ny) throw new ArgumentException($"the residual has {residual.Length} values; the system has {nx * ny} unknowns", nameof(residual));
        var z = InverseLaplacian(residual);
        double rz = 0;
        for (int p = 0; p < z.Length; p++) rz += residual[p] * z[p];
        // Faces weighted by 1 / (w_f h^2); z vanishes on the Dirichlet vertices around the unknowns,
        // so the first and last face of each line see one unknown only.
        double hx2 = _system.Problem.Hx * _system.Problem.Hx, hy2 = _system.Problem.Hy * _system.Problem.Hy, alongX = 0, alongY = 0;
        for (int j = 0; j < ny; j++)
        {
            var line = z.AsSpan(j * nx, nx);
            var faces = _inverseFaceX.AsSpan(j * mx, mx);
            alongX += line[0] * line[0] * faces[0] + line[nx - 1] * line[nx - 1] * faces[mx - 1];
            for (int i = 1; i < nx; i++)
            {
                double d = line[i] - line[i - 1];
                alongX += d * d * faces[i];
            }
        }
        for (int vy = 0; vy < my; vy++)
        {
            var faces = _inverseFaceY.AsSpan(vy * nx, nx);
            if (vy == 0 || vy == my - 1)
            {
                var line = z.AsSpan((vy == 0 ? 0 : ny - 1) * nx, nx);
                for (int i = 0; i < nx; i++) alongY += line[i] * line[i] * faces[i];
                continue;
            }
            var above = z.AsSpan(vy * nx, nx);
            var below = z.AsSpan((vy - 1) * nx, nx);
            for (int i = 0; i < nx; i++)
            {
                double d = above[i] - below[i];
                alongY += d * d * faces[i];
            }
        }
        double flux = alongX / hx2 + alongY / hy2;
        return (Math.Sqrt(flux), Math.Sqrt(Math.Max(rz, 0) / _minCoefficient));
    }

    // L^-1 r: the orthonormal sine transform S along x (its own inverse) diagonalises L's x part, which
    // leaves for each mode k a tridiagonal system along y, lambda_k z + (2 z_j - z_j-1 - z_j+1) / hy^2,
    // solved by the elimination factored in the constructor, all modes of a row at once.
    double[] InverseLaplacian(double[] residual)
    {
        int nx = _system.Operator.Nx, ny = _system.Operator.Ny;
        var z = new double[residual.Length];
        TransformRows(residual, z);
        for (int k = 0; k < nx; k++) z[k] *= _inversePivots[k];
        for (int j = 1; j < ny; j++)
        {
            var row = z.AsSpan(j * nx, nx);
            var previous = z.AsSpan((j - 1) * nx, nx);
            var pivots = _inversePivots.AsSpan(j * nx, nx);
            for (int k = 0; k < nx; k++) row[k] = (row[k] - _offDiagonalY * previous[k]) * pivots[k];
        }
        for (int j = ny - 2; j >= 0; j--)
        {
            var row = z.AsSpan(j * nx, nx);
            var next = z.AsSpan((j + 1) * nx, nx);
            var pivots = _inversePivots.AsSpan(j * nx, nx);
            for (int k = 0; k < nx; k++) row[k] -= _offDiagonalY * pivots[k] * next[k];
        }
        TransformRows(z, z);
        return z;
    }

    // The sine transform of every row, rows split among the operator's threads (one transform each: they keep buffers).
    void TransformRows(double[] source, double[] target)
    {
        int nx = _system.Operator.Nx, ny = _system.Operator.Ny;
        int threads = Math.Clamp(_system.Operator.Threads, 1, ny);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var transform = new SineTransform(nx);
            for (int j = t * ny / threads; j < (t + 1) * ny / threads; j++)
                transform.Apply(source.AsSpan(j * nx, nx), target.AsSpan(j * nx, nx));
        });
    }

    /// <summary>
    /// The bound for the approximation <paramref name="unknowns"/> whose residual b - A x is
    /// <paramref name="residual"/>: eta, ||x||_A (from x^T A x = x^T (b - r)) and the relative bound.
    /// </summary>
    public ErrorBoundEstimate Estimate(double[] unknowns, double[] residual)
    {
        double eta = EnergyBound(residual);
        var b = _system.RightHandSide;
        double xAx = 0, xr = 0;
        for (int i = 0; i < unknowns.Length; i++)
        {
            xAx += unknowns[i] * (b[i] - residual[i]);
            xr += unknowns[i] * residual[i];
        }
        double norm = Math.Sqrt(Math.Max(xAx, 0));
        double solutionNorm = Math.Max(norm - eta, Math.Sqrt(Math.Max(xAx + 2 * xr, 0)));
        double relative = solutionNorm > 0 ? eta / solutionNorm : double.PositiveInfinity;
        return new ErrorBoundEstimate(eta, norm, relative);
    }

    /// <summary>Computes the residual of <paramref name="unknowns"/> and returns its <see cref="Estimate(double[], double[])"/>.</summary>
    public ErrorBoundEstimate Estimate(double[] unknowns)
    {
        var r = new double[unknowns.Length];
        _system.Operator.Residual(unknowns, _system.RightHandSide, r);
        return Estimate(unknowns, r);
    }

    // Eigenvalues of the scaled second difference (2 - shift - shift^-1) / h^2 with Dirichlet ends: (4 / h^2) sin^2(pi k / (2 M)).
    static double[] AxisEigenvalues(int unknowns, int intervals, double h)
    {
        var values = new double[unknowns];
        for (int k = 0; k < unknowns; k++)
        {
            double s = Math.Sin(Math.PI * (k + 1) / (2.0 * intervals));
            values[k] = 4 * s * s / (h * h);
        }
        return values;
    }
}

/// <summary>An <see cref="EnergyErrorBound"/> evaluated at one approximation.</summary>
/// <param name="EnergyBound">eta &gt;= ||u_h - x||_A.</param>
/// <param name="EnergyNorm">||x||_A.</param>
/// <param name="RelativeBound">eta over the guaranteed lower bound on ||u_h||_A (<see cref="EnergyErrorBound"/>), hence &gt;= ||u_h - x||_A / ||u_h||_A; infinity when that lower bound is 0.</param>
public sealed record ErrorBoundEstimate(double EnergyBound, double EnergyNorm, double RelativeBound);
