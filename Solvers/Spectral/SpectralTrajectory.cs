using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// Snapshots of a time-dependent solution at the requested times, with the fixed step the stepper
/// took. A spectral stepper runs a fixed schedule, so a returned trajectory always carries
/// <see cref="ConvergenceReason.CompletedFixedSchedule"/>; a blow-up throws
/// <see cref="SimulationDivergedException"/> instead of returning.
/// </summary>
/// <typeparam name="TField">The field type of one snapshot (double[] in 1D, double[,] row-major [y, x] in 2D).</typeparam>
public sealed record SpectralTrajectory<TField>
{
    /// <summary>The times of the snapshots, ascending.</summary>
    public required IReadOnlyList<double> Times { get; init; }
    /// <summary>The solution at each of <see cref="Times"/>.</summary>
    public required IReadOnlyList<TField> Snapshots { get; init; }
    /// <summary>Time steps taken.</summary>
    public required int Steps { get; init; }
    /// <summary>The step size actually used (the requested dt shrunk so the final time is hit exactly).</summary>
    public required double StepSize { get; init; }
    /// <summary>Why the run stopped: always a completed fixed schedule.</summary>
    public ConvergenceReason Reason { get; init; } = ConvergenceReason.CompletedFixedSchedule;
    /// <summary>Wall-clock seconds of the run, setup included.</summary>
    public double SolveSeconds { get; init; }
}

/// <summary>
/// Thrown when a time stepper's solution becomes NaN or infinite (typically a time step beyond the
/// explicit part's stability limit, or an under-resolved field). Carries the signed reason
/// <see cref="ConvergenceReason.DivergedNaN"/> and where it happened.
/// </summary>
public sealed class SimulationDivergedException(string solver, int step, double time)
    : Exception($"{solver}: the solution became NaN or infinite at step {step} (t = {time:G6}); reduce the time step, or raise the resolution or viscosity")
{
    /// <summary>Always <see cref="ConvergenceReason.DivergedNaN"/>.</summary>
    public ConvergenceReason Reason => ConvergenceReason.DivergedNaN;
    /// <summary>The step (1-based) after which the solution was found non-finite.</summary>
    public int Step { get; } = step;
    /// <summary>The time reached by that step.</summary>
    public double Time { get; } = time;
}
