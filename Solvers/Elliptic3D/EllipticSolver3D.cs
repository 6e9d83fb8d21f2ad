using System.Diagnostics;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Krylov;

namespace PdeOps.Solvers.Elliptic3D;

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
    public static double EstimateBytes(int intervalsX, int intervalsY, int intervalsZ, EllipticSolverOptions? options = null)
    {
        options ??= new EllipticSolverOptions();
        double n = ((double)intervalsX + 1) * ((double)intervalsY + 1) * ((double)intervalsZ + 1);
        double perLevel = 27 + 3 + 3 + 2;
        double krylov = MemoryEstimate.KrylovVectors(options.Krylov.ToString(), new KrylovOptions().Restart);
        double coarse = Math.Pow(StencilMultigrid3D.MaxDenseCoarseSize, 2);
        return MemoryEstimate.Double * (n * (perLevel * MemoryEstimate.HierarchyFactor(3) + 3 + krylov) + coarse);
    }

    /// <summary>Solves the problem from a zero guess, with the options record of the 2D solver.</summary>
    public static EllipticSolution3D Solve(EllipticProblem3D problem, EllipticSolverOptions? options = null)
    {
        options = (options ?? new EllipticSolverOptions()).Validated();
        if (options.PreconditionerProblem is not null) throw new ArgumentException("a separate preconditioner problem is available in 2D only");
        var setup = Stopwatch.StartNew();
        var system = Discretization3D.Assemble(problem);
        var mgOptions = options.MultigridWithStop;
        var mg = new StencilMultigrid3D(system.Operator, mgOptions);
        double setupSeconds = setup.Elapsed.TotalSeconds;
        var x = new double[system.Operator.Size];
        var krylov = options.OuterKrylov;
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
