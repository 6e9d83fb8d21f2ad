using PdeOps.Physics.Geometry;
using PdeOps.Physics.Pde;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Datasets.Benchmarks;

/// <summary>A reference solution on the n × n vertex grid of [−1, 1]² and how it was obtained.</summary>
/// <param name="U">u[y, x]; NaN outside the domain.</param>
/// <param name="Mask">1 where the point belongs to the closed domain, else 0.</param>
/// <param name="Method">"exact" or the classical solver and its grid.</param>
public sealed record BenchmarkReference(double[,] U, double[,] Mask, string Method);

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
        var (u, mask) = (new double[n, n], new double[n, n]);
        for (var j = 0; j < n; j++)
            for (var i = 0; i < n; i++)
                mask[j, i] = domain.InClosure(Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n)) ? 1 : 0;
        string method;
        if (Problem.Exact is { } exact)
        {
            var f = exact.Compile2D();
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++)
                    u[j, i] = mask[j, i] > 0 ? f.Evaluate(Domain2D.Coordinate(i, n), Domain2D.Coordinate(j, n)) : double.NaN;
            method = "exact";
        }
        else
        {
            const int fine = 512;
            if (fine % (n - 1) != 0) throw new ArgumentException($"a solved reference is sampled from a {fine}-interval grid: n - 1 must divide {fine} (got n = {n})");
            var solution = MaskedEllipticSolver.Solve(Problem, fine);
            if (!solution.Result.Converged) throw new InvalidOperationException($"the reference solve of {Name} did not converge: {solution.Result.Reason}");
            var stride = fine / (n - 1);
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++)
                    u[j, i] = mask[j, i] > 0 ? solution.U[j * stride, i * stride] : double.NaN;
            // Points on a hole's boundary are not unknowns of the solve: they leave the mask.
            for (var j = 0; j < n; j++)
                for (var i = 0; i < n; i++)
                    if (double.IsNaN(u[j, i])) mask[j, i] = 0;
            method = $"Shortley-Weller finite differences on {fine}^2 intervals, GMRES with Galerkin multigrid ({solution.Result.Iterations} iterations)";
        }
        return new BenchmarkReference(u, mask, method);
    }
}
