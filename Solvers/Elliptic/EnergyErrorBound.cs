using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using PdeOps.Physics.Problems;
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
/// <para>Its face coefficients and work vectors come from <see cref="ArrayPool{T}.Shared"/>: a
/// certifier builds one bound per sample, and fresh arrays of that size are fresh pages, whose
/// first touch costs more than the bound's arithmetic. Dispose returns them (a bound that is never
/// disposed leaves them to the collector).</para>
/// </remarks>
public sealed class EnergyErrorBound : IDisposable
{
    readonly int _nx, _ny, _mx, _my;
    readonly double _hx2, _hy2;
    // The y-direction elimination of L per x sine mode: inverse pivots (j * Nx + k) and the off-diagonal -1 / hy^2.
    readonly double[] _inversePivots;
    readonly double _offDiagonalY;
    readonly double _minCoefficient;
    // Face coefficients w_f (the harmonic means Discretization2D gives the faces) and their inverses:
    // x-faces (vx, vx + 1) on interior rows, indexed j * Mx + vx; y-faces (vy, vy + 1) on interior
    // columns, vy * Nx + i.
    readonly double[] _faceX, _faceY, _inverseFaceX, _inverseFaceY;
    // c on the unknowns (null when zero) and the right-hand side b of the assembled system.
    readonly double[]? _reaction;
    readonly double[] _rightHandSide;
    // A row of zeros: the Dirichlet rows beyond the first and last row of unknowns, as the residual and the flux read them.
    readonly double[] _zeroRow;
    bool _disposed;

    /// <summary>Prepares the bound for a system assembled by <see cref="Discretization2D.Assemble(PdeOps.Physics.Problems.EllipticProblem2D)"/>.</summary>
    /// <exception cref="ArgumentException">A side is not Dirichlet, c is negative somewhere, or a is not positive.</exception>
    public EnergyErrorBound(DiscreteEllipticSystem system) : this(system.Problem)
    {
        Threads = system.Operator.Threads;
    }

    /// <summary>
    /// Prepares the bound for <paramref name="problem"/> without assembling its matrix: the bound
    /// computes residuals itself (<see cref="Residual"/>), the same as those of the assembled system.
    /// </summary>
    /// <exception cref="ArgumentException">A side is not Dirichlet, c is negative somewhere, or a is not positive.</exception>
    public EnergyErrorBound(EllipticProblem2D problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var bc = problem.Boundaries;
        if (bc.West != BoundaryKind.Dirichlet || bc.East != BoundaryKind.Dirichlet || bc.South != BoundaryKind.Dirichlet || bc.North != BoundaryKind.Dirichlet)
            throw new ArgumentException("the energy error bound needs Dirichlet conditions on all four sides", nameof(problem));
        double aMin = Range(Flat(problem.A)).Min;
        var (cMin, cMax) = Range(Flat(problem.C));
        if (!(aMin > 0)) throw new ArgumentException($"the energy error bound needs a positive coefficient a (its minimum is {aMin})", nameof(problem));
        if (!(cMin >= 0)) throw new ArgumentException($"the energy error bound needs c >= 0 (its minimum is {cMin})", nameof(problem));
        _minCoefficient = aMin;
        (_mx, _my) = (problem.IntervalsX, problem.IntervalsY);
        (_nx, _ny) = (_mx - 1, _my - 1);
        (_hx2, _hy2) = (problem.Hx * problem.Hx, problem.Hy * problem.Hy);
        int nx = _nx, ny = _ny, mx = _mx, my = _my;
        _offDiagonalY = -1 / _hy2;
        _inversePivots = InversePivots(mx, my, problem.Hx, problem.Hy);
        _zeroRow = new double[nx];
        // Row-major views of the (My + 1) x (Mx + 1) vertex arrays: vertex (vx, vy) at vy * (Mx + 1) + vx.
        int stride = mx + 1;
        var a = Flat(problem.A);
        (_faceX, _inverseFaceX) = (Rent(mx * ny), Rent(mx * ny));
        for (int j = 0; j < ny; j++)
        {
            var row = a.Slice((j + 1) * stride, stride);
            var faces = _faceX.AsSpan(j * mx, mx);
            var inverse = _inverseFaceX.AsSpan(j * mx, mx);
            FacesAndInverses(row[..mx], row[1..], faces, inverse);
        }
        (_faceY, _inverseFaceY) = (Rent(my * nx), Rent(my * nx));
        for (int vy = 0; vy < my; vy++)
        {
            var lower = a.Slice(vy * stride + 1, nx);
            var upper = a.Slice((vy + 1) * stride + 1, nx);
            var faces = _faceY.AsSpan(vy * nx, nx);
            var inverse = _inverseFaceY.AsSpan(vy * nx, nx);
            FacesAndInverses(lower, upper, faces, inverse);
        }
        if (cMax > 0)
        {
            _reaction = Rent(nx * ny);
            for (int j = 0; j < ny; j++)
                for (int i = 0; i < nx; i++) _reaction[j * nx + i] = problem.C[j + 1, i + 1];
        }
        // b: f, plus each face to a Dirichlet vertex times that vertex's value.
        _rightHandSide = Rent(nx * ny);
        double Data(int vx, int vy) => problem.BoundaryData(problem.DirichletSideOf(vx, vy)!.Value, vx * problem.Hx, vy * problem.Hy);
        var f = Flat(problem.F);
        for (int j = 0; j < ny; j++)
        {
            f.Slice((j + 1) * stride + 1, nx).CopyTo(_rightHandSide.AsSpan(j * nx, nx));
            _rightHandSide[j * nx] += _faceX[j * mx] / _hx2 * Data(0, j + 1);
            _rightHandSide[j * nx + nx - 1] += _faceX[j * mx + mx - 1] / _hx2 * Data(mx, j + 1);
        }
        for (int i = 0; i < nx; i++)
        {
            _rightHandSide[i] += _faceY[i] / _hy2 * Data(i + 1, 0);
            _rightHandSide[(ny - 1) * nx + i] += _faceY[(my - 1) * nx + i] / _hy2 * Data(i + 1, my);
        }
    }

