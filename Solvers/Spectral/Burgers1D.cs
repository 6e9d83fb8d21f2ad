using System.Diagnostics;
using System.Numerics;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// Viscous Burgers' equation u_t + (u^2/2)_x = nu u_xx on the periodic interval [0, 1), solved
/// pseudo-spectrally: Fourier modes e^(2 pi i k x) on the grid x_i = i / n, the product u^2 formed on the
/// grid and dealiased by the 2/3 rule (modes with 3|k| &gt;= n of the nonlinear term are dropped), and
/// ETDRK4 exponential time differencing (Cox and Matthews 2002) with contour-integral coefficients
/// (Kassam and Trefethen 2005, their Burgers/KdV codes). The FNO paper's Burgers data use this setting.
/// </summary>
/// <remarks>
/// The stiff diffusion is integrated exactly, so the step is limited by accuracy of the advection only.
/// An instance keeps its plans and buffers and can solve many initial conditions; it is not thread-safe.
/// </remarks>
public sealed class Burgers1D
{
    readonly RealFftPlan _fft;
    readonly StepSchedule _schedule;
    readonly EtdRk4Coefficients _etd;
    readonly Complex[] _nonlinearFactor; // -i pi k on kept modes: N(v) = factor * rfft(irfft(v)^2)
    readonly double[] _grid;
    readonly Complex[] _v, _nv, _a, _na, _b, _nb, _c, _nc;

    /// <summary>
    /// Bytes a run on <paramref name="gridPoints"/> points allocates: ten complex spectra and six
    /// ETDRK4 coefficient arrays over n/2 + 1 modes, the FFT plan's work, the grid, and
    /// <paramref name="snapshots"/> stored solutions.
    /// </summary>
    public static double EstimateBytes(int gridPoints, int snapshots = 1)
    {
        double n = gridPoints, modes = n / 2 + 1;
        return modes * (10 * Common.MemoryEstimate.Complex + 6 * Common.MemoryEstimate.Double)
            + n * (4 * Common.MemoryEstimate.Complex + 2 * Common.MemoryEstimate.Double)
            + snapshots * n * Common.MemoryEstimate.Double;
    }

    /// <summary>Builds the plan, dealiasing mask and ETDRK4 coefficients for <paramref name="options"/>.</summary>
    public Burgers1D(BurgersOptions? options = null)
    {
        Options = (options ?? new BurgersOptions()).Validated();
        int n = Options.GridPoints, modes = n / 2 + 1;
        _fft = new RealFftPlan(n);
        _schedule = new StepSchedule(Options.FinalTime, Options.TimeStep, Options.SnapshotTimes);
        var linear = new double[modes];
        _nonlinearFactor = new Complex[modes];
        for (int k = 0; k < modes; k++)
        {
            double wave = 2 * Math.PI * k;
            linear[k] = -Options.Viscosity * wave * wave;
            // (u^2/2)_x -> i wave (u^2)^/2, moved to the right-hand side; 2/3 rule keeps 3k < n.
            _nonlinearFactor[k] = 3 * k < n ? new Complex(0, -0.5 * wave) : Complex.Zero;
        }
        _etd = new EtdRk4Coefficients(linear, _schedule.StepSize);
        _grid = new double[n];
        _v = new Complex[modes]; _nv = new Complex[modes]; _a = new Complex[modes]; _na = new Complex[modes];
        _b = new Complex[modes]; _nb = new Complex[modes]; _c = new Complex[modes]; _nc = new Complex[modes];
    }

    /// <summary>The validated options.</summary>
    public BurgersOptions Options { get; }

    /// <summary>The time grid the solver steps on.</summary>
    public StepSchedule Schedule => _schedule;

    /// <summary>The grid points x_i = i / n of [0, 1).</summary>
    public static double[] Grid(int n) => Enumerable.Range(0, n).Select(i => (double)i / n).ToArray();

    /// <summary>Solves from <paramref name="u0"/> (values at x_i = i / n) with a fresh solver.</summary>
    public static SpectralTrajectory<double[]> Solve(double[] u0, BurgersOptions options) => new Burgers1D(options).Solve(u0);

    /// <summary>
    /// Solves from <paramref name="u0"/> and returns the solution at the snapshot times. Throws
    /// <see cref="ArgumentException"/> for a wrong length or non-finite input and
    /// <see cref="SimulationDivergedException"/> if the solution becomes NaN or infinite.
    /// </summary>
    public SpectralTrajectory<double[]> Solve(double[] u0)
    {
        var watch = Stopwatch.StartNew();
        int n = Options.GridPoints;
        if (u0.Length != n) throw new ArgumentException($"initial condition has {u0.Length} points, options say GridPoints = {n}");
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(u0[i])) throw new ArgumentException($"initial condition is not finite at index {i}: {u0[i]}");
        _fft.Forward(u0, _v);

        var snapshots = new List<double[]>();
        int next = 0;
        for (int step = 0; ; step++)
        {
            while (next < _schedule.SnapshotSteps.Count && _schedule.SnapshotSteps[next] == step)
            {
                var u = new double[n];
                if (step == 0) u0.CopyTo(u); else _fft.Inverse(_v, u);
                snapshots.Add(u);
                next++;
            }
            if (step == _schedule.Steps) break;
            Step();
            _schedule.ReportProgress(step + 1, Options.Progress);
            if (!SpectralFields.AllFinite(_v)) throw new SimulationDivergedException(nameof(Burgers1D), step + 1, (step + 1) * _schedule.StepSize);
        }
        return new SpectralTrajectory<double[]>
        {
            Times = _schedule.SnapshotTimes,
            Snapshots = snapshots,
            Steps = _schedule.Steps,
            StepSize = _schedule.StepSize,
            SolveSeconds = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>One ETDRK4 step of v (Kassam and Trefethen 2005, eq. 2.5 with the stage layout of their codes).</summary>
    void Step()
    {
        var e = _etd;
        int modes = _v.Length;
        Nonlinear(_v, _nv);
        for (int k = 0; k < modes; k++) _a[k] = e.E2[k] * _v[k] + e.Q[k] * _nv[k];
        Nonlinear(_a, _na);
        for (int k = 0; k < modes; k++) _b[k] = e.E2[k] * _v[k] + e.Q[k] * _na[k];
        Nonlinear(_b, _nb);
        for (int k = 0; k < modes; k++) _c[k] = e.E2[k] * _a[k] + e.Q[k] * (2 * _nb[k] - _nv[k]);
        Nonlinear(_c, _nc);
        for (int k = 0; k < modes; k++)
            _v[k] = e.E[k] * _v[k] + e.F1[k] * _nv[k] + 2 * e.F2[k] * (_na[k] + _nb[k]) + e.F3[k] * _nc[k];
    }

    /// <summary>result = -(u^2/2)_x in Fourier space, dealiased, for u = irfft(v).</summary>
    void Nonlinear(Complex[] v, Complex[] result)
    {
        _fft.Inverse(v, _grid);
        for (int i = 0; i < _grid.Length; i++) _grid[i] *= _grid[i];
        _fft.Forward(_grid, result);
        for (int k = 0; k < result.Length; k++) result[k] *= _nonlinearFactor[k];
    }
}
