using System.Diagnostics;
using System.Numerics;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// Two-dimensional incompressible Navier-Stokes in vorticity form, w_t + u . grad w = nu lap w + f, on the
/// periodic unit square, as in the FNO paper's data generator (Li et al., ICLR 2021): the stream function
/// solves lap psi = -w and the velocity is (u, v) = (psi_y, -psi_x). Pseudo-spectral in space (Fourier
/// modes e^(2 pi i (kx x + ky y)), products on the grid, 2/3-rule dealiasing of the advection term); in
/// time Crank-Nicolson for viscosity and Heun's predictor-corrector for advection and forcing, which is
/// second-order accurate (the FNO generator's forward-Euler advection is first order).
/// </summary>
/// <remarks>
/// Fields are row-major [y, x] with x_i = i / nx and y_j = j / ny; both sizes must be even. Odd
/// derivatives drop the Nyquist modes. An instance keeps its plans and buffers for one grid and can
/// solve many initial conditions; it is not thread-safe.
/// </remarks>
public sealed class NavierStokes2D
{
    readonly int _ny, _nx;
    readonly RealFft2DPlan _fft;
    readonly StepSchedule _schedule;
    // Per-mode real multipliers m such that i m w^ is u, v, w_x, w_y (derivatives drop the Nyquist modes).
    readonly double[] _toU, _toV, _toDx, _toDy;
    readonly double[] _implicit, _explicit; // Crank-Nicolson factors 1 / (1 + h nu |k|^2 / 2) and 1 - h nu |k|^2 / 2
    readonly bool[] _keep;             // 2/3-rule mask per mode
    readonly Complex[] _forcing, _w, _wStar, _rhs, _n1, _n2, _temp;
    readonly double[] _u, _v, _dx, _dy;

    /// <summary>
    /// Bytes a run on an <paramref name="ny"/> x <paramref name="nx"/> grid allocates: seven complex
    /// spectra, six real factors and the transform work over ny (nx/2 + 1) modes, four real fields,
    /// and <paramref name="snapshots"/> stored fields.
    /// </summary>
    public static double EstimateBytes(int ny, int nx, int snapshots = 1)
    {
        double points = (double)ny * nx, modes = ny * ((double)nx / 2 + 1);
        return modes * (8 * Common.MemoryEstimate.Complex + 6 * Common.MemoryEstimate.Double + 1)
            + points * (4 + snapshots) * Common.MemoryEstimate.Double;
    }

    /// <summary>Builds the plans and per-mode factors for fields of shape [<paramref name="ny"/>, <paramref name="nx"/>].</summary>
    public NavierStokes2D(int ny, int nx, NavierStokesOptions? options = null)
    {
        Options = (options ?? new NavierStokesOptions()).Validated();
        if (ny < 4 || nx < 4 || ny % 2 != 0 || nx % 2 != 0) throw new ArgumentException($"grid [{ny}, {nx}] must have even sizes of at least 4");
        _ny = ny; _nx = nx;
        _fft = new RealFft2DPlan(ny, nx, ny * nx >= 128 * 128 ? Options.Threads : 1);
        _schedule = new StepSchedule(Options.FinalTime, Options.TimeStep, Options.RecordTimes());
        int sx = _fft.SpectrumNx, size = _fft.SpectrumSize;
        _toU = new double[size]; _toV = new double[size]; _toDx = new double[size]; _toDy = new double[size];
        _implicit = new double[size]; _explicit = new double[size]; _keep = new bool[size];
        double half = 0.5 * _schedule.StepSize * Options.Viscosity;
        for (int j = 0; j < ny; j++)
        {
            int ky = j <= ny / 2 ? j : j - ny;
            for (int i = 0; i < sx; i++)
            {
                int m = j * sx + i;
                double lap = 4 * Math.PI * Math.PI * ((double)i * i + (double)ky * ky);
                double dx = i == nx / 2 ? 0 : 2 * Math.PI * i, dy = j == ny / 2 ? 0 : 2 * Math.PI * ky;
                double inverseLap = m == 0 ? 0 : 1 / lap; // psi^ = w^ / |k|^2
                _toU[m] = dy * inverseLap;
                _toV[m] = -dx * inverseLap;
                _toDx[m] = dx;
                _toDy[m] = dy;
                _implicit[m] = 1 / (1 + half * lap);
                _explicit[m] = 1 - half * lap;
                _keep[m] = 3 * i < nx && 3 * Math.Abs(ky) < ny;
            }
        }
        _forcing = new Complex[size]; _w = new Complex[size]; _wStar = new Complex[size]; _rhs = new Complex[size];
        _n1 = new Complex[size]; _n2 = new Complex[size]; _temp = new Complex[size];
        _u = new double[ny * nx]; _v = new double[ny * nx]; _dx = new double[ny * nx]; _dy = new double[ny * nx];
        _fft.Forward(Flatten(Options.ForcingField ?? Sample(ny, nx, Options.Forcing), "forcing"), _forcing);
    }

    /// <summary>The FNO forcing 0.1 (sin 2 pi (x + y) + cos 2 pi (x + y)).</summary>
    public static double FnoForcing(double x, double y) => 0.1 * (Math.Sin(2 * Math.PI * (x + y)) + Math.Cos(2 * Math.PI * (x + y)));

