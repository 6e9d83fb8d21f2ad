using System.Diagnostics;
using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Elliptic;

/// <summary>The outer loop of the stencil multigrid solvers (2D and 3D) used as solvers rather than preconditioners.</summary>
public static class StencilCycleSolve
{
    /// <summary>
    /// Cycles until the residual falls below the relative tolerance times ||b||, grows beyond
    /// 1e10 times the initial residual, turns non-finite, or the cycle limit is reached.
    /// </summary>
    /// <param name="cycle">Performs one cycle on the solution and returns the new residual norm.</param>
    /// <param name="initialResidual">Residual norm of the initial guess.</param>
    /// <param name="rhsNorm">||b||.</param>
    /// <param name="options">Tolerance and cycle limit.</param>
    /// <param name="setupSeconds">Setup time to report.</param>
    public static SolveResult Run(Func<double> cycle, double initialResidual, double rhsNorm, StencilMultigridOptions options, double setupSeconds)
    {
        var watch = Stopwatch.StartNew();
        var history = new List<double> { initialResidual };
        int cycles = 0;
        ConvergenceReason reason;
        while (true)
        {
            double norm = history[^1];
            if (!double.IsFinite(norm)) { reason = ConvergenceReason.DivergedNaN; break; }
            if (norm <= options.RelativeTolerance * Math.Max(rhsNorm, double.Epsilon) || norm == 0) { reason = ConvergenceReason.ConvergedRelativeTolerance; break; }
            if (norm > 1e10 * Math.Max(initialResidual, double.Epsilon)) { reason = ConvergenceReason.DivergedResidualGrowth; break; }
            if (cycles >= options.MaxCycles) { reason = ConvergenceReason.DivergedIterationLimit; break; }
            history.Add(cycle());
            cycles++;
        }
        return new SolveResult
        {
            Iterations = cycles,
            ResidualHistory = history,
            Reason = reason,
            SetupSeconds = setupSeconds,
            SolveSeconds = watch.Elapsed.TotalSeconds,
        };
    }
}
