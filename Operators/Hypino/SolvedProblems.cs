using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Operators.Hypino;

/// <summary>A problem with its solution from the classical masked-domain solver.</summary>
/// <param name="Problem">The problem (no exact solution).</param>
/// <param name="Solution">Its finite-difference solution, evaluated anywhere by <see cref="MaskedSolution.ValueAt"/>.</param>
public sealed record SolvedProblem(Problem2D Problem, MaskedSolution Solution);

/// <summary>
/// Physics-only training problems (constant source, constant boundary data; the class HyPINO
/// trains on the residual alone) whose solution the classical solver supplies, so that a
/// hypernetwork learns source-driven problems by supervision of u rather than through the PDE
/// residual alone (<see cref="ManufacturedProblems.Solvable"/>, <see cref="MaskedEllipticSolver"/>).
/// </summary>
public static class SolvedProblems
{
    /// <summary>Intervals per side of the solve: second order in the domain, first next to Neumann holes.</summary>
    public const int Intervals = 128;

    /// <summary>
    /// The solvable problem <paramref name="index"/> of <paramref name="problems"/> with its
    /// solution; a draw whose solve is rejected (<see cref="TrySolve"/>) is replaced by the next
    /// attempt for the same index, so the result is a pure function of (seed, index). With
    /// <paramref name="drawnSource"/> the source is a drawn function of x and y, not a constant.
    /// </summary>
    public static SolvedProblem Draw(ManufacturedProblems problems, long index, bool drawnSource = false)
    {
        ArgumentNullException.ThrowIfNull(problems);
        for (var attempt = 0; ; attempt++)
        {
            var problem = problems.Solvable(index, attempt, drawnSource).Problem;
            if (TrySolve(problem) is { } solution) return new SolvedProblem(problem, solution);
        }
    }

    /// <summary>
    /// The solution of <paramref name="problem"/>, or null when the solver does not reach a relative
    /// residual of 1e-8, the grid cannot resolve the holes, multigrid's coarsest matrix is singular,
    /// or |u| exceeds <paramref name="maxAbsSolution"/> (the manufactured problems' bound: near-resonant operators).
    /// </summary>
    public static MaskedSolution? TrySolve(Problem2D problem, double maxAbsSolution = 10)
    {
        MaskedSolution solution;
        try
        {
            solution = MaskedEllipticSolver.Solve(problem, Intervals, new MaskedSolverOptions { RelativeTolerance = 1e-8, MaxIterations = 200 });
        }
        catch (ArgumentException)
        {
            return null; // holes closer than the grid resolves
        }
        catch (InvalidOperationException)
        {
            return null; // the coarsest level of the multigrid preconditioner is singular
        }
        if (!solution.Result.Converged) return null;
        foreach (var v in solution.U)
            if (!double.IsNaN(v) && !(Math.Abs(v) <= maxAbsSolution)) return null;
        return solution;
    }
}
