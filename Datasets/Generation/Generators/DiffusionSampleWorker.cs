using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Diffusion;
using static PdeOps.Datasets.Generation.GeneratorParameters;

namespace PdeOps.Datasets.Generation.Generators;

/// <summary>
/// A sample of -div(a grad u) = f, u = 0 on the boundary, whose a and f are built from one random
/// field: draws the field of (seed, index) on the fine grid, builds (a, f) with
/// <paramref name="build"/>, solves (<see cref="DirichletDiffusionSolver2D"/>, a stronger setting on
/// the retry), and returns the chosen input field and u, subsampled. Darcy varies a, Poisson f.
/// </summary>
internal sealed class DiffusionSampleWorker(GaussianRandomField field, Func<double[,], (double[,] A, double[,] F, double[,] Input)> build,
    double tolerance, int stride, int resolution, long seed) : ISampleWorker
{
    readonly DirichletDiffusionSolver2D _solver = new(new DirichletDiffusionOptions { RelativeTolerance = tolerance });
    readonly DirichletDiffusionSolver2D _retry = new(new DirichletDiffusionOptions { RelativeTolerance = tolerance, MaxIterations = 1000, Smoothing = 3 });

    public double[][] Generate(long index, int attempt)
    {
        var (a, f, input) = build(field.Sample2D(seed, index));
        var solution = (attempt == 0 ? _solver : _retry).Solve(a, f);
        if (!solution.Result.Converged)
            throw new SampleNotConvergedException(index, $"{solution.Result.Reason} after {solution.Result.Iterations} iterations, relative residual {solution.Result.RelativeResidual:E2}");
        return [Subsample(input, stride, resolution), Subsample(solution.U, stride, resolution)];
    }

    /// <summary>An n x n field of one value.</summary>
    public static double[,] Filled(int n, double value)
    {
        var f = new double[n, n];
        for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) f[j, i] = value;
        return f;
    }
}
