using System.Buffers;
using System.Diagnostics;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Diffusion;
using PdeOps.Solvers.Krylov;

namespace PdeOps.Solvers.Elliptic;

/// <summary>How a <see cref="CertifiedSolver2D"/> answer was obtained.</summary>
/// <param name="U">The answer on the full vertex grid.</param>
/// <param name="AcceptedAsGiven">True when the approximation passed the bound unchanged; false when iterations finished it.</param>
/// <param name="InitialBound">The relative energy error bound of the approximation as given (of zero when none was).</param>
/// <param name="FinalBound">The relative energy error bound of <paramref name="U"/>, at most the tolerance.</param>
/// <param name="Iterations">Multigrid-preconditioned CG iterations spent (0 when accepted as given).</param>
/// <param name="Seconds">Wall time: assembly, bounds, multigrid setup and iterations.</param>
public sealed record CertifiedSolution2D(double[,] U, bool AcceptedAsGiven, double InitialBound, double FinalBound, int Iterations, double Seconds);

/// <summary>
/// Answers a Dirichlet elliptic problem to a guaranteed relative error in the discrete energy norm:
/// an approximation (a neural operator's prediction) is returned as it is when its
/// <see cref="EnergyErrorBound"/> is at most the tolerance, and otherwise finished by conjugate
/// gradients preconditioned by Galerkin multigrid, started from it and stopped as soon as the bound
/// is met. The bound, not the residual, decides, so the answer's error ||u_h - u||_A / ||u_h||_A
/// never exceeds the tolerance (u_h: the discrete solution on the same grid).
/// </summary>
/// <remarks>
/// The Darcy problems of the dataset generator (unit square, as many intervals along x as along y,
/// u = 0 on the boundary, no reaction) are finished by its multigrid,
/// <see cref="Diffusion.DirichletDiffusionSolver2D"/>, whose hierarchy each thread keeps from sample
/// to sample (until the next full collection), on one thread: certify samples side by side to use
/// more cores. The rest are finished by <see cref="StencilMultigrid2D"/> on the assembled system,
/// on the options' threads. Both are the same discrete system, so the bound holds either way.
/// </remarks>
public static class CertifiedSolver2D
{
    /// <summary>
    /// Solves <paramref name="problem"/> to relative energy error <paramref name="tolerance"/> from
    /// <paramref name="approximation"/> (a full vertex field, or null for a zero start).
    /// </summary>
    /// <exception cref="ArgumentException">The tolerance is not in (0, 1), or the problem is outside <see cref="EnergyErrorBound"/>'s reach.</exception>
    /// <exception cref="SolverDidNotConvergeException">The iterations stopped (limit, breakdown) before the bound was met.</exception>
    public static CertifiedSolution2D Solve(EllipticProblem2D problem, double[,]? approximation, double tolerance, EllipticSolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return SolveInto(problem, approximation, tolerance, new double[problem.IntervalsY + 1, problem.IntervalsX + 1], options);
    }

