namespace PdeOps.Solvers.Common;

/// <summary>
/// The outcome of an iterative solve: how many iterations (cycles) ran, the residual history,
/// the mean convergence factor, and the signed reason it stopped. Every solver returns one, so
/// no caller receives an unconverged answer without being told.
/// </summary>
public sealed record SolveResult
{
    /// <summary>Iterations (or multigrid cycles) performed.</summary>
    public required int Iterations { get; init; }
    /// <summary>Residual 2-norms, starting with the initial residual.</summary>
    public required IReadOnlyList<double> ResidualHistory { get; init; }
    /// <summary>Why the solve stopped.</summary>
    public required ConvergenceReason Reason { get; init; }
    /// <summary>Seconds spent building the hierarchy or preconditioner.</summary>
    public double SetupSeconds { get; init; }
    /// <summary>Seconds spent iterating.</summary>
    public double SolveSeconds { get; init; }
    /// <summary>The stopping rule the solve used (<see cref="StopCriterion.Description"/>); empty for a direct or fixed-step method.</summary>
    public string Criterion { get; init; } = "";

    /// <summary>True when <see cref="Reason"/> is a convergence.</summary>
    public bool Converged => Reason.IsConverged();

    /// <summary>Initial residual 2-norm.</summary>
    public double InitialResidual => ResidualHistory.Count > 0 ? ResidualHistory[0] : double.NaN;

    /// <summary>Final residual 2-norm.</summary>
    public double FinalResidual => ResidualHistory.Count > 0 ? ResidualHistory[^1] : double.NaN;

    /// <summary>Final residual over initial residual.</summary>
    public double RelativeResidual => FinalResidual / InitialResidual;

    /// <summary>
    /// Geometric-mean reduction of the residual per iteration,
    /// (r_k / r_0)^(1/k); NaN when no iteration ran.
    /// </summary>
    public double ConvergenceFactor =>
        Iterations > 0 && InitialResidual > 0 ? Math.Pow(FinalResidual / InitialResidual, 1.0 / Iterations) : double.NaN;

    /// <summary>Throws <see cref="SolverDidNotConvergeException"/> unless the solve converged.</summary>
    public SolveResult EnsureConverged(string what = "solve")
    {
        if (!Converged) throw new SolverDidNotConvergeException(what, this);
        return this;
    }
}

/// <summary>Thrown when a caller asks for a converged answer and the solver did not deliver one.</summary>
public sealed class SolverDidNotConvergeException(string what, SolveResult result)
    : Exception($"{what} did not converge: {result.Reason.ToReportName()} after {result.Iterations} iterations, relative residual {result.RelativeResidual:E2}")
{
    /// <summary>What was being solved, as given to the constructor ("heat step 3 of 100 (t = 0.003)").</summary>
    public string What { get; } = what;

    /// <summary>The result that failed.</summary>
    public SolveResult Result { get; } = result;

    /// <summary>
    /// The state when the solve stopped (for a time-stepping run, the field of the failed step at
    /// its last iterate), where the solver provides it; null otherwise.
    /// </summary>
    public Array? State { get; init; }
}