    // The smallest and largest value, lane by lane (NaN when one is NaN, as Math.Min and Math.Max give).
    static (double Min, double Max) Range(ReadOnlySpan<double> values)
    {
        int k = 0, width = Vector<double>.Count;
        double least = double.PositiveInfinity, most = double.NegativeInfinity;
        if (values.Length >= width)
        {
            Vector<double> low = new(double.PositiveInfinity), high = new(double.NegativeInfinity);
            for (; k <= values.Length - width; k += width)
            {
                var v = new Vector<double>(values[k..]);
                (low, high) = (Vector.Min(low, v), Vector.Max(high, v));
            }
            for (int lane = 0; lane < width; lane++) (least, most) = (Math.Min(least, low[lane]), Math.Max(most, high[lane]));
        }
        for (; k < values.Length; k++) (least, most) = (Math.Min(least, values[k]), Math.Max(most, values[k]));
        return (least, most);
    }

    // Each face's coefficient, the harmonic mean 2 p q / (p + q) of its two vertex values (as Discretization2D gives it),
    // and its inverse, lane by lane with one division for both (Discretization2D.HarmonicAndInverse).
    static void FacesAndInverses(ReadOnlySpan<double> p, ReadOnlySpan<double> q, Span<double> faces, Span<double> inverses)
    {
        int k = 0, width = Vector<double>.Count, count = faces.Length;
        for (; k <= count - width; k += width)
        {
            Vector<double> vp = new(p[k..]), vq = new(q[k..]);
            Vector<double> product = 2 * vp * vq, sum = vp + vq, inverse = Vector<double>.One / (product * sum);
            (product * product * inverse).CopyTo(faces[k..]);
            (sum * sum * inverse).CopyTo(inverses[k..]);
        }
        for (; k < count; k++) (faces[k], inverses[k]) = Discretization2D.HarmonicAndInverse(p[k], q[k]);
    }

    /// <summary>Threads that share the transforms (the assembled operator's, when built from a system).</summary>
    public int Threads { get; set; } = Environment.ProcessorCount;

