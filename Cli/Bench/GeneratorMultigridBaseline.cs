using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Readers;
using PdeOps.Solvers.Diffusion;

namespace PdeOps.Cli.Bench;

/// <summary>
/// The fastest multigrid PdeOps has for Darcy samples one after another: the dataset generator's
/// <see cref="DirichletDiffusionSolver2D"/>, which keeps its hierarchy's storage from sample to sample,
/// one solver per thread and samples side by side. It stops on a relative residual, not on the
/// guaranteed bound, so <c>bench certify</c> gives it the loosest residual tolerance of a fixed ladder
/// under which every sample's true error is within the tolerance: a choice only a benchmark that knows
/// the true errors can make, and one that favours this baseline.
/// </summary>
internal sealed class GeneratorMultigridBaseline : IDisposable
{
    /// <summary>Relative residual tolerances tried, loosest first.</summary>
    public static readonly double[] Ladder = [0.9, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 1e-3, 1e-4, 1e-6, 1e-8];

    readonly double[,] _forcing;
    readonly int _threads;
    readonly ThreadLocal<DirichletDiffusionSolver2D> _solvers;
    // Each thread's coefficient field, reused as the certified paths reuse theirs.
    readonly ThreadLocal<double[,]> _coefficients;

    /// <summary>Solves the certifier's Darcy problems on the n x n grid to <paramref name="tolerance"/>, on as many threads.</summary>
    public GeneratorMultigridBaseline(CertifiedPrediction certifier, int n, double tolerance)
    {
        _forcing = certifier.ForcingField(n);
        _threads = Math.Max(1, certifier.Threads);
        _solvers = new(() => new DirichletDiffusionSolver2D(new DirichletDiffusionOptions { RelativeTolerance = tolerance }));
        _coefficients = new(() => new double[n, n]);
        Tolerance = tolerance;
    }

    /// <summary>The relative residual tolerance.</summary>
    public double Tolerance { get; }

    /// <summary>Samples first .. first + count - 1 of <paramref name="coefficient"/> (n x n each, the grid given at construction), side by side; answers in sample order.</summary>
    public double[][,] SolveRange(FieldArray coefficient, int first, int count)
    {
        var answers = new double[count][,];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = _threads }, i =>
        {
            var a = CertifiedPrediction.Widen(coefficient.Sample(first + i), _coefficients.Value!);
            var solution = _solvers.Value!.Solve(a, _forcing);
            if (!solution.Result.Converged)
                throw new InvalidOperationException($"the generator's multigrid did not reach relative residual {Tolerance:G3} on sample {first + i}: {solution.Result.Reason}");
            answers[i] = solution.U;
        });
        return answers;
    }

    public void Dispose()
    {
        _solvers.Dispose();
        _coefficients.Dispose();
    }
}
