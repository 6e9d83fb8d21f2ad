using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using PdeOps.Datasets.Storage;

namespace PdeOps.Datasets.Generation;

/// <summary>How a generation run behaves, apart from what it generates.</summary>
public sealed record GenerationRunOptions
{
    /// <summary>Continue the run a killed process left in <c>FILE.partial/</c>.</summary>
    public bool Resume { get; init; }
    /// <summary>Replace an existing output file.</summary>
    public bool Overwrite { get; init; }
    /// <summary>Samples computed at once (one solver per thread).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Called with (samples done in this shard, samples in this shard) as samples finish; from worker threads.</summary>
    public Action<long, long>? Progress { get; init; }
    /// <summary>Stops the run between samples; completed chunks stay for <see cref="Resume"/>.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>What a finished run did.</summary>
public sealed record GenerationSummary(string Path, long Samples, long FirstSample, long Generated, long Resumed, int Retried, double Seconds)
{
    /// <summary>Samples computed per second in this process.</summary>
    public double SamplesPerSecond => Seconds > 0 ? Generated / Seconds : double.NaN;
}

/// <summary>
/// Runs a generator: samples of this shard are computed in parallel (one worker per thread),
/// grouped into chunks that are written to <c>FILE.partial/</c> as they complete, and assembled
/// into <c>FILE</c> at the end. A killed run loses at most the chunks in flight; with
/// <see cref="GenerationRunOptions.Resume"/> it computes only the missing chunks, and since sample
/// i depends only on the request, the arrays are byte-identical to an uninterrupted run.
/// </summary>
public static class DatasetGeneration
{
    /// <summary>Generates <paramref name="request"/> into <paramref name="outputPath"/>.</summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    /// <exception cref="DataFileException">The output exists, or the working folder cannot be resumed.</exception>
    /// <exception cref="SampleNotConvergedException">A sample did not converge even on retry.</exception>
    public static GenerationSummary Run(GenerationRequest request, string outputPath, GenerationRunOptions? options = null)
    {
        options ??= new GenerationRunOptions();
        if (request.Samples < 1) throw new ArgumentException($"at least one sample is needed (got {request.Samples})");
        if (options.Threads < 1) throw new ArgumentException($"at least one thread is needed (got {options.Threads})");
        var generator = GeneratorRegistry.Get(request.Family);
        var plan = generator.Plan(request);
        var (first, length) = request.Shard.Range(request.Samples);
        if (length < 1) throw new ArgumentException($"shard {request.Shard} of {request.Samples} samples is empty; use fewer shards");
        if (File.Exists(outputPath) && !options.Overwrite)
            throw new DataFileException(outputPath, "the output file exists; choose another --out, delete it, or pass --overwrite");

        var watch = Stopwatch.StartNew();
        int elementSize = request.Precision == StoragePrecision.Float32 ? 4 : 8;
        var store = ChunkStore.Open(outputPath, request.Fingerprint(), plan.Arrays, elementSize, first, length, options.Resume);
        var pending = Enumerable.Range(0, store.ChunkCount).Where(c => !store.IsComplete(c)).ToList();
        long resumed = length - pending.Sum(c => (long)store.Chunk(c).Count);
        int retried;
        using (var assembler = new DatasetAssembler(store, plan.Coordinates, Attributes(request, plan, first, length)))
        {
            for (int c = 0; c < store.ChunkCount; c++)
                if (!pending.Contains(c)) assembler.Add(c, null);
            retried = ComputeChunks(store, plan, pending, options, resumed, assembler);
            assembler.Finish();
        }
        store.Delete();
        return new GenerationSummary(Path.GetFullPath(outputPath), length, first, length - resumed, resumed, retried, watch.Elapsed.TotalSeconds);
    }

