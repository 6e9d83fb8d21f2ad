namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// The level operations a multigrid cycle is made of, so one recursion (<see cref="MultigridCycle"/>)
/// serves every hierarchy: level 0 is the finest; each level owns its solution, right-hand side
/// and smoother.
/// </summary>
public interface IMultigridHierarchy
{
    /// <summary>Number of levels.</summary>
    int LevelCount { get; }
    /// <summary>Pre-smoothing on level l.</summary>
    void PreSmooth(int level);
    /// <summary>Residual of level l restricted into the right-hand side of level l + 1, whose solution is zeroed.</summary>
    void RestrictResidual(int level);
    /// <summary>Level l + 1's solution interpolated and added to level l's, then post-smoothing on level l.</summary>
    void ProlongAndPostSmooth(int level);
    /// <summary>Solves (or nearly solves) the coarsest level.</summary>
    void SolveCoarsest();
}

/// <summary>The V, W and F cycle recursions over an <see cref="IMultigridHierarchy"/> (Trottenberg et al., Multigrid, 2001, sec. 2.4).</summary>
public static class MultigridCycle
{
    /// <summary>One cycle of <paramref name="shape"/> starting at <paramref name="level"/>.</summary>
    public static void Run(IMultigridHierarchy hierarchy, int level, CycleType shape)
    {
        if (level == hierarchy.LevelCount - 1) { hierarchy.SolveCoarsest(); return; }
        hierarchy.PreSmooth(level);
        hierarchy.RestrictResidual(level);
        switch (shape)
        {
            case CycleType.V: Run(hierarchy, level + 1, CycleType.V); break;
            case CycleType.W: Run(hierarchy, level + 1, CycleType.W); Run(hierarchy, level + 1, CycleType.W); break;
            case CycleType.F: Run(hierarchy, level + 1, CycleType.F); Run(hierarchy, level + 1, CycleType.V); break;
        }
        hierarchy.ProlongAndPostSmooth(level);
    }
}