    /// <summary>True when the problem has a reaction term (c &gt; 0 somewhere).</summary>
    internal bool HasReaction => _reaction is not null;

    /// <summary>The smallest value of the coefficient a, the constant of <see cref="MinCoefficientBound"/>.</summary>
    public double MinCoefficient => _minCoefficient;

    /// <summary>
    /// r = b - A x for the unknowns <paramref name="unknowns"/> (the interior vertices, row by row), written to
    /// <paramref name="residual"/>: the residual of the assembled system, computed face by face.
    /// </summary>
    public void Residual(double[] unknowns, double[] residual)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (unknowns.Length != _nx * _ny || residual.Length != _nx * _ny)
            throw new ArgumentException($"the problem has {_nx * _ny} unknowns; got {unknowns.Length} values and room for {residual.Length}");
        ResidualInto(unknowns, residual);
    }

    // Residual without the checks; residual may be longer than the unknowns (a pooled array).
    void ResidualInto(ReadOnlySpan<double> unknowns, double[] residual)
    {
        int nx = _nx, ny = _ny, mx = _mx;
        // The rows beyond the first and last are Dirichlet vertices, whose data b holds: they count as zero.
        for (int j = 0; j < ny; j++)
        {
            var row = new ResidualRow(
                unknowns.Slice(j * nx, nx),
                j > 0 ? unknowns.Slice((j - 1) * nx, nx) : _zeroRow,
                j < ny - 1 ? unknowns.Slice((j + 1) * nx, nx) : _zeroRow,
                _faceX.AsSpan(j * mx, mx), _faceY.AsSpan(j * nx, nx), _faceY.AsSpan((j + 1) * nx, nx),
                _reaction is null ? default : _reaction.AsSpan(j * nx, nx),
                1 / _hx2, 1 / _hy2);
            row.Into(_rightHandSide.AsSpan(j * nx, nx), residual.AsSpan(j * nx, nx));
        }
    }

    // One row of b - A x, face by face: x with the rows below and above it, the row's x-faces
    // (one more than its unknowns), the y-faces to the south and north, and c (empty when zero).
    readonly ref struct ResidualRow(ReadOnlySpan<double> x, ReadOnlySpan<double> below, ReadOnlySpan<double> above,
        ReadOnlySpan<double> faces, ReadOnlySpan<double> south, ReadOnlySpan<double> north, ReadOnlySpan<double> reaction, double sx, double sy)
    {
        readonly ReadOnlySpan<double> _x = x, _below = below, _above = above, _faces = faces, _south = south, _north = north, _reaction = reaction;

        public void Into(ReadOnlySpan<double> b, Span<double> r)
        {
            int nx = _x.Length, i = 1, width = Vector<double>.Count;
            r[0] = b[0] - At(0);
            if (nx > 1) r[nx - 1] = b[nx - 1] - At(nx - 1);
            // The interior of the row, whose west and east neighbours are unknowns, lane by lane in At's order of operations.
            Vector<double> vsx = new(sx), vsy = new(sy);
            for (; i + width <= nx - 1; i += width)
            {
                var xp = new Vector<double>(_x[i..]);
                var ax = vsx * (new Vector<double>(_faces[i..]) * (xp - new Vector<double>(_x[(i - 1)..])) + new Vector<double>(_faces[(i + 1)..]) * (xp - new Vector<double>(_x[(i + 1)..])))
                    + vsy * (new Vector<double>(_south[i..]) * (xp - new Vector<double>(_below[i..])) + new Vector<double>(_north[i..]) * (xp - new Vector<double>(_above[i..])));
                if (!_reaction.IsEmpty) ax += new Vector<double>(_reaction[i..]) * xp;
                (new Vector<double>(b[i..]) - ax).CopyTo(r[i..]);
            }
            for (; i < nx - 1; i++) r[i] = b[i] - At(i);
        }

        // (A x)_i; the west neighbour of the first unknown and the east one of the last are Dirichlet vertices.
        double At(int i)
        {
            double xp = _x[i];
            double west = i > 0 ? _x[i - 1] : 0, east = i < _x.Length - 1 ? _x[i + 1] : 0;
            double ax = sx * (_faces[i] * (xp - west) + _faces[i + 1] * (xp - east)) + sy * (_south[i] * (xp - _below[i]) + _north[i] * (xp - _above[i]));
            return _reaction.IsEmpty ? ax : ax + _reaction[i] * xp;
        }
    }

    /// <summary>
    /// eta = ||D L^-1 r||_{W^-1} for the residual <paramref name="residual"/> (one value per unknown):
    /// the flux of the constant-coefficient problem measured with the face coefficients.
    /// </summary>
    public double EnergyBound(double[] residual)
    {
        CheckResidual(residual);
        var work = Rent(residual.Length);
        try { return Flux(InverseLaplacian(residual, work)); }
        finally { ArrayPool<double>.Shared.Return(work); }
    }

    /// <summary>
    /// The cruder sqrt(r^T L^-1 r / a_min), which measures the same flux with a_min on every face;
    /// never below <see cref="EnergyBound"/>.
    /// </summary>
    public double MinCoefficientBound(double[] residual)
    {
        CheckResidual(residual);
        var work = Rent(residual.Length);
        try
        {
            var z = InverseLaplacian(residual, work);
            double rz = 0;
            for (int p = 0; p < residual.Length; p++) rz += residual[p] * z[p];
            return Math.Sqrt(Math.Max(rz, 0) / _minCoefficient);
        }
        finally { ArrayPool<double>.Shared.Return(work); }
    }

    // ||D z||_{W^-1} for z = L^-1 r.
    double Flux(double[] z)
    {
        int nx = _nx, ny = _ny, mx = _mx, my = _my;
        // Faces weighted by 1 / (w_f h^2); z vanishes on the Dirichlet vertices around the unknowns,
        // so the first and last face of each line see one unknown only.
        double alongX = 0, alongY = 0;
        for (int j = 0; j < ny; j++)
        {
            var line = z.AsSpan(j * nx, nx);
            var faces = _inverseFaceX.AsSpan(j * mx, mx);
            alongX += line[0] * line[0] * faces[0] + line[nx - 1] * line[nx - 1] * faces[mx - 1];
            alongX += WeightedSquaredDifferences(line[1..], line[..^1], faces[1..nx]);
        }
        for (int vy = 0; vy < my; vy++)
        {
            var faces = _inverseFaceY.AsSpan(vy * nx, nx);
            if (vy == 0 || vy == my - 1)
            {
                var line = z.AsSpan((vy == 0 ? 0 : ny - 1) * nx, nx);
                alongY += WeightedSquaredDifferences(line, _zeroRow, faces);
                continue;
            }
            alongY += WeightedSquaredDifferences(z.AsSpan(vy * nx, nx), z.AsSpan((vy - 1) * nx, nx), faces);
        }
        return Math.Sqrt(alongX / _hx2 + alongY / _hy2);
    }

    // sum_i (p_i - q_i)^2 w_i, lane by lane: the sums are of positive terms, so their order matters little.
    static double WeightedSquaredDifferences(ReadOnlySpan<double> p, ReadOnlySpan<double> q, ReadOnlySpan<double> w)
    {
        int i = 0, width = Vector<double>.Count;
        var lanes = Vector<double>.Zero;
        for (; i + width <= p.Length; i += width)
        {
            var d = new Vector<double>(p[i..]) - new Vector<double>(q[i..]);
            lanes += d * d * new Vector<double>(w[i..]);
        }
        double sum = Vector.Sum(lanes);
        for (; i < p.Length; i++)
        {
            double d = p[i] - q[i];
            sum += d * d * w[i];
        }
        return sum;
    }

    // L^-1 r: the orthonormal sine transform S along x (its own inverse) diagonalises L's x part, which
    // leaves for each mode k a tridiagonal system along y, lambda_k z + (2 z_j - z_j-1 - z_j+1) / hy^2,
    // solved by the elimination factored in the constructor, all modes of a row at once.
    // z may be the residual itself; either may be longer than the unknowns (a pooled array).
    double[] InverseLaplacian(double[] residual, double[] z)
    {
        int nx = _nx, ny = _ny;
        TransformRows(residual, z);
        // Rows of modes at a time: the recurrence runs along y, so the modes of a row are independent lanes.
        for (int k = 0; k < nx; k++) z[k] *= _inversePivots[k];
        for (int j = 1; j < ny; j++)
            Eliminate(z.AsSpan(j * nx, nx), z.AsSpan((j - 1) * nx, nx), _inversePivots.AsSpan(j * nx, nx), _offDiagonalY);
        for (int j = ny - 2; j >= 0; j--)
            BackSubstitute(z.AsSpan(j * nx, nx), z.AsSpan((j + 1) * nx, nx), _inversePivots.AsSpan(j * nx, nx), _offDiagonalY);
        TransformRows(z, z);
        return z;
    }

    // row = (row - offDiagonal previous) pivots, lane by lane.
    static void Eliminate(Span<double> row, ReadOnlySpan<double> previous, ReadOnlySpan<double> pivots, double offDiagonal)
    {
        int k = 0, width = Vector<double>.Count;
        var off = new Vector<double>(offDiagonal);
        for (; k <= row.Length - width; k += width)
            ((new Vector<double>(row[k..]) - off * new Vector<double>(previous[k..])) * new Vector<double>(pivots[k..])).CopyTo(row[k..]);
        for (; k < row.Length; k++) row[k] = (row[k] - offDiagonal * previous[k]) * pivots[k];
    }

    // row -= offDiagonal pivots next, lane by lane.
    static void BackSubstitute(Span<double> row, ReadOnlySpan<double> next, ReadOnlySpan<double> pivots, double offDiagonal)
    {
        int k = 0, width = Vector<double>.Count;
        var off = new Vector<double>(offDiagonal);
        for (; k <= row.Length - width; k += width)
            (new Vector<double>(row[k..]) - off * new Vector<double>(pivots[k..]) * new Vector<double>(next[k..])).CopyTo(row[k..]);
        for (; k < row.Length; k++) row[k] -= offDiagonal * pivots[k] * next[k];
    }

    // The sine transform of every row (four at a time in vector lanes), rows split among the operator's threads (one transform each: they keep buffers).
    void TransformRows(double[] source, double[] target)
    {
        int nx = _nx, ny = _ny;
        int threads = Math.Clamp(Threads, 1, ny);
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int first = t * ny / threads, rows = (t + 1) * ny / threads - first;
            new SineTransform(nx).ApplyRows(source.AsSpan(first * nx, rows * nx), target.AsSpan(first * nx, rows * nx));
        });
    }

    /// <summary>
    /// The bound for the approximation <paramref name="unknowns"/> whose residual b - A x is
    /// <paramref name="residual"/>: eta, ||x||_A (from x^T A x = x^T (b - r)) and the relative bound.
    /// </summary>
    public ErrorBoundEstimate Estimate(double[] unknowns, double[] residual)
    {
        CheckResidual(residual);
        if (unknowns.Length != residual.Length) throw new ArgumentException($"the approximation has {unknowns.Length} values; the system has {residual.Length} unknowns", nameof(unknowns));
        var work = Rent(residual.Length);
        try { return Estimate(unknowns, residual, work); }
        finally { ArrayPool<double>.Shared.Return(work); }
    }

    // The estimate with L^-1 r written to work, which may be the residual itself: the sums that read r come first.
    ErrorBoundEstimate Estimate(ReadOnlySpan<double> unknowns, double[] residual, double[] work)
    {
        var (xAx, xr) = EnergyTerms(unknowns, _rightHandSide, residual);
        double eta = Flux(InverseLaplacian(residual, work));
        double norm = Math.Sqrt(Math.Max(xAx, 0));
        double solutionNorm = Math.Max(norm - eta, Math.Sqrt(Math.Max(xAx + 2 * xr, 0)));
        double relative = solutionNorm > 0 ? eta / solutionNorm : double.PositiveInfinity;
        return new ErrorBoundEstimate(eta, norm, relative);
    }

    // x^T A x = x^T (b - r) and x^T r, lane by lane.
    static (double XAx, double Xr) EnergyTerms(ReadOnlySpan<double> x, ReadOnlySpan<double> b, ReadOnlySpan<double> r)
    {
        int i = 0, width = Vector<double>.Count;
        Vector<double> energy = Vector<double>.Zero, cross = Vector<double>.Zero;
        for (; i + width <= x.Length; i += width)
        {
            Vector<double> xi = new(x[i..]), ri = new(r[i..]);
            energy += xi * (new Vector<double>(b[i..]) - ri);
            cross += xi * ri;
        }
        double xAx = Vector.Sum(energy), xr = Vector.Sum(cross);
        for (; i < x.Length; i++)
        {
            xAx += x[i] * (b[i] - r[i]);
            xr += x[i] * r[i];
        }
        return (xAx, xr);
    }

    /// <summary>Computes the residual of <paramref name="unknowns"/> and returns its <see cref="Estimate(double[], double[])"/>.</summary>
    public ErrorBoundEstimate Estimate(double[] unknowns)
    {
        if (unknowns.Length != _nx * _ny) throw new ArgumentException($"the approximation has {unknowns.Length} values; the system has {_nx * _ny} unknowns", nameof(unknowns));
        return EstimateOf(unknowns);
    }

    // Estimate(double[]) for the first Nx * Ny values of a span (a pooled array's).
    internal ErrorBoundEstimate EstimateOf(ReadOnlySpan<double> unknowns)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        unknowns = unknowns[..(_nx * _ny)];
        var r = Rent(unknowns.Length);
        try
        {
            ResidualInto(unknowns, r);
            return Estimate(unknowns, r, r);
        }
        finally { ArrayPool<double>.Shared.Return(r); }
    }

    /// <summary>Returns the bound's face coefficients and right-hand side to the shared pool; the bound is unusable afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var array in new[] { _faceX, _faceY, _inverseFaceX, _inverseFaceY, _rightHandSide, _reaction })
            if (array is not null) ArrayPool<double>.Shared.Return(array);
    }

    void CheckResidual(double[] residual)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (residual.Length != _nx * _ny) throw new ArgumentException($"the residual has {residual.Length} values; the system has {_nx * _ny} unknowns", nameof(residual));
    }

    static double[] Rent(int length) => ArrayPool<double>.Shared.Rent(length);

    static ReadOnlySpan<double> Flat(double[,] values) => MemoryMarshal.CreateReadOnlySpan(ref values[0, 0], values.Length);

    // The grid of the last bound built, and its pivots: they depend on the grid alone, and a
    // certifier checks sample after sample on one grid.
    // A class, so that threads swap whole entries.
    sealed record GridPivots(int Mx, int My, double Hx, double Hy, double[] Pivots);
    static GridPivots? s_lastPivots;

    // Elimination down each x mode's tridiagonal system along y: the j-th pivot is
    // lambda_k + 2 / hy^2 less (1 / hy^2)^2 over the (j - 1)-th; returns their inverses (j * Nx + k).
    static double[] InversePivots(int mx, int my, double hx, double hy)
    {
        if (Volatile.Read(ref s_lastPivots) is { } last && last.Mx == mx && last.My == my && last.Hx == hx && last.Hy == hy) return last.Pivots;
        int nx = mx - 1, ny = my - 1;
        var lx = AxisEigenvalues(nx, mx, hx);
        double centre = 2 / (hy * hy), coupling = 1 / (hy * hy * hy * hy);
        var inverse = new double[nx * ny];
        for (int k = 0; k < nx; k++) inverse[k] = 1 / (lx[k] + centre);
        for (int j = 1; j < ny; j++)
        {
            var previous = inverse.AsSpan((j - 1) * nx, nx);
            var row = inverse.AsSpan(j * nx, nx);
            for (int k = 0; k < nx; k++) row[k] = 1 / (lx[k] + centre - coupling * previous[k]);
        }
        Volatile.Write(ref s_lastPivots, new GridPivots(mx, my, hx, hy, inverse));
        return inverse;
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
