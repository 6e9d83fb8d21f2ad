namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// A five-point Poisson hierarchy (CPU or ILGPU) seen from its solve: loading the caller's fields
/// into the finest level, the norms the stopping rule needs, and storing the solution back.
/// </summary>
internal interface IPoissonHierarchy : IFullMultigridHierarchy
{
    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="field"/> has the finest level's [y, x] interior shape.</summary>
    void CheckShape(double[,] field);
    /// <summary>Copies f into the finest right-hand side and, when given, u into the finest solution.</summary>
    void Load(double[,] f, double[,]? u);
    /// <summary>||f|| of the finest level.</summary>
    double RightHandSideNorm();
    /// <summary>The finest level's residual norm (the one a cycle's last pass computed, when it did).</summary>
    double ResidualNorm();
    /// <summary>Copies the finest solution into u.</summary>
    void Store(double[,] u);
}

/// <summary>The solves of a five-point Poisson hierarchy: cycles to a tolerance, and full multigrid.</summary>
internal static class PoissonSolve
{
    /// <summary>Cycles from the guess in u until the stopping rule decides; u receives the solution.</summary>
    public static Common.SolveResult Cycles(IPoissonHierarchy h, MultigridOptions options, double[,] f, double[,] u, double setupSeconds)
    {
        h.CheckShape(u);
        h.Load(f, u);
        double rhsNorm = h.RightHandSideNorm();
        double initial = h.ResidualNorm();
        // The solve time counts the cycles, not the copies of the caller's fields.
        var result = MultigridCycle.Iterate(() => Cycle(h, options.Cycle), options.Stop, rhsNorm, [], initial,
            iterationsDone: 0, fixedSchedule: false, setupSeconds, System.Diagnostics.Stopwatch.StartNew());
        h.Store(u);
        return result;
    }

    /// <summary>
    /// Full multigrid from a zero guess, counted as one iteration, then up to
    /// <paramref name="extraCycles"/> cycles, stopping early when the tolerance is met.
    /// </summary>
    public static Common.SolveResult Fmg(IPoissonHierarchy h, MultigridOptions options, double[,] f, double[,] u, int extraCycles, double setupSeconds)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        h.CheckShape(u);
        h.Load(f, null);
        double r0 = h.RightHandSideNorm();
        MultigridCycle.FullMultigrid(h, options.Cycle);
        var stop = options.Stop with { MaxIterations = Math.Max(0, 1 + extraCycles) };
        var result = MultigridCycle.Iterate(() => Cycle(h, options.Cycle), stop, r0, [r0], h.ResidualNorm(),
            iterationsDone: 1, fixedSchedule: true, setupSeconds, watch);
        h.Store(u);
        return result;
    }

    static double Cycle(IPoissonHierarchy h, CycleType shape)
    {
        MultigridCycle.Run(h, 0, shape);
        return h.ResidualNorm();
    }
}
