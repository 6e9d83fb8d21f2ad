using System.Globalization;

namespace PdeOps.Solvers.Common;

/// <summary>
/// The one stopping rule of every iterative solve in PdeOps (multigrid cycles, Krylov methods,
/// the Darcy solver), composed of four tests checked in this order after every iteration, as
/// Math.NET Numerics combines its iteration stop criteria and PETSc's KSPConvergedDefault decides:
/// <list type="number">
/// <item>non-finite: a NaN or infinite residual norm stops with <see cref="ConvergenceReason.DivergedNaN"/>;</item>
/// <item>residual: ||b - A x||_2 &lt;= max(<see cref="RelativeTolerance"/> ||b||_2, <see cref="AbsoluteTolerance"/>)
/// stops as converged, reported as <see cref="ConvergenceReason.ConvergedAbsoluteTolerance"/> when the
/// norm is below the absolute tolerance, else <see cref="ConvergenceReason.ConvergedRelativeTolerance"/>;</item>
/// <item>divergence: a norm above <see cref="DivergenceFactor"/> times the initial residual norm stops
/// with <see cref="ConvergenceReason.DivergedResidualGrowth"/>;</item>
/// <item>iteration limit: after <see cref="MaxIterations"/> iterations (cycles for multigrid) the solve
/// stops with <see cref="ConvergenceReason.DivergedIterationLimit"/>.</item>
/// </list>
/// The relative tolerance is relative to the norm of the right-hand side b, not to the initial
/// residual, so the answer does not depend on the initial guess: this is the meaning of the
/// command line's <c>--tol</c>. Every <see cref="SolveResult"/> names the rule it stopped by in
/// <see cref="SolveResult.Criterion"/>.
/// </summary>
public sealed record StopCriterion
{
    /// <summary>Relative tolerance on the residual 2-norm, relative to ||b||_2 (1e-10 unless a solver says otherwise).</summary>
    public double RelativeTolerance { get; init; } = 1e-10;
    /// <summary>Absolute tolerance on the residual 2-norm; 0 turns the test off.</summary>
    public double AbsoluteTolerance { get; init; }
    /// <summary>Iteration limit (100 unless a solver says otherwise).</summary>
    public int MaxIterations { get; init; } = 100;
    /// <summary>Growth of the residual over the initial residual counted as divergence; infinity turns the test off.</summary>
    public double DivergenceFactor { get; init; } = 1e10;

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public StopCriterion Validated()
    {
        if (!(RelativeTolerance >= 0) || !(AbsoluteTolerance >= 0))
            throw new ArgumentException("tolerances must be non-negative numbers");
        if (MaxIterations < 0) throw new ArgumentException("the iteration limit must be non-negative");
        if (!(DivergenceFactor > 1)) throw new ArgumentException("the divergence factor must exceed 1");
        return this;
    }

    /// <summary>The rule in words, as reported in <see cref="SolveResult.Criterion"/>.</summary>
    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"||r|| <= max({RelativeTolerance:G3} ||b||, {AbsoluteTolerance:G3}), at most {MaxIterations} iterations");

    /// <summary>
    /// The decision for residual norm <paramref name="norm"/> after <paramref name="iteration"/>
    /// iterations, given ||b|| and the initial residual norm; null to go on.
    /// </summary>
    public ConvergenceReason? Check(double norm, int iteration, double rhsNorm, double initialNorm)
    {
        if (!double.IsFinite(norm)) return ConvergenceReason.DivergedNaN;
        if (norm <= Target(rhsNorm))
            return norm < AbsoluteTolerance ? ConvergenceReason.ConvergedAbsoluteTolerance : ConvergenceReason.ConvergedRelativeTolerance;
        if (norm > DivergenceFactor * Math.Max(initialNorm, double.Epsilon)) return ConvergenceReason.DivergedResidualGrowth;
        if (iteration >= MaxIterations) return ConvergenceReason.DivergedIterationLimit;
        return null;
    }

    /// <summary>The residual norm at or below which a solve with right-hand side norm <paramref name="rhsNorm"/> has converged.</summary>
    public double Target(double rhsNorm) => Math.Max(RelativeTolerance * rhsNorm, AbsoluteTolerance);
}
