namespace PdeOps.Datasets.Generation;

/// <summary>Whether a stored array is a model input, a model output, or a coordinate axis.</summary>
public enum ArrayRole
{
    /// <summary>An input field of the operator (e.g. the Darcy coefficient).</summary>
    Input,
    /// <summary>An output field (the solution).</summary>
    Output,
}

/// <summary>One per-sample array of a dataset: its name, the shape of one sample, and its role.</summary>
public sealed record ArraySpec(string Name, int[] SampleShape, ArrayRole Role, string Description)
{
    /// <summary>Values per sample.</summary>
    public int SampleLength => SampleShape.Aggregate(1, (a, b) => a * b);
}

/// <summary>Thrown by a sample worker when a solve did not converge; the run retries the sample with a stronger solver and fails if that does not converge either.</summary>
public sealed class SampleNotConvergedException(long index, string detail) : Exception($"sample {index} did not converge: {detail}")
{
    /// <summary>The sample concerned.</summary>
    public long Index { get; } = index;
}

/// <summary>Computes samples; one per thread (not thread-safe).</summary>
public interface ISampleWorker
{
    /// <summary>
    /// Computes sample <paramref name="index"/>: one flat row-major array per <see cref="GeneratorPlan.Arrays"/>
    /// entry. <paramref name="attempt"/> is 0 first and 1 for the retry after non-convergence, which
    /// uses a stronger solver setting; the inputs of the sample do not depend on it.
    /// </summary>
    /// <exception cref="SampleNotConvergedException">The solve did not converge.</exception>
    double[][] Generate(long index, int attempt);
}

/// <summary>One per-sample text of a dataset (a problem written out, for instance), stored as an (N) string dataset.</summary>
public sealed record TextSpec(string Name, string Description);

/// <summary>A worker whose samples also carry texts (<see cref="GeneratorPlan.Texts"/>).</summary>
public interface ITextSampleWorker : ISampleWorker
{
    /// <summary>The texts of the sample the last <see cref="ISampleWorker.Generate"/> call computed, one per <see cref="GeneratorPlan.Texts"/> entry.</summary>
    string[] Texts(long index);
}

/// <summary>How every generation computes a sample: attempt 0, then attempt 1 (the stronger solver setting) when the first did not converge.</summary>
internal static class SampleAttempts
{
    /// <summary>Sample <paramref name="index"/> from <paramref name="worker"/>; <paramref name="retrying"/> is called before a second attempt.</summary>
    public static double[][] Generate(ISampleWorker worker, long index, Action? retrying = null)
    {
        try { return worker.Generate(index, attempt: 0); }
        catch (SampleNotConvergedException)
        {
            retrying?.Invoke();
            return worker.Generate(index, attempt: 1);
        }
    }
}

/// <summary>A validated generation: the arrays, coordinates and provenance it will write, and a worker factory.</summary>
public sealed record GeneratorPlan
{
    /// <summary>Per-sample arrays in storage order.</summary>
    public required IReadOnlyList<ArraySpec> Arrays { get; init; }
    /// <summary>Per-sample texts; their workers implement <see cref="ITextSampleWorker"/>.</summary>
    public IReadOnlyList<TextSpec> Texts { get; init; } = [];
    /// <summary>Coordinate axes (x, y, t ...), stored as 1D float64 arrays.</summary>
    public required IReadOnlyDictionary<string, double[]> Coordinates { get; init; }
    /// <summary>All parameters in effect (defaults merged with overrides).</summary>
    public required IReadOnlyDictionary<string, double> Parameters { get; init; }
    /// <summary>The grid solved on.</summary>
    public required int FineResolution { get; init; }
    /// <summary>The solver and its settings, for provenance.</summary>
    public required string Solver { get; init; }
    /// <summary>Relative tolerance of the solver, or 0 for a fixed schedule.</summary>
    public double Tolerance { get; init; }
    /// <summary>Creates a worker for one thread.</summary>
    public required Func<ISampleWorker> CreateWorker { get; init; }
    /// <summary>
    /// Takes a sample's arrays back once the caller has copied them out, so that the workers can
    /// fill them again instead of allocating (arrays of 224² values and more are large-object
    /// allocations, each costly to make and collect); null when the generator allocates per sample.
    /// The caller must not touch the arrays afterwards.
    /// </summary>
    public Action<double[][]>? Recycle { get; init; }
}
