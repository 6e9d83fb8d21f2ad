namespace PdeOps.Solvers.Common;

/// <summary>
/// Why an iterative solve stopped. Positive values are convergence, negative values divergence,
/// following the signed reasons of PETSc's KSPConvergedReason.
/// </summary>
public enum ConvergenceReason
{
    /// <summary>The residual norm fell below the relative tolerance times the initial residual norm.</summary>
    ConvergedRelativeTolerance = 2,
    /// <summary>The residual norm fell below the absolute tolerance.</summary>
    ConvergedAbsoluteTolerance = 3,
    /// <summary>A fixed schedule (such as one FMG pass) ran to its end; the residual is what it is.</summary>
    CompletedFixedSchedule = 4,
    /// <summary>A guaranteed a-posteriori error bound fell below its tolerance (see <see cref="Elliptic.CertifiedSolver2D"/>).</summary>
    ConvergedErrorBound = 5,
    /// <summary>The iteration limit was reached before the tolerance.</summary>
    DivergedIterationLimit = -3,
    /// <summary>The residual became NaN or infinite.</summary>
    DivergedNaN = -4,
    /// <summary>The residual grew beyond the divergence limit.</summary>
    DivergedResidualGrowth = -5,
    /// <summary>The method broke down (a zero or negative denominator where positivity was required).</summary>
    DivergedBreakdown = -6,
}

/// <summary>Helpers on <see cref="ConvergenceReason"/>.</summary>
public static class ConvergenceReasonExtensions
{
    /// <summary>True when the reason is a convergence (positive value).</summary>
    public static bool IsConverged(this ConvergenceReason reason) => (int)reason > 0;

    /// <summary>A short snake_case name for reports and JSON.</summary>
    public static string ToReportName(this ConvergenceReason reason) => reason switch
    {
        ConvergenceReason.ConvergedRelativeTolerance => "converged_rtol",
        ConvergenceReason.ConvergedAbsoluteTolerance => "converged_atol",
        ConvergenceReason.CompletedFixedSchedule => "completed_fixed_schedule",
        ConvergenceReason.ConvergedErrorBound => "converged_error_bound",
        ConvergenceReason.DivergedIterationLimit => "diverged_iteration_limit",
        ConvergenceReason.DivergedNaN => "diverged_nan",
        ConvergenceReason.DivergedResidualGrowth => "diverged_residual_growth",
        ConvergenceReason.DivergedBreakdown => "diverged_breakdown",
        _ => reason.ToString(),
    };
}
