using PdeOps.Physics.Problems;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// The Helmholtz equation -div(a grad u) - k(x, y)^2 u = f, which is indefinite once k exceeds the
/// smallest eigenvalue, so neither CG nor plain multigrid applies. It is solved with GMRES (or
/// BiCGStab) preconditioned by a multigrid cycle on the shifted operator -div(a grad u) + k^2 u,
/// which is symmetric positive definite (Bayliss, Goldstein and Turkel, J. Comput. Phys. 49, 1983;
/// Erlangga, Vuik and Oosterlee, Appl. Numer. Math. 50, 2004, use a complex shift; the real shift
/// suffices for the moderate wave numbers of operator-learning datasets).
/// </summary>
public static class HelmholtzSolver2D
{
    /// <summary>
    /// Solves the problem whose reaction field holds -k^2 (as <see cref="EllipticProblem2D.C"/>);
    /// the preconditioner flips its sign.
    /// </summary>
    public static EllipticSolution2D Solve(EllipticProblem2D problem, EllipticSolverOptions? options = null)
    {
        options ??= new EllipticSolverOptions { Krylov = KrylovKind.Gmres };
        if (options.Krylov is KrylovKind.None or KrylovKind.Cg)
            throw new ArgumentException("the Helmholtz operator is indefinite: use GMRES or BiCGStab");
        int ny = problem.C.GetLength(0), nx = problem.C.GetLength(1);
        var shifted = new double[ny, nx];
        for (int j = 0; j < ny; j++)
            for (int i = 0; i < nx; i++) shifted[j, i] = Math.Abs(problem.C[j, i]);
        var preconditioner = new EllipticProblem2D(problem.IntervalsX, problem.IntervalsY, problem.A, shifted, problem.F,
            problem.Boundaries, problem.BoundaryData, problem.LengthX, problem.LengthY);
        return EllipticSolver2D.Solve(problem, options with { PreconditionerProblem = preconditioner });
    }

    /// <summary>The reaction field -k^2 for a wave-number function k(x, y) on the problem's vertex grid.</summary>
    public static double[,] ReactionFromWaveNumber(int intervalsX, int intervalsY, Func<double, double, double> k, double lx = 1, double ly = 1)
    {
        var c = new double[intervalsY + 1, intervalsX + 1];
        for (int j = 0; j <= intervalsY; j++)
            for (int i = 0; i <= intervalsX; i++)
            {
                double kv = k(i * lx / intervalsX, j * ly / intervalsY);
                c[j, i] = -kv * kv;
            }
        return c;
    }
}
