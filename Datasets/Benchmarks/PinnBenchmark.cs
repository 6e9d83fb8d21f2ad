using PdeOps.Physics.Geometry;
using PdeOps.Physics.Pde;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Datasets.Benchmarks;

/// <summary>A reference solution on the n × n vertex grid of [−1, 1]² and how it was obtained.</summary>
/// <param name="U">u[y, x]; NaN outside the domain.</param>
/// <param name="Mask">1 where the point belongs to the closed domain, else 0.</param>
/// <param name="Method">"exact" or the classical solver and its grid.</param>
public sealed record BenchmarkReference(double[,] U, double[,] Mask, string Method)
{
    /// <summary>
    /// <paramref name="solution"/> sampled on the <paramref name="n"/>-point grid (its interval count
    /// a multiple of n − 1). Points on a hole's boundary are not unknowns of the solve: they leave the mask.
    /// </summary>
    /// <exception cref="ArgumentException">n − 1 does not divide the solution's intervals.</exception>
    public static BenchmarkReference Sampled(Domain2D domain, MaskedSolution solution, int n, string method)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(solution);
        var fine = solution.Discretization.Intervals;
        if (n < 2 || fine % (n - 1) != 0) throw new ArgumentException($"the solution has {fine} intervals: n - 1 must divide them (got n = {n})", nameof(n));
        var stride = fine / (n - 1);
        var (u, mask) = (new double[n, n], new double[n, n]);
        for (var j = 0; j < n; j++)
            for (var i = 0; i < n; i++)
            {
                var inside = domain.InClosure(Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n));
                u[j, i] = inside ? solution.U[j * stride, i * stride] : double.NaN;
                mask[j, i] = double.IsNaN(u[j, i]) ? 0 : 1;
            }
        return new BenchmarkReference(u, mask, method);
    }
}

/// <summary>
/// One of the seven problems HyPINO is evaluated on (Bischof et al. 2025), in PdeOps' statement:
/// the problem as text, and a reference solution (exact where one is known, otherwise the
/// masked-domain multigrid solver on a grid four times finer than the reference grid needs).
/// </summary>
/// <param name="Name">Short name (heat, helmholtz, ...).</param>
/// <param name="Description">One line on the problem.</param>
/// <param name="Problem">The problem; <see cref="Problem2D.Exact"/> is set where a closed form exists.</param>
public sealed record PinnBenchmark(string Name, string Description, Problem2D Problem)
{
    /// <summary>The reference on the n-point vertex grid of [−1, 1]² (<paramref name="n"/> − 1 must divide 512 when a solve is needed).</summary>
    /// <exception cref="InvalidOperationException">The classical solve did not converge.</exception>
    public BenchmarkReference Reference(int n)
    {
        var domain = Problem.Domain;
        if (Problem.Exact is { } exact)
        {
            var (u, mask) = (new double[n, n], new double[n, n]);
            var f = exact.Compile2D();
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++)
                {
                    var (x, y) = (Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n));
                    mask[j, i] = domain.InClosure(x, y) ? 1 : 0;
                    u[j, i] = mask[j, i] > 0 ? f.Evaluate(x, y) : double.NaN;
                }
            return new BenchmarkReference(u, mask, "exact");
        }
        const int fine = 512;
        if (fine % (n - 1) != 0) throw new ArgumentException($"a solved reference is sampled from a {fine}-interval grid: n - 1 must divide {fine} (got n = {n})");
        var solution = MaskedEllipticSolver.Solve(Problem, fine);
        if (!solution.Result.Converged) throw new InvalidOperationException($"the reference solve of {Name} did not converge: {solution.Result.Reason}");
        return BenchmarkReference.Sampled(domain, solution, n,
            $"Shortley-Weller finite differences on {fine}^2 intervals, GMRES with Galerkin multigrid ({solution.Result.Iterations} iterations)");
    }
}