    /// <summary>Zero forcing.</summary>
    public static double NoForcing(double x, double y) => 0;

    /// <summary>The validated options.</summary>
    public NavierStokesOptions Options { get; }

    /// <summary>The time grid the solver steps on.</summary>
    public StepSchedule Schedule => _schedule;

    /// <summary>f sampled on the grid: result[j, i] = f(i / nx, j / ny).</summary>
    public static double[,] Sample(int ny, int nx, Func<double, double, double> f)
    {
        var field = new double[ny, nx];
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++) field[j, i] = f((double)i / nx, (double)j / ny);
        return field;
    }

    /// <summary>Solves from the vorticity <paramref name="w0"/> ([y, x]) with a fresh solver for its grid.</summary>
    public static SpectralTrajectory<double[,]> Solve(double[,] w0, NavierStokesOptions options) =>
        new NavierStokes2D(w0.GetLength(0), w0.GetLength(1), options).Solve(w0);

    /// <summary>
    /// Solves from the vorticity <paramref name="w0"/> ([y, x]) and returns w at the record times. Throws
    /// <see cref="ArgumentException"/> for a wrong shape or non-finite input and
    /// <see cref="SimulationDivergedException"/> if the vorticity becomes NaN or infinite.
    /// </summary>
    public SpectralTrajectory<double[,]> Solve(double[,] w0)
    {
        var watch = Stopwatch.StartNew();
        _fft.Forward(Flatten(w0, "initial vorticity"), _w);
        var snapshots = new List<double[,]>();
        int next = 0;
        for (int step = 0; ; step++)
        {
            while (next < _schedule.SnapshotSteps.Count && _schedule.SnapshotSteps[next] == step)
            {
                snapshots.Add(Snapshot());
                next++;
            }
            if (step == _schedule.Steps) break;
            Step();
            _schedule.ReportProgress(step + 1, Options.Progress);
            if (!SpectralFields.AllFinite(_w)) throw new SimulationDivergedException(nameof(NavierStokes2D), step + 1, (step + 1) * _schedule.StepSize);
        }
        return new SpectralTrajectory<double[,]>
        {
            Times = _schedule.SnapshotTimes,
            Snapshots = snapshots,
            Steps = _schedule.Steps,
            StepSize = _schedule.StepSize,
            SolveSeconds = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// Heun-Crank-Nicolson: w* = [(1 - h nu L/2) w + h (N(w) + f)] / (1 + h nu L/2), then
    /// w' = [(1 - h nu L/2) w + h (N(w) + N(w*))/2 + h f] / (1 + h nu L/2), with L = -lap's symbol.
    /// </summary>
    void Step()
    {
        double h = _schedule.StepSize;
        Advection(_w, _n1);
        for (int m = 0; m < _w.Length; m++)
        {
            _rhs[m] = _explicit[m] * _w[m] + h * _forcing[m];
            _wStar[m] = (_rhs[m] + h * _n1[m]) * _implicit[m];
        }
        Advection(_wStar, _n2);
        for (int m = 0; m < _w.Length; m++) _w[m] = (_rhs[m] + 0.5 * h * (_n1[m] + _n2[m])) * _implicit[m];
    }

    /// <summary>result = -(u w_x + v w_y) in Fourier space, products on the grid, dealiased by the 2/3 rule.</summary>
    void Advection(Complex[] w, Complex[] result)
    {
        // u = psi_y = i ky w / |k|^2 ; v = -psi_x = -i kx w / |k|^2 ; w_x = i kx w ; w_y = i ky w.
        Derivative(w, _toU, _u);
        Derivative(w, _toV, _v);
        Derivative(w, _toDx, _dx);
        Derivative(w, _toDy, _dy);
        for (int p = 0; p < _u.Length; p++) _u[p] = _u[p] * _dx[p] + _v[p] * _dy[p];
        _fft.Forward(_u, result);
        for (int m = 0; m < result.Length; m++) result[m] = _keep[m] ? -result[m] : Complex.Zero;
    }

    /// <summary>grid = irfft2(i multiplier w^), the multiplier real per mode.</summary>
    void Derivative(Complex[] w, double[] multiplier, double[] grid)
    {
        for (int m = 0; m < w.Length; m++) _temp[m] = new Complex(-multiplier[m] * w[m].Imaginary, multiplier[m] * w[m].Real);
        _fft.Inverse(_temp, grid);
    }

    double[,] Snapshot()
    {
        _fft.Inverse(_w, _u);
        var field = new double[_ny, _nx];
        Buffer.BlockCopy(_u, 0, field, 0, _ny * _nx * sizeof(double));
        return field;
    }

    double[] Flatten(double[,] field, string what)
    {
        if (field.GetLength(0) != _ny || field.GetLength(1) != _nx)
            throw new ArgumentException($"{what} has shape [{field.GetLength(0)}, {field.GetLength(1)}], the solver's grid is [{_ny}, {_nx}]");
        var flat = new double[_ny * _nx];
        Buffer.BlockCopy(field, 0, flat, 0, flat.Length * sizeof(double));
        foreach (double value in flat)
            if (!double.IsFinite(value)) throw new ArgumentException($"{what} contains a non-finite value ({value})");
        return flat;
    }
}