    // Workers take samples in order from a shared counter; the thread that finishes a chunk's last
    // sample hands it to the assembler, which writes it. A few chunks per thread are in memory at most.
    static int ComputeChunks(ChunkStore store, GeneratorPlan plan, List<int> pending, GenerationRunOptions options, long alreadyDone, DatasetAssembler assembler)
    {
        var samples = pending.SelectMany(c => Enumerable.Range(0, store.Chunk(c).Count).Select(k => (Chunk: c, Slot: k))).ToArray();
        var buffers = new Dictionary<int, double[][][]>();
        var remaining = pending.ToDictionary(c => c, c => store.Chunk(c).Count);
        long next = -1, done = alreadyDone;
        int retried = 0;
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.Cancellation);
        void Work()
        {
            var worker = plan.CreateWorker();
            while (!stop.IsCancellationRequested)
            {
                long n = Interlocked.Increment(ref next);
                if (n >= samples.Length) return;
                var (chunk, slot) = samples[n];
                long index = store.Chunk(chunk).First + slot;
                double[][] values;
                try
                {
                    try { values = worker.Generate(index, attempt: 0); }
                    catch (SampleNotConvergedException)
                    {
                        Interlocked.Increment(ref retried);
                        values = worker.Generate(index, attempt: 1);
                    }
                    Check(plan, index, values);
                }
                catch (Exception e)
                {
                    lock (buffers) failure ??= e;
                    stop.Cancel();
                    return;
                }
                double[][][]? complete = null;
                lock (buffers)
                {
                    if (!buffers.TryGetValue(chunk, out var buffer)) buffers[chunk] = buffer = new double[store.Chunk(chunk).Count][][];
                    buffer[slot] = values;
                    if (--remaining[chunk] == 0) { complete = buffer; buffers.Remove(chunk); }
                }
                if (complete is not null)
                {
                    try { assembler.Add(chunk, complete); }
                    catch (Exception e)
                    {
                        lock (buffers) failure ??= e;
                        stop.Cancel();
                        return;
                    }
                }
                options.Progress?.Invoke(Interlocked.Increment(ref done), store.Length);
            }
        }
        var threads = Enumerable.Range(0, Math.Min(options.Threads, Math.Max(1, samples.Length))).Select(_ => new Thread(Work) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failure is not null) throw failure is SampleNotConvergedException or ArgumentException ? failure : new InvalidOperationException($"generation failed: {failure.Message}", failure);
        options.Cancellation.ThrowIfCancellationRequested();
        return retried;
    }

    static void Check(GeneratorPlan plan, long index, double[][] values)
    {
        if (values.Length != plan.Arrays.Count) throw new InvalidOperationException($"sample {index}: {values.Length} arrays, expected {plan.Arrays.Count}");
        for (int a = 0; a < values.Length; a++)
        {
            var spec = plan.Arrays[a];
            if (values[a].Length != spec.SampleLength) throw new InvalidOperationException($"sample {index}: array '{spec.Name}' has {values[a].Length} values, expected {spec.SampleLength}");
            foreach (double v in values[a])
                if (!double.IsFinite(v)) throw new SampleNotConvergedException(index, $"array '{spec.Name}' contains {v}");
        }
    }

    static Dictionary<string, object> Attributes(GenerationRequest request, GeneratorPlan plan, long first, long length)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in plan.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) parameters[name] = value;
        var attributes = new Dictionary<string, object>
        {
            [DatasetLayout.FormatAttribute] = DatasetLayout.FormatName,
            [DatasetLayout.VersionAttribute] = DatasetLayout.Version,
            [DatasetLayout.GeneratorAttribute] = request.Family.ToLowerInvariant(),
            [DatasetLayout.InputsAttribute] = string.Join(",", plan.Arrays.Where(a => a.Role == ArrayRole.Input).Select(a => a.Name)),
            [DatasetLayout.OutputsAttribute] = string.Join(",", plan.Arrays.Where(a => a.Role == ArrayRole.Output).Select(a => a.Name)),
            [DatasetLayout.SeedAttribute] = request.Seed,
            [DatasetLayout.TotalSamplesAttribute] = request.Samples,
            [DatasetLayout.FirstSampleAttribute] = first,
            [DatasetLayout.ResolutionAttribute] = (long)request.Resolution,
            [DatasetLayout.FineResolutionAttribute] = (long)plan.FineResolution,
            [DatasetLayout.ParametersAttribute] = parameters.ToJsonString(),
            [DatasetLayout.SolverAttribute] = plan.Solver,
            [DatasetLayout.ToleranceAttribute] = plan.Tolerance,
            [DatasetLayout.DtypeAttribute] = request.Precision == StoragePrecision.Float32 ? "float32" : "float64",
            [DatasetLayout.VersionOfPdeOpsAttribute] = PdeOpsVersion,
            [DatasetLayout.CreatedAttribute] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (request.Shard.Count > 1) attributes[DatasetLayout.ShardAttribute] = request.Shard.ToString();
        foreach (var (name, value) in plan.Parameters) attributes[DatasetLayout.ParameterPrefix + name] = value;
        return attributes;
    }

    /// <summary>The version of the PdeOps libraries, as recorded in files.</summary>
    public static string PdeOpsVersion =>
        typeof(DatasetGeneration).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
