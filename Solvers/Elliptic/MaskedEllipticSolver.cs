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
public sealed record MaskedSolution(double[,] U, MaskedDiscretization Discretization, SolveResult Result)
{
    /// <summary>
    /// u at (<paramref name="x"/>, <paramref name="y"/>) by bilinear interpolation in the grid cell
    /// that holds the point. Vertices inside holes carry no value; next to a hole the weights of the
    /// cell's other vertices are scaled to sum to one (first order there, second elsewhere). Where
    /// no vertex of the cell lies in the domain (a sliver between holes), the nearest vertex within
    /// two cells that does; NaN when there is none.
    /// </summary>
    public double ValueAt(double x, double y)
    {
        var n = Discretization.Intervals;
        var (s, t) = ((x + 1) * n / 2, (y + 1) * n / 2);
        var (i, j) = (Math.Clamp((int)Math.Floor(s), 0, n - 1), Math.Clamp((int)Math.Floor(t), 0, n - 1));
        var (a, b) = (s - i, t - j);
        double sum = 0, weights = 0;
        void Add(int jj, int ii, double w)
        {
            var v = U[jj, ii];
            if (double.IsNaN(v) || w == 0) return;
            sum += w * v;
            weights += w;
        }
        Add(j, i, (1 - a) * (1 - b));
        Add(j, i + 1, a * (1 - b));
        Add(j + 1, i, (1 - a) * b);
        Add(j + 1, i + 1, a * b);
        return weights > 0 ? sum / weights : Nearest(s, t, i, j);
    }

    double Nearest(double s, double t, int i, int j)
    {
        var n = Discretization.Intervals;
        var (best, distance) = (double.NaN, double.PositiveInfinity);
        for (var jj = Math.Max(0, j - 2); jj <= Math.Min(n, j + 3); jj++)
            for (var ii = Math.Max(0, i - 2); ii <= Math.Min(n, i + 3); ii++)
            {
                var d = (ii - s) * (ii - s) + (jj - t) * (jj - t);
                if (!double.IsNaN(U[jj, ii]) && d < distance) (best, distance) = (U[jj, ii], d);
            }
        return best;
    }
}

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
