using System.Diagnostics;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// The outer loop shared by the multigrid solvers (CPU and ILGPU): cycle until the residual meets
/// the tolerances, diverges, or the cycle budget runs out, and report it as a <see cref="SolveResult"/>.
/// </summary>
public static class CycleIteration
{
    /// <summary>
    /// Runs up to <paramref name="maxCycles"/> cycles. <paramref name="history"/> starts empty for
    /// a plain solve (the current norm becomes the initial residual) or holds the residual of the
    /// zero guess after an FMG pass, which counts as <paramref name="cyclesDone"/> cycles; then a
    /// budget that runs out ends as a completed fixed schedule rather than a failure.
    /// </summary>
    /// <param name="cycle">Performs one cycle and returns the residual norm after it.</param>
    /// <param name="options">Tolerances.</param>
    /// <param name="history">Residual norms so far; receives the rest.</param>
    /// <param name="currentNorm">The residual norm before the first cycle of this call.</param>
    /// <param name="maxCycles">Cycle budget of this call.</param>
    /// <param name="cyclesDone">Cycles already spent (1 after an FMG pass, else 0).</param>
    /// <param name="setupSeconds">Setup time to report.</param>
    /// <param name="watch">Started when the solve began.</param>
    public static SolveResult Run(Func<double> cycle, MultigridOptions options, List<double> history, double currentNorm,
        int maxCycles, int cyclesDone, double setupSeconds, Stopwatch watch)
    {
        history.Add(currentNorm);
        double r0 = history[0];
        int cycles = 0;
        ConvergenceReason? reason = Judge(options, currentNorm, r0);
        while (reason is null && cycles < maxCycles)
        {
            double norm = cycle();
            cycles++;
            history.Add(norm);
            reason = Judge(options, norm, r0);
        }
        reason ??= cyclesDone > 0 ? ConvergenceReason.CompletedFixedSchedule : ConvergenceReason.DivergedIterationLimit;
        return new SolveResult
        {
            Iterations = cycles + cyclesDone,
            ResidualHistory = history,
            Reason = reason.Value,
            SetupSeconds = setupSeconds,
            SolveSeconds = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The stopping decision for residual norm <paramref name="norm"/> against the initial <paramref name="r0"/>, or null to go on.</summary>
    public static ConvergenceReason? Judge(MultigridOptions options, double norm, double r0)
    {
        if (double.IsNaN(norm) || double.IsInfinity(norm)) return ConvergenceReason.DivergedNaN;
        if (norm <= options.AbsoluteTolerance) return ConvergenceReason.ConvergedAbsoluteTolerance;
        if (norm <= options.RelativeTolerance * r0) return ConvergenceReason.ConvergedRelativeTolerance;
        if (norm > 1e10 * Math.Max(r0, double.Epsilon)) return ConvergenceReason.DivergedResidualGrowth;
        return null;
    }
}
