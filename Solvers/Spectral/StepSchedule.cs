namespace PdeOps.Solvers.Spectral;

/// <summary>
/// A uniform time grid from 0 to a final time: the requested step is shrunk to T / ceil(T / dt) so the
/// final time is hit exactly, and every snapshot time must fall on the grid (within 1e-6 of a step).
/// </summary>
public sealed class StepSchedule
{
    /// <summary>Builds the schedule; throws <see cref="ArgumentException"/> for an off-grid snapshot time.</summary>
    public StepSchedule(double finalTime, double timeStep, IReadOnlyList<double>? snapshotTimes)
    {
        if (!(finalTime > 0) || double.IsInfinity(finalTime)) throw new ArgumentException($"final time must be positive and finite, got {finalTime}");
        if (!(timeStep > 0) || timeStep > finalTime) throw new ArgumentException($"time step must be in (0, final time], got {timeStep}");
        Steps = (int)Math.Ceiling(finalTime / timeStep * (1 - 1e-12));
        StepSize = finalTime / Steps;
        var times = snapshotTimes is { Count: > 0 } ? snapshotTimes : [finalTime];
        var steps = new int[times.Count];
        for (int i = 0; i < times.Count; i++)
        {
            double t = times[i], k = Math.Round(t / StepSize);
            if (!(t >= 0) || t > finalTime * (1 + 1e-12))
                throw new ArgumentException($"snapshot time {t} lies outside [0, {finalTime}]");
            if (Math.Abs(t / StepSize - k) > 1e-6)
                throw new ArgumentException($"snapshot time {t} is not a multiple of the step {StepSize:G6}; choose dt dividing it");
            if (i > 0 && k <= steps[i - 1]) throw new ArgumentException("snapshot times must be strictly increasing");
            steps[i] = (int)k;
        }
        SnapshotSteps = steps;
        SnapshotTimes = steps.Select(k => k * StepSize).ToArray();
    }

    /// <summary>Number of steps to the final time.</summary>
    public int Steps { get; }
    /// <summary>The uniform step size.</summary>
    public double StepSize { get; }
    /// <summary>After how many steps each snapshot is taken (0 = the initial condition).</summary>
    public IReadOnlyList<int> SnapshotSteps { get; }
    /// <summary>The snapshot times as reached on the grid.</summary>
    public IReadOnlyList<double> SnapshotTimes { get; }

    /// <summary>
    /// Calls <paramref name="progress"/> with (steps done, total) about every 1% of the run, after
    /// any step that ends a second or more since the last call (on a large grid 1% of the steps can
    /// take minutes), and at the run's end.
    /// </summary>
    public void ReportProgress(int stepsDone, Action<int, int>? progress)
    {
        if (progress is null) return;
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (stepsDone % Math.Max(1, Steps / 100) == 0 || stepsDone == Steps
            || System.Diagnostics.Stopwatch.GetElapsedTime(_lastReport, now) >= TimeSpan.FromSeconds(1))
        {
            _lastReport = now;
            progress(stepsDone, Steps);
        }
    }

    long _lastReport = System.Diagnostics.Stopwatch.GetTimestamp();
}
