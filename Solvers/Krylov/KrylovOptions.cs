using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Krylov;

/// <summary>Options of the Krylov methods; they stop by <see cref="StopCriterion"/>: ||r|| &lt;= max(rtol ||b||, atol), at most MaxIterations.</summary>
public sealed record KrylovOptions
{
    /// <summary>Relative tolerance on the residual 2-norm, relative to ||b||.</summary>
    public double RelativeTolerance { get; init; } = 1e-10;
    /// <summary>Absolute tolerance on the residual 2-norm.</summary>
    public double AbsoluteTolerance { get; init; }
    /// <summary>Iteration limit.</summary>
    public int MaxIterations { get; init; } = 500;
    /// <summary>GMRES restart length.</summary>
    public int Restart { get; init; } = 50;

    /// <summary>The stopping rule these options describe.</summary>
    public StopCriterion Stop => new() { RelativeTolerance = RelativeTolerance, AbsoluteTolerance = AbsoluteTolerance, MaxIterations = MaxIterations };

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public KrylovOptions Validated()
    {
        Stop.Validated();
        if (Restart < 1) throw new ArgumentException("the GMRES restart length must be at least 1");
        return this;
    }
}
