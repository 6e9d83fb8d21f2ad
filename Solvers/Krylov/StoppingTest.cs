using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Krylov;

/// <summary>Evaluates the stopping rules of <see cref="KrylovOptions"/> against a residual norm.</summary>
internal sealed class StoppingTest(KrylovOptions options, double rhsNorm)
{
    readonly double _target = Math.Max(options.RelativeTolerance * rhsNorm, options.AbsoluteTolerance);
    readonly bool _relativeDecides = options.RelativeTolerance * rhsNorm >= options.AbsoluteTolerance;

    /// <summary>The residual norm at which the solve stops as converged.</summary>
    public double Target => _target;

    /// <summary>A convergence or divergence reason, or null to continue.</summary>
    public ConvergenceReason? Check(double norm, int iteration)
    {
        if (double.IsNaN(norm) || double.IsInfinity(norm)) return ConvergenceReason.DivergedNaN;
        if (norm <= _target)
            return _relativeDecides ? ConvergenceReason.ConvergedRelativeTolerance : ConvergenceReason.ConvergedAbsoluteTolerance;
        if (iteration >= options.MaxIterations) return ConvergenceReason.DivergedIterationLimit;
        return null;
    }
}
