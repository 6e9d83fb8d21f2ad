namespace PdeOps.Solvers.Spectral;

/// <summary>
/// Options of <see cref="Burgers1D"/>. The defaults are the Burgers recipe of the FNO paper
/// (Li et al., Fourier Neural Operator for Parametric PDEs, ICLR 2021): nu = 0.1, T = 1, 8192 points.
/// </summary>
public sealed record BurgersOptions
{
    /// <summary>Viscosity nu.</summary>
    public double Viscosity { get; init; } = 0.1;
    /// <summary>Final time T.</summary>
    public double FinalTime { get; init; } = 1.0;
    /// <summary>Requested time step; shrunk to T / ceil(T / dt) so T is hit exactly.</summary>
    public double TimeStep { get; init; } = 1e-4;
    /// <summary>Grid points on [0, 1), x_i = i / n; must be even and equal the initial condition's length.</summary>
    public int GridPoints { get; init; } = 8192;
    /// <summary>Times at which to return the solution (on the step grid); null means only <see cref="FinalTime"/>.</summary>
    public IReadOnlyList<double>? SnapshotTimes { get; init; }

    /// <summary>Called with (steps done, total steps) about every 1% of the run and at least every second of a slow one, for progress displays; null for none.</summary>
    public Action<int, int>? Progress { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public BurgersOptions Validated()
    {
        if (!(Viscosity >= 0) || double.IsInfinity(Viscosity)) throw new ArgumentException($"viscosity must be a non-negative number, got {Viscosity}");
        if (GridPoints < 4 || GridPoints % 2 != 0) throw new ArgumentException($"GridPoints must be even and at least 4, got {GridPoints}");
        _ = new StepSchedule(FinalTime, TimeStep, SnapshotTimes);
        return this;
    }
}
