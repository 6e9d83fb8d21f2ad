namespace PdeOps.Solvers.Spectral;

/// <summary>
/// Options of <see cref="NavierStokes2D"/>. The defaults follow the FNO paper's Navier-Stokes data
/// (Li et al., ICLR 2021, and its ns_2d.py generator): nu = 1e-3, dt = 1e-4, T = 50, forcing
/// 0.1 (sin 2 pi (x + y) + cos 2 pi (x + y)), one snapshot per unit time.
/// </summary>
public sealed record NavierStokesOptions
{
    /// <summary>Kinematic viscosity nu (the FNO data use 1e-3, 1e-4 and 1e-5).</summary>
    public double Viscosity { get; init; } = 1e-3;
    /// <summary>Requested time step; shrunk to T / ceil(T / dt) so T is hit exactly.</summary>
    public double TimeStep { get; init; } = 1e-4;
    /// <summary>Final time T.</summary>
    public double FinalTime { get; init; } = 50;
    /// <summary>Time between snapshots: w is recorded at interval, 2 interval, ... up to T (not at t = 0); null records only T.</summary>
    public double? RecordInterval { get; init; } = 1.0;
    /// <summary>The forcing f(x, y), sampled at x_i = i / nx, y_j = j / ny; ignored when <see cref="ForcingField"/> is set.</summary>
    public Func<double, double, double> Forcing { get; init; } = NavierStokes2D.FnoForcing;
    /// <summary>The forcing as a grid field [y, x] of the initial condition's shape; overrides <see cref="Forcing"/>.</summary>
    public double[,]? ForcingField { get; init; }
    /// <summary>Threads for the 2D transforms; grids below 128 x 128 always run on one thread.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The snapshot times implied by <see cref="RecordInterval"/> and <see cref="FinalTime"/>.</summary>
    public IReadOnlyList<double> RecordTimes()
    {
        if (RecordInterval is not double interval) return [FinalTime];
        if (!(interval > 0)) throw new ArgumentException($"record interval must be positive, got {interval}");
        int count = (int)Math.Floor(FinalTime / interval * (1 + 1e-12));
        return Enumerable.Range(1, count).Select(k => k * interval).ToArray();
    }

    /// <summary>Called with (steps done, total steps) about every 1% of the run and at least every second of a slow one, for progress displays; null for none.</summary>
    public Action<int, int>? Progress { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public NavierStokesOptions Validated()
    {
        if (!(Viscosity >= 0) || double.IsInfinity(Viscosity)) throw new ArgumentException($"viscosity must be a non-negative number, got {Viscosity}");
        if (Threads < 1) throw new ArgumentException("Threads must be at least 1");
        _ = new StepSchedule(FinalTime, TimeStep, RecordTimes());
        return this;
    }
}
