using System.Diagnostics;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// The one multigrid cycle driver: V, W and F cycles and full multigrid over any
/// <see cref="IMultigridHierarchy"/> (Trottenberg, Oosterlee and Schüller, Multigrid, 2001,
/// sec. 2.4 and 2.6), and the outer iteration that repeats cycles until <see cref="StopCriterion"/> decides.
/// </summary>
internal static class MultigridCycle
{
    /// <summary>One cycle of <paramref name="shape"/> starting at <paramref name="level"/>.</summary>
    public static void Run(IMultigridHierarchy hierarchy, int level, CycleType shape)
    {
        if (level == hierarchy.LevelCount - 1) { hierarchy.SolveCoarsest(); return; }
        hierarchy.PreSmoothAndRestrict(level);
        switch (shape)
        {
            case CycleType.V: Run(hierarchy, level + 1, CycleType.V); break;
            case CycleType.W: Run(hierarchy, level + 1, CycleType.W); Run(hierarchy, level + 1, CycleType.W); break;
            case CycleType.F: Run(hierarchy, level + 1, CycleType.F); Run(hierarchy, level + 1, CycleType.V); break;
        }
        hierarchy.ProlongAndPostSmooth(level);
    }

    /// <summary>
    /// Full multigrid from the finest right-hand side: restricted to every level, solved on the
    /// coarsest, then interpolated up level by level with one cycle of <paramref name="shape"/> on each.
    /// </summary>
    public static void FullMultigrid(IFullMultigridHierarchy hierarchy, CycleType shape)
    {
        for (int l = 0; l + 1 < hierarchy.LevelCount; l++) hierarchy.RestrictRightHandSide(l);
        hierarchy.SolveCoarsest();
        for (int l = hierarchy.LevelCount - 2; l >= 0; l--)
        {
            hierarchy.InterpolateSolution(l);
            Run(hierarchy, l, shape);
        }
    }

    /// <summary>
    /// Repeats <paramref name="cycle"/> until <paramref name="stop"/> decides. <paramref name="history"/>
    /// starts empty for a plain solve (the current norm becomes the initial residual) or holds the
    /// residual of the zero guess after an FMG pass, which counts as <paramref name="iterationsDone"/>
    /// iterations; with <paramref name="fixedSchedule"/> a limit that runs out ends as
    /// <see cref="ConvergenceReason.CompletedFixedSchedule"/> rather than a failure.
    /// </summary>
    /// <param name="cycle">Performs one cycle and returns the residual norm after it.</param>
    /// <param name="stop">The stopping rule; its limit counts <paramref name="iterationsDone"/> too.</param>
    /// <param name="rhsNorm">||b||, the reference of the relative tolerance.</param>
    /// <param name="history">Residual norms so far; receives the rest.</param>
    /// <param name="currentNorm">The residual norm before the first cycle of this call.</param>
    /// <param name="iterationsDone">Iterations already spent (1 after an FMG pass, else 0).</param>
    /// <param name="fixedSchedule">True when the limit ends a schedule (FMG plus extra cycles) rather than a failed solve.</param>
    /// <param name="setupSeconds">Setup time to report.</param>
    /// <param name="watch">Started when the solve began.</param>
    public static SolveResult Iterate(Func<double> cycle, StopCriterion stop, double rhsNorm, List<double> history, double currentNorm,
        int iterationsDone, bool fixedSchedule, double setupSeconds, Stopwatch watch)
    {
        history.Add(currentNorm);
        double r0 = history[0];
        int iterations = iterationsDone;
        ConvergenceReason? reason = stop.Check(currentNorm, iterations, rhsNorm, r0);
        while (reason is null)
        {
            double norm = cycle();
            iterations++;
            history.Add(norm);
            reason = stop.Check(norm, iterations, rhsNorm, r0);
        }
        if (fixedSchedule && reason == ConvergenceReason.DivergedIterationLimit) reason = ConvergenceReason.CompletedFixedSchedule;
        return new SolveResult
        {
            Iterations = iterations,
            ResidualHistory = history,
            Reason = reason.Value,
            SetupSeconds = setupSeconds,
            SolveSeconds = watch.Elapsed.TotalSeconds,
            Criterion = stop.Description,
        };
    }
}
