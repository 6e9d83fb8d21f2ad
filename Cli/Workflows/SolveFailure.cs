using System.Globalization;
using PdeOps.Solvers.Common;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// Why a solve did not deliver an answer, in the words of the one line <c>pdeops</c> prints:
/// "not converged: iteration limit 1 reached, relative residual 3.2e-02 &gt; tol 1e-08".
/// </summary>
public sealed record SolveFailure(string Reason)
{
    static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The failure of an iterative solve, or null when it converged.</summary>
    /// <param name="result">The solver's report.</param>
    /// <param name="tolerance">The relative tolerance asked for.</param>
    /// <param name="maxIterations">The iteration limit in force.</param>
    /// <param name="context">Prefix naming the part of a run that failed ("heat step 3 of 100 (t = 0.003)"), or null.</param>
    public static SolveFailure? Of(SolveResult result, double tolerance, int maxIterations, string? context = null)
    {
        if (result.Converged) return null;
        string residual = Number(result.RelativeResidual);
        string why = result.Reason switch
        {
            ConvergenceReason.DivergedIterationLimit => $"iteration limit {maxIterations} reached, relative residual {residual} > tol {Tolerance(tolerance)}",
            ConvergenceReason.DivergedNaN => $"the residual became NaN or infinite after {result.Iterations} iterations",
            ConvergenceReason.DivergedResidualGrowth => $"the residual grew beyond the divergence limit after {result.Iterations} iterations (relative residual {residual})",
            ConvergenceReason.DivergedBreakdown => $"the Krylov method broke down after {result.Iterations} iterations (relative residual {residual}); try another --krylov",
            _ => $"{result.Reason.ToReportName()} after {result.Iterations} iterations, relative residual {residual}",
        };
        return new SolveFailure($"not converged: {(context is null ? "" : context + ": ")}{why}");
    }

    /// <summary>A time-stepping run whose field became NaN or infinite, or null when <paramref name="field"/> is finite.</summary>
    public static SolveFailure? NonFinite(Array field, string what)
    {
        foreach (double v in field)
            if (!double.IsFinite(v))
                return new SolveFailure($"not converged: {what} became NaN or infinite (the time stepping is unstable); choose a smaller --dt");
        return null;
    }

    /// <summary>A number as "3.2e-02".</summary>
    public static string Number(double v) => double.IsFinite(v) ? v.ToString("0.0e+00", C) : v.ToString(C);

    /// <summary>A tolerance as "1e-08" or "2.5e-06".</summary>
    public static string Tolerance(double v) => v.ToString("0.##e+00", C);
}

/// <summary>Thrown after a failed solve's report was printed; the CLI prints the reason as its one line and exits 1.</summary>
public sealed class SolveFailedException(string message) : Exception(message);
