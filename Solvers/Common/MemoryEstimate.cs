namespace PdeOps.Solvers.Common;

/// <summary>
/// Rough upper estimates of the memory a solve allocates, computed from its sizes before anything
/// is allocated, so that callers can refuse an impossible request instead of exhausting the
/// machine. Estimates count the arrays that scale with the grid (stencils, work vectors, Krylov
/// bases, coarse factorisations), in bytes, as doubles so that products of large sizes cannot
/// overflow; constant overheads are left out.
/// </summary>
internal static class MemoryEstimate
{
    /// <summary>Bytes of one double.</summary>
    public const double Double = sizeof(double);

    /// <summary>Bytes of one complex number.</summary>
    public const double Complex = 2 * sizeof(double);

    /// <summary>Sum of the level sizes of a hierarchy halving every axis: 4/3 in 2D, 8/7 in 3D (the limit of the geometric series).</summary>
    public static double HierarchyFactor(int dimensions) => dimensions switch
    {
        1 => 2.0,
        2 => 4.0 / 3.0,
        _ => 8.0 / 7.0,
    };

    /// <summary>
    /// Interval counts of the coarsest level when each of <paramref name="intervals"/> is halved
    /// (rounding up, as odd counts with a Dirichlet high end coarsen) while all are at least four.
    /// This is the coarsening of the usual boundary conditions; others may stop earlier, where the
    /// solvers cap the coarse factorisation themselves.
    /// </summary>
    public static long[] CoarsestIntervals(params long[] intervals)
    {
        var m = (long[])intervals.Clone();
        while (m.All(v => v >= 4) && m.Aggregate(1.0, (p, v) => p * (v + 1)) > 16)
            for (int d = 0; d < m.Length; d++) m[d] = (m[d] + 1) / 2;
        return m;
    }

    /// <summary>The vectors a Krylov method keeps beside the solution: CG 4, BiCGStab 8, GMRES(m) m + 3; none 0.</summary>
    public static int KrylovVectors(string method, int restart) => method switch
    {
        "Cg" => 4,
        "BiCgStab" => 8,
        "Gmres" => restart + 3,
        _ => 0,
    };
}
