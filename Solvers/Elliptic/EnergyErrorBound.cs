using PdeOps.Solvers.Spectral;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// A guaranteed a-posteriori bound on the error of any approximation x of the discrete solution
/// u_h of -div(a grad u) + c u = f with Dirichlet conditions on all four sides, in the discrete
/// energy norm ||e||_A = sqrt(e^T A e) of <see cref="Discretization2D"/>'s matrix A.
/// </summary>
/// <remarks>
/// <para>The error e = u_h - x solves A e = r with r = b - A x, so ||e||_A^2 = r^T A^-1 r. Every
/// face of A carries a harmonic mean of two coefficient values, at least a_min = min a, and c &gt;= 0
/// only adds to the diagonal, so A - a_min L is a sum of positive semidefinite face terms, where
/// L is the five-point Dirichlet Laplacian on the same grid: A &gt;= a_min L, hence A^-1 &lt;= L^-1 / a_min and
/// </para>
/// <para>  ||e||_A &lt;= eta = sqrt(r^T L^-1 r / a_min)   (the residual's discrete H^-1 norm over sqrt(a_min)).</para>
/// <para>L is diagonal in the two-dimensional sine basis (<see cref="SineTransform"/>), so eta costs one
/// transform of r, O(n log n), no solve. The constant is exact: eta / ||e||_A lies in
/// [1, sqrt(a_max / a_min)], so the efficiency index is at most sqrt(a_max / a_min) (2 for the FNO
/// Darcy coefficients 12 / 3). The relative bound uses ||u_h||_A &gt;= ||x||_A - eta:
/// ||e||_A / ||u_h||_A &lt;= eta / (||x||_A - eta).</para>
/// <para>The bound is on the algebraic error against the discrete solution of this grid, not the
/// discretisation error against the continuous solution.</para>
/// </remarks>
public sealed class EnergyErrorBound
{
    readonly DiscreteEllipticSystem _system;
    readonly double[] _inverseEigenvalues;
    readonly double _minCoefficient;

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
        int nx = system.Operator.Nx, ny = system.Operator.Ny;
        var lx = AxisEigenvalues(nx, problem.IntervalsX, problem.Hx);
        var ly = AxisEigenvalues(ny, problem.IntervalsY, problem.Hy);
        _inverseEigenvalues = new double[nx * ny];
        for (int l = 0; l < ny; l++)
            for (int k = 0; k < nx; k++) _inverseEigenvalues[l * nx + k] = 1 / (lx[k] + ly[l]);
    }

    /// <summary>The smallest value of the coefficient a, the constant of the bound.</summary>
    public double MinCoefficient => _minCoefficient;

    /// <summary>eta = sqrt(r^T L^-1 r / a_min) for the residual <paramref name="residual"/> (one value per unknown).</summary>
    public double EnergyBound(double[] residual)
    {
        int nx = _system.Operator.Nx, ny = _system.Operator.Ny;
        if (residual.Length != nx * ny) throw new ArgumentException($"the residual has {residual.Length} values; the system has {nx * ny} unknowns", nameof(residual));
        var transformed = new double[residual.Length];
        var rows = new SineTransform(nx);
        for (int j = 0; j < ny; j++) rows.Apply(residual.AsSpan(j * nx, nx), transformed.AsSpan(j * nx, nx));
        var columns = new SineTransform(ny);
        var column = new double[ny];
        double sum = 0;
        for (int k = 0; k < nx; k++)
        {
            for (int j = 0; j < ny; j++) column[j] = transformed[j * nx + k];
            columns.Apply(column, column);
            for (int l = 0; l < ny; l++) sum += column[l] * column[l] * _inverseEigenvalues[l * nx + k];
        }
        return Math.Sqrt(sum / _minCoefficient);
    }

    /// <summary>
    /// The bound for the approximation <paramref name="unknowns"/> whose residual b - A x is
    /// <paramref name="residual"/>: eta, ||x||_A (from x^T A x = x^T (b - r)) and the relative bound.
    /// </summary>
    public ErrorBoundEstimate Estimate(double[] unknowns, double[] residual)
    {
        double eta = EnergyBound(residual);
        var b = _system.RightHandSide;
        double xAx = 0;
        for (int i = 0; i < unknowns.Length; i++) xAx += unknowns[i] * (b[i] - residual[i]);
        double norm = Math.Sqrt(Math.Max(xAx, 0));
        double relative = norm > eta ? eta / (norm - eta) : double.PositiveInfinity;
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
/// <param name="RelativeBound">eta / (||x||_A - eta) &gt;= ||u_h - x||_A / ||u_h||_A; infinity when eta &gt;= ||x||_A.</param>
public sealed record ErrorBoundEstimate(double EnergyBound, double EnergyNorm, double RelativeBound);
