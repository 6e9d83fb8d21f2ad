using PdeOps.Solvers.Common;
using PdeOps.Solvers.Krylov;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// The complex shifted-Laplacian preconditioner for Helmholtz problems (Erlangga, Vuik and
/// Oosterlee, Appl. Numer. Math. 50, 2004): one multigrid V-cycle on M = A + i beta K, where A is the
/// Helmholtz operator -div(a grad u) - k^2 u, K the positive diagonal k^2 (times the cell volume)
/// and beta = 1/2. The imaginary shift makes M's spectrum leave the origin, so multigrid works on it
/// where it fails on A itself. Complex vectors are stored as real arrays [re; im] of twice the size,
/// and the Krylov method runs on the equivalent real system (<see cref="RealifiedOperator"/>).
/// </summary>
internal sealed class ComplexShiftedLaplacian : IPreconditioner
{
    /// <summary>The imaginary shift beta of M = A + i beta K.</summary>
    public const double Shift = 0.5;

    sealed class Level(StencilOperator2D real, StencilOperator2D imaginary)
    {
        public StencilOperator2D Re { get; } = real;
        public StencilOperator2D Im { get; } = imaginary;
        public int N => Re.Size;
        public double[] X { get; } = new double[2 * real.Size];
        public double[] B { get; } = new double[2 * real.Size];
        public double[] R { get; } = new double[2 * real.Size];
        public double[] Work { get; } = new double[real.Size];
        public double[] HalfA { get; } = new double[real.Size];
        public double[] HalfB { get; } = new double[real.Size];
        public GridTransfer? ToCoarse { get; set; }
    }

    readonly Level[] _levels;
    readonly ComplexBandedLu _coarse;
    readonly int _threads;
    readonly int _sweeps;

    /// <summary>Builds the hierarchy from the Helmholtz operator and the diagonal k^2 K (centre coefficients of <paramref name="waveNumberSquared"/>).</summary>
    /// <param name="helmholtz">The Helmholtz operator A.</param>
    /// <param name="waveNumberSquared">k^2 times the cell volume, per unknown.</param>
    /// <param name="threads">Threads for the sweeps.</param>
    /// <param name="sweeps">Smoothing sweeps before and after each coarse correction.</param>
    /// <param name="spacing">The fine grid's largest spacing h.</param>
    /// <param name="maxWaveNumberTimesSpacing">Coarsening stops before k_max h exceeds this (default 1): on coarser grids Gauss-Seidel on the shifted operator stops smoothing and the cycle diverges.</param>
    public ComplexShiftedLaplacian(StencilOperator2D helmholtz, double[] waveNumberSquared, int threads, double spacing, int sweeps = 2,
        double maxWaveNumberTimesSpacing = 1.0)
    {
        _threads = threads;
        _sweeps = sweeps;
        var im = new StencilOperator2D(helmholtz.X, helmholtz.Y) { Threads = threads };
        for (int p = 0; p < im.Size; p++) im.Coefficients[StencilOperator2D.Centre][p] = Shift * waveNumberSquared[p];
        var levels = new List<Level> { new(helmholtz, im) };
        // k_max h on the fine grid (entries are k^2 times a volume fraction of at most 1).
        double kh = Math.Sqrt(waveNumberSquared.Max()) * spacing;
        while (true)
        {
            var fine = levels[^1];
            if (!fine.Re.X.CanCoarsen || !fine.Re.Y.CanCoarsen || fine.N <= 64) break;
            if (2 * kh > maxWaveNumberTimesSpacing) break;
            kh *= 2;
            var cRe = new StencilOperator2D(fine.Re.X.Coarsen(), fine.Re.Y.Coarsen()) { Threads = threads };
            var cIm = new StencilOperator2D(cRe.X, cRe.Y) { Threads = threads };
            GalerkinCoarsening.Compute(fine.Re, cRe, threads);
            GalerkinCoarsening.Compute(fine.Im, cIm, threads);
            fine.ToCoarse = new GridTransfer(fine.Re, cRe);
            levels.Add(new Level(cRe, cIm));
        }
        _levels = levels.ToArray();
        var last = _levels[^1];
        _coarse = new ComplexBandedLu(last.Re, last.Im);
    }

    /// <summary>Levels in the hierarchy.</summary>
    public int LevelCount => _levels.Length;

    /// <summary>z = one V-cycle on M applied to r (both [re; im]).</summary>
    public void Apply(double[] r, double[] z)
    {
        var top = _levels[0];
        Array.Copy(r, top.B, r.Length);
        Array.Clear(top.X);
        Cycle(0);
        Array.Copy(top.X, z, z.Length);
    }

