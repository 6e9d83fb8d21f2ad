using PdeOps.Physics.Pde;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Krylov;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Elliptic;

/// <summary>Settings of <see cref="MaskedEllipticSolver"/>.</summary>
public sealed record MaskedSolverOptions
{
    /// <summary>The multigrid preconditioner (one V-cycle per application).</summary>
    public MultigridOptions Multigrid { get; init; } = new() { PreSmoothing = 2, PostSmoothing = 2 };
    /// <summary>Relative residual at which GMRES stops.</summary>
    public double RelativeTolerance { get; init; } = 1e-10;
    /// <summary>GMRES iteration limit.</summary>
    public int MaxIterations { get; init; } = 300;
}

/// <summary>A masked-domain solution on the (N + 1)² vertex grid of [−1, 1]².</summary>
/// <param name="U">u[y, x]; NaN inside holes.</param>
/// <param name="Discretization">The discretization (roles of the vertices, operator).</param>
/// <param name="Result">How GMRES ended.</param>
public sealed record MaskedSolution(double[,] U, MaskedDiscretization Discretization, SolveResult Result);

/// <summary>
/// Solves an elliptic <see cref="Problem2D"/> on the square minus holes (<see cref="MaskedDiscretization"/>)
/// with GMRES (the Shortley–Weller rows make the matrix non-symmetric) preconditioned by one
/// V-cycle of Galerkin multigrid on the masked operator.
/// </summary>
public static class MaskedEllipticSolver
{
    /// <summary>Discretizes with <paramref name="intervals"/> intervals per side (a power of two coarsens best) and solves.</summary>
    /// <exception cref="ArgumentException">The problem is outside the discretization's reach (see <see cref="MaskedDiscretization"/>).</exception>
    public static MaskedSolution Solve(Problem2D problem, int intervals, MaskedSolverOptions? options = null)
    {
        options ??= new MaskedSolverOptions();
        var discrete = new MaskedDiscretization(problem, intervals);
        var multigrid = new StencilMultigrid2D(discrete.Operator, options.Multigrid with { MaxCycles = 1, RelativeTolerance = 0 });
        var x = new double[discrete.Operator.Size];
        var gmres = new Gmres(new KrylovOptions { RelativeTolerance = options.RelativeTolerance, MaxIterations = options.MaxIterations, Restart = 60 });
        var result = gmres.Solve(discrete.Operator, multigrid, discrete.RightHandSide, x);
        return new MaskedSolution(discrete.Field(x), discrete, result);
    }
}
