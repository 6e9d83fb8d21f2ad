using System.Diagnostics;

namespace PdeOps.Datasets.Generation;

/// <summary>One timing of a generator's workers in memory.</summary>
/// <param name="Samples">Samples computed in the timed part.</param>
/// <param name="Threads">Workers, one per thread.</param>
/// <param name="Seconds">Wall time of the timed part.</param>
public sealed record ThroughputRun(long Samples, int Threads, double Seconds)
{
    /// <summary>Samples per second over all threads.</summary>
    public double SamplesPerSecond => Samples / Seconds;
}

/// <summary>
/// How fast a generator's workers compute samples in memory, as a trainer that makes its data on
/// the fly consumes them: no files, no checksums, no compression. Each thread runs its own worker
/// (<see cref="GeneratorPlan.CreateWorker"/>) over its share of the sample indices, as
/// <see cref="DatasetGeneration.Run"/> does before writing.
/// </summary>
public static class GeneratorThroughput
{
    /// <summary>
    /// Computes <paramref name="request"/>'s samples 0 … Samples − 1 on <paramref name="threads"/>
    /// threads after each thread has computed untimed samples for <paramref name="warmup"/> (the
    /// JIT optimises hot code after a while), and returns the wall time of the timed part.
    /// </summary>
    /// <exception cref="ArgumentException">The request is invalid for its family, threads is below 1 or the warm-up negative.</exception>
    public static ThroughputRun Measure(GenerationRequest request, int threads, TimeSpan warmup)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (threads < 1) throw new ArgumentException($"threads must be at least 1 (got {threads})", nameof(threads));
        if (warmup < TimeSpan.Zero) throw new ArgumentException($"the warm-up cannot be negative (got {warmup})", nameof(warmup));
        var plan = GeneratorRegistry.Get(request.Family).Plan(request);
        var workers = Enumerable.Range(0, threads).Select(_ => plan.CreateWorker()).ToArray();
        var warming = Stopwatch.StartNew();
        // Warm-up indices lie past the timed ones, so the timed samples are those a file of this request holds.
        IEnumerable<long> WarmUp(int thread)
        {
            for (var k = 0L; warming.Elapsed < warmup; k++) yield return request.Samples + thread * (1L << 40) + k;
        }
        RunAll(workers, WarmUp, plan.Recycle);
        long next = -1;
        IEnumerable<long> Shared(int _)
        {
            for (long i; (i = Interlocked.Increment(ref next)) < request.Samples;) yield return i;
        }
        var clock = Stopwatch.StartNew();
        RunAll(workers, Shared, plan.Recycle);
        return new ThroughputRun(request.Samples, threads, clock.Elapsed.TotalSeconds);
    }

    static void RunAll(ISampleWorker[] workers, Func<int, IEnumerable<long>> indices, Action<double[][]>? recycle)
    {
        Exception? failure = null;
        var running = workers.Select((worker, t) => new Thread(() =>
        {
            try
            {
                // A consumer copies the values out (into tensors, say) and hands the arrays back.
                foreach (var i in indices(t)) recycle?.Invoke(SampleAttempts.Generate(worker, i));
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
            }
        })
        { IsBackground = true }).ToList();
        running.ForEach(t => t.Start());
        running.ForEach(t => t.Join());
        if (failure is not null) throw new InvalidOperationException($"a worker failed: {failure.Message}", failure);
    }
}
