namespace PdeOps.Solvers.Krylov;

/// <summary>Stopping rules of a Krylov solve: ||r|| &lt;= max(rtol ||b||, atol), at most MaxIterations.</summary>
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
}
