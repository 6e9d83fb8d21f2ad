namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// A multigrid hierarchy as <see cref="MultigridCycle"/> drives it (the shape of PETSc's PCMG):
/// level 0 is the finest; each level owns its solution, right-hand side, smoother, restriction and
/// prolongation, and the coarsest level owns its coarse solve. The driver knows only the cycle
/// shape, so one recursion serves the five-point Poisson levels (whose fine-level steps are fused
/// row pipelines), the ILGPU levels, the Galerkin stencil levels and the padded Darcy levels.
/// </summary>
internal interface IMultigridHierarchy
{
    /// <summary>Number of levels.</summary>
    int LevelCount { get; }
    /// <summary>
    /// Pre-smoothing on level l, then its residual restricted into the right-hand side of level
    /// l + 1, whose solution is zeroed. One step so that a level may fuse the three into one pass.
    /// </summary>
    void PreSmoothAndRestrict(int level);
    /// <summary>Level l + 1's solution interpolated and added to level l's, then post-smoothing on level l.</summary>
    void ProlongAndPostSmooth(int level);
    /// <summary>Solves (or nearly solves) the coarsest level.</summary>
    void SolveCoarsest();
}

/// <summary>A hierarchy that also supports full multigrid (FMG): right-hand sides restricted down, solutions interpolated up.</summary>
internal interface IFullMultigridHierarchy : IMultigridHierarchy
{
    /// <summary>Level l's right-hand side restricted into level l + 1's.</summary>
    void RestrictRightHandSide(int level);
    /// <summary>Level l's solution set to the FMG interpolation of level l + 1's.</summary>
    void InterpolateSolution(int level);
}
