using System.Diagnostics;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Krylov;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>Options of <see cref="EllipticSolver3D"/>.</summary>
public sealed record EllipticSolver3DOptions
{
    /// <summary>The multigrid cycle (solver or preconditioner).</summary>
    public StencilMultigridOptions Multigrid { get; init; } = new();
    /// <summary>The outer Krylov method.</summary>
    public KrylovKind Krylov { get; init; } = KrylovKind.Cg;
    /// <summary>Relative residual tolerance (relative to ||b||).</summary>
    public double RelativeTolerance { get; init; } = 1e-10;
    /// <summary>Iteration limit of the outer method (cycles when <see cref="Krylov"/> is None).</summary>
    public int MaxIterations { get; init; } = 200;
}

/// <summary>The solution on the full vertex grid [z, y, x] with the solver's report.</summary>
public sealed record EllipticSolution3D(double[,,] U, SolveResult Result, DiscreteEllipticSystem3D System);

/// <summary>
/// Discretises an <see cref="EllipticProblem3D"/> (<see cref="Discretization3D"/>) and solves it with
/// <see cref="StencilMultigrid3D"/>, alone or preconditioning a Krylov method; the 3D counterpart of
/// <see cref="EllipticSolver2D"/>.
/// </summary>
public static class EllipticSolver3D
{
    /// <summary>
    /// Bytes a solve on the given interval counts allocates (see <see cref="MemoryEstimate"/>): per
    /// unknown and level a 27-point stencil, three work vectors and the smoother's, over a hierarchy
    /// of 8/7 the fine level; the right-hand side, the solution and its vertex field; the Krylov
    /// vectors; and the dense factorisation of the coarsest level.
    /// </summary>
    public static double EstimateBytes(int intervalsX, int intervalsY, int intervalsZ, EllipticSolver3DOptions? options = null)
    {
        options ??= new EllipticSolver3DOptions();
        double n = ((double)intervalsX + 1) * ((double)intervalsY + 1) * ((double)intervalsZ + 1);
        double perLevel = 27 + 3 + 3 + 2;
        double krylov = MemoryEstimate.KrylovVectors(options.Krylov.ToString(), new KrylovOptions().Restart);
        double coarse = Math.Pow(StencilMultigrid3D.MaxDenseCoarseSize, 2);
        return MemoryEstimate.Double * (n * (perLevel * MemoryEstimate.HierarchyFactor(3) + 3 + krylov) + coarse);
    }

    /// <summary>Solves the problem from a zero guess.</summary>
    public static EllipticSolution3D Solve(EllipticProblem3D problem, EllipticSolver3DOptions? options = null)
    {
        options ??= new EllipticSolver3DOptions();
        var setup = Stopwatch.StartNew();
        var system = Discretization3D.Assemble(problem);
        var mgOptions = options.Multigrid with { RelativeTolerance = options.RelativeTolerance, MaxCycles = options.MaxIterations };
        var mg = new StencilMultigrid3D(system.Operator, mgOptions);
        double setupSeconds = setup.Elapsed.TotalSeconds;
        var x = new double[system.Operator.Size];
        var krylov = new KrylovOptions { RelativeTolerance = options.RelativeTolerance, MaxIterations = options.MaxIterations };
        var result = options.Krylov switch
        {
            KrylovKind.None => mg.Solve(system.RightHandSide, x),
            KrylovKind.Cg => new ConjugateGradient(krylov).Solve(system.Operator, mg, system.RightHandSide, x),
            KrylovKind.Gmres => new Gmres(krylov).Solve(system.Operator, mg, system.RightHandSide, x),
            KrylovKind.BiCgStab => new BiCgStab(krylov).Solve(system.Operator, mg, system.RightHandSide, x),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Krylov, "unknown Krylov method"),
        };
        result = result with { SetupSeconds = setupSeconds };
        return new EllipticSolution3D(Discretization3D.ToVertexField(system, x), result, system);
    }
}