    void Cycle(int l)
    {
        var level = _levels[l];
        if (l == _levels.Length - 1) { _coarse.Solve(level.B, level.X); return; }
        var coarse = _levels[l + 1];
        Smooth(level, reverse: false);
        Residual(level);
        int n = level.N, nc = coarse.N;
        // Each half (real, imaginary) is transferred separately with the real transfer operators.
        for (int half = 0; half < 2; half++)
        {
            Array.Copy(level.R, half * n, level.HalfA, 0, n);
            level.ToCoarse!.Restrict(level.HalfA, coarse.HalfA, _threads);
            Array.Copy(coarse.HalfA, 0, coarse.B, half * nc, nc);
        }
        Array.Clear(coarse.X);
        Cycle(l + 1);
        for (int half = 0; half < 2; half++)
        {
            Array.Copy(coarse.X, half * nc, coarse.HalfB, 0, nc);
            Array.Clear(level.HalfB);
            level.ToCoarse!.ProlongAdd(coarse.HalfB, level.HalfB, _threads);
            for (int p = 0; p < n; p++) level.X[half * n + p] += level.HalfB[p];
        }
        Smooth(level, reverse: true);
    }

    // r = b - M x with M = Re + i Im.
    static void Residual(Level level)
    {
        int n = level.N;
        var xr = level.HalfA;
        var xi = level.HalfB;
        Array.Copy(level.X, 0, xr, 0, n);
        Array.Copy(level.X, n, xi, 0, n);
        var t = level.Work;
        var r = level.R;
        level.Re.Apply(xr, t);
        for (int p = 0; p < n; p++) r[p] = level.B[p] - t[p];
        level.Im.Apply(xi, t);
        for (int p = 0; p < n; p++) r[p] += t[p];
        level.Re.Apply(xi, t);
        for (int p = 0; p < n; p++) r[n + p] = level.B[n + p] - t[p];
        level.Im.Apply(xr, t);
        for (int p = 0; p < n; p++) r[n + p] -= t[p];
    }

    // Four-colour complex Gauss-Seidel: x_p = (b_p - sum_{q != p} M_pq x_q) / M_pp in complex arithmetic.
    void Smooth(Level level, bool reverse)
    {
        var a = level.Re;
        int n = level.N, nx = a.Nx, ny = a.Ny;
        (int, int)[] order = [(0, 0), (1, 1), (1, 0), (0, 1)];
        for (int s = 0; s < _sweeps; s++)
            for (int c = 0; c < 4; c++)
            {
                var (cx, cy) = order[reverse ? 3 - c : c];
                RowPartition.For(0, (ny - cy + 1) / 2, _threads, (lo, hi) =>
                {
                    for (int r = lo; r < hi; r++)
                    {
                        int j = cy + 2 * r;
                        for (int i = cx; i < nx; i += 2)
                        {
                            int p = j * nx + i;
                            double sr = level.B[p], si = level.B[n + p];
                            bool interior = i > 0 && i < nx - 1 && j > 0 && j < ny - 1;
                            for (int k = 0; k < 9; k++)
                            {
                                if (k == StencilOperator2D.Centre) continue;
                                double mr = level.Re.Coefficients[k][p], mi = level.Im.Coefficients[k][p];
                                if (mr == 0 && mi == 0) continue;
                                int q = interior ? p + (k / 3 - 1) * nx + k % 3 - 1 : a.Neighbour(i, j, k % 3 - 1, k / 3 - 1);
                                if (q < 0 || q == p) continue;
                                double xr = level.X[q], xi = level.X[n + q];
                                sr -= mr * xr - mi * xi;
                                si -= mr * xi + mi * xr;
                            }
                            double dr = level.Re.Coefficients[StencilOperator2D.Centre][p], di = level.Im.Coefficients[StencilOperator2D.Centre][p];
                            double den = dr * dr + di * di;
                            level.X[p] = (sr * dr + si * di) / den;
                            level.X[n + p] = (si * dr - sr * di) / den;
                        }
                    }
                });
            }
    }
}

/// <summary>A real operator A acting on complex vectors stored as [re; im]: y = [A re; A im].</summary>
internal sealed class RealifiedOperator(ILinearOperator a) : ILinearOperator
{
    readonly double[] _x = new double[a.Size], _y = new double[a.Size];

    /// <inheritdoc />
    public int Size => 2 * a.Size;

    /// <inheritdoc />
    public void Apply(double[] x, double[] y)
    {
        int n = a.Size;
        for (int half = 0; half < 2; half++)
        {
            Array.Copy(x, half * n, _x, 0, n);
            a.Apply(_x, _y);
            Array.Copy(_y, 0, y, half * n, n);
        }
    }
}
