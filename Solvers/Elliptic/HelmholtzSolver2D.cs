using System.Diagnostics;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Krylov;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// The Helmholtz equation -div(a grad u) - k(x, y)^2 u = f, which is indefinite once k exceeds the
/// smallest eigenvalue, so neither CG nor plain multigrid applies. It is solved with GMRES (or
/// BiCGStab) preconditioned by one multigrid V-cycle on the complex shifted Laplacian
/// -div(a grad u) - (1 - i/2) k^2 u (<see cref="ComplexShiftedLaplacian"/>; Erlangga, Vuik and
/// Oosterlee, Appl. Numer. Math. 50, 2004).
/// </summary>
public static class HelmholtzSolver2D
{
    /// <summary>
    /// Bytes a Helmholtz solve on <paramref name="intervalsX"/> x <paramref name="intervalsY"/> intervals
    /// allocates: two assembled operators, the complex shifted-Laplacian hierarchy (real and
    /// imaginary stencils and complex work vectors, coarsened only while k h stays below 1/2, so a
    /// large <paramref name="maxWaveNumber"/> keeps it fine), its complex banded coarsest
    /// factorisation, and the Krylov vectors on the realified system of twice the size.
    /// </summary>
    public static double EstimateBytes(int intervalsX, int intervalsY, double maxWaveNumber, EllipticSolverOptions? options = null)
    {
        options ??= new EllipticSolverOptions { Krylov = KrylovKind.Gmres };
        double n = ((double)intervalsX + 1) * ((double)intervalsY + 1);
        long mx = intervalsX, my = intervalsY;
        double kh = maxWaveNumber / Math.Min(mx, my), levels = 0;
        while (mx >= 4 && my >= 4 && (mx + 1.0) * (my + 1) > 64 && 2 * kh <= 1) { mx = (mx + 1) / 2; my = (my + 1) / 2; kh *= 2; levels++; }
        double hierarchy = levels == 0 ? 1 : MemoryEstimate.HierarchyFactor(2);
        double coarse = (mx + 1.0) * (my + 1) * 2 * (2.0 * (mx + 2) + 1);
        double krylov = 2 * MemoryEstimate.KrylovVectors(options.Krylov.ToString(), 100);
        return MemoryEstimate.Double * (n * (2 * 12 + 27 * hierarchy + 2 + 4 + krylov) + coarse);
    }

    /// <summary>Solves the problem whose reaction field holds -k^2 (<see cref="EllipticProblem2D.C"/>).</summary>
    public static EllipticSolution2D Solve(EllipticProblem2D problem, EllipticSolverOptions? options = null)
    {
        options ??= new EllipticSolverOptions { Krylov = KrylovKind.Gmres };
        if (options.Krylov is KrylovKind.None or KrylovKind.Cg)
            throw new ArgumentException("the Helmholtz operator is indefinite: use GMRES or BiCGStab");
        var setup = Stopwatch.StartNew();
        var system = Discretization2D.Assemble(problem);
        int ny = problem.C.GetLength(0), nx = problem.C.GetLength(1);
        var withoutReaction = Discretization2D.Assemble(new EllipticProblem2D(problem.IntervalsX, problem.IntervalsY, problem.A,
            new double[ny, nx], problem.F, problem.Boundaries, problem.BoundaryData, problem.LengthX, problem.LengthY)).Operator;
        int threads = options.Multigrid.Threads;
        system.Operator.Threads = threads;
        // k^2 times the cell volume: the reaction part of the diagonal, sign flipped.
        var k2 = new double[system.Operator.Size];
        for (int p = 0; p < k2.Length; p++) k2[p] = withoutReaction.Diagonal[p] - system.Operator.Diagonal[p];
        var preconditioner = new ComplexShiftedLaplacian(system.Operator, k2, threads, Math.Max(problem.Hx, problem.Hy), Math.Max(1, options.Multigrid.PreSmoothing));
        double setupSeconds = setup.Elapsed.TotalSeconds;

        int n = system.Operator.Size;
        var b = new double[2 * n];
        Array.Copy(system.RightHandSide, b, n);
        var x = new double[2 * n];
        var realified = new RealifiedOperator(system.Operator);
        var krylov = new KrylovOptions { RelativeTolerance = options.RelativeTolerance, MaxIterations = options.MaxIterations, Restart = 100 };
        var result = options.Krylov == KrylovKind.Gmres
            ? new Gmres(krylov).Solve(realified, preconditioner, b, x)
            : new BiCgStab(krylov).Solve(realified, preconditioner, b, x);
        var u = x.AsSpan(0, n).ToArray();
        return new EllipticSolution2D(Discretization2D.ToVertexField(system, u), result with { SetupSeconds = setupSeconds }, system);
    }
}