    /// <summary>
    /// <see cref="Solve(EllipticProblem2D, double[,], double, EllipticSolverOptions)"/> with the answer written into
    /// <paramref name="answer"/> (the full vertex field, which the result's U is): a caller that certifies many samples
    /// reuses its fields instead of allocating one per answer. <paramref name="answer"/> may be
    /// <paramref name="approximation"/> itself, which is read before the answer is written.
    /// </summary>
    /// <exception cref="ArgumentException">The tolerance is not in (0, 1), the answer is not the problem's vertex grid, or the problem is outside <see cref="EnergyErrorBound"/>'s reach.</exception>
    /// <exception cref="SolverDidNotConvergeException">The iterations stopped (limit, breakdown) before the bound was met.</exception>
    public static CertifiedSolution2D SolveInto(EllipticProblem2D problem, double[,]? approximation, double tolerance, double[,] answer, EllipticSolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(answer);
        if (!(tolerance > 0 && tolerance < 1)) throw new ArgumentException($"the tolerance must lie in (0, 1), not {tolerance}", nameof(tolerance));
        if (answer.GetLength(0) != problem.IntervalsY + 1 || answer.GetLength(1) != problem.IntervalsX + 1)
            throw new ArgumentException($"the answer field is {answer.GetLength(0)} x {answer.GetLength(1)}; the problem's vertex grid is {problem.IntervalsY + 1} x {problem.IntervalsX + 1}", nameof(answer));
        options = (options ?? new EllipticSolverOptions()).Validated();
        var watch = Stopwatch.StartNew();
        // The bound computes the approximation's residual face by face: a prediction it accepts
        // costs no assembly and no multigrid setup, and its unknowns only a pooled buffer.
        using var bound = new EnergyErrorBound(problem) { Threads = options.Multigrid.Threads };
        int unknowns = (problem.IntervalsX - 1) * (problem.IntervalsY - 1);
        double[] x;
        // A zero start has no lower bound on ||u_h||_A to divide by: its relative bound is infinite, no transform needed.
        double initial = double.PositiveInfinity;
        if (approximation is null)
            x = new double[unknowns];
        else
        {
            var given = ArrayPool<double>.Shared.Rent(unknowns);
            try
            {
                Discretization2D.ToUnknowns(problem, approximation, given);
                initial = bound.EstimateOf(given).RelativeBound;
                if (initial <= tolerance)
                    return new CertifiedSolution2D(Discretization2D.ToVertexField(problem, given, answer), true, initial, initial, 0, watch.Elapsed.TotalSeconds);
                x = given.AsSpan(0, unknowns).ToArray();
            }
            finally { ArrayPool<double>.Shared.Return(given); }
        }

        double final = initial;
        bool started = false;
        bool Accept(double[] iterate, double[] residual)
        {
            // CG asks before its first iteration too, about the start, whose bound is known to miss.
            if (!started)
            {
                started = true;
                return false;
            }
            final = bound.Estimate(iterate, residual).RelativeBound;
            return final <= tolerance;
        }
        // The relative residual test is off: only the bound (or the iteration limit) ends the solve.
        var result = IsZeroDirichletDarcy(problem, bound)
            ? DarcySolver(options.MaxIterations).SolveUntil(problem.A, problem.F, x, Accept)
            : SolveGeneral(problem, x, options, Accept);
        if (result.Reason != ConvergenceReason.ConvergedErrorBound)
            throw new SolverDidNotConvergeException($"certified solve to relative energy error {tolerance:G3} (bound {final:G3})", result);
        return new CertifiedSolution2D(Discretization2D.ToVertexField(problem, x, answer), false, initial, final, result.Iterations, watch.Elapsed.TotalSeconds);
    }

    // CG preconditioned by the general stencil multigrid, from x, until accept.
    static SolveResult SolveGeneral(EllipticProblem2D problem, double[] x, EllipticSolverOptions options, Func<double[], double[], bool> accept)
    {
        var system = Discretization2D.Assemble(problem);
        var mg = new StencilMultigrid2D(system.Operator, options.MultigridWithStop);
        system.Operator.Threads = mg.Options.Threads;
        var cg = new ConjugateGradient(options.OuterKrylov with { RelativeTolerance = 0 });
        return cg.Solve(system.Operator, mg, system.RightHandSide, x, new ConjugateGradient.Workspace(x.Length), accept);
    }

    // The Darcy problem of the dataset generator, which its multigrid takes (the same discrete system):
    // -div(a grad u) = f on the unit square with as many intervals along x as along y, u = 0 on the
    // boundary, no reaction term.
    static bool IsZeroDirichletDarcy(EllipticProblem2D problem, EnergyErrorBound bound)
    {
        int m = problem.IntervalsX;
        if (problem.IntervalsY != m || problem.LengthX != 1 || problem.LengthY != 1 || bound.HasReaction) return false;
        // At the coordinates the discretisation reads the data at.
        double h = problem.Hx, end = m * h;
        for (int v = 0; v <= m; v++)
            if (problem.BoundaryData(BoundarySide.South, v * h, 0) != 0 || problem.BoundaryData(BoundarySide.North, v * h, end) != 0
                || problem.BoundaryData(BoundarySide.West, 0, v * h) != 0 || problem.BoundaryData(BoundarySide.East, end, v * h) != 0)
                return false;
        return true;
    }

    // This thread's Darcy multigrid, kept until the next full collection: its hierarchy's storage
    // serves the next sample of the same grid, where fresh arrays would be fresh pages.
    [ThreadStatic] static WeakReference<DirichletDiffusionSolver2D>? t_darcySolver;

    static DirichletDiffusionSolver2D DarcySolver(int maxIterations)
    {
        if (t_darcySolver?.TryGetTarget(out var solver) == true && solver.Options.MaxIterations == maxIterations) return solver;
        solver = new DirichletDiffusionSolver2D(new DirichletDiffusionOptions { MaxIterations = maxIterations });
        t_darcySolver = new WeakReference<DirichletDiffusionSolver2D>(solver);
        return solver;
    }
}
