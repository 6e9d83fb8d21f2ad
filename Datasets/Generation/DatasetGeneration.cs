using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.IO;

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

/// <summary>What a generation run will need, from <see cref="DatasetGeneration.Estimate"/>.</summary>
/// <param name="WorkBytes">Memory that grows with the grid: workers and the chunks in flight.</param>
/// <param name="IndexBytes">Memory that grows with the sample count: the HDF5 writer's index of chunks.</param>
/// <param name="DiskBytes">Disk for this shard's data before compression (the chunk files in <c>FILE.partial/</c>).</param>
public sealed record GenerationEstimate(double WorkBytes, double IndexBytes, double DiskBytes)
{
    /// <summary>All the memory the run will need.</summary>
    public double MemoryBytes => WorkBytes + IndexBytes;
}

/// <summary>What a finished run did.</summary>
public sealed record GenerationSummary(string Path, long Samples, long FirstSample, long Generated, long Resumed, int Retried, double Seconds)
{
    /// <summary>Chunks left by an earlier run that failed their checksum (damaged or of an older format) and were computed again.</summary>
    public int Recomputed { get; init; }
    /// <summary>True when a resumed run found its output already finished, with matching provenance, and did nothing.</summary>
    public bool AlreadyComplete { get; init; }

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
    /// <remarks>
    /// With <see cref="GenerationRunOptions.Resume"/>, chunks left by an earlier run are verified
    /// against their checksums; damaged ones are recomputed (<see cref="GenerationSummary.Recomputed"/>).
    /// When the output already exists and its provenance matches the request, the run is complete
    /// and nothing is done (<see cref="GenerationSummary.AlreadyComplete"/>).
    /// </remarks>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    /// <exception cref="DataFileException">The output exists or is a directory, the working folder cannot be resumed, a chunk is damaged, or the disk is too small for the data.</exception>
    /// <exception cref="DiskFullException">The disk filled up; completed chunks stay in <c>FILE.partial/</c> for a resume.</exception>
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
        string full = Path.GetFullPath(outputPath);
        if (Directory.Exists(full)) throw new DataFileException(outputPath, "is a directory; --out must name the HDF5 file to write");
        var attributes = Attributes(request, generator, plan, first, length);
        var watch = Stopwatch.StartNew();
        if (File.Exists(full) && !options.Overwrite)
        {
            if (!options.Resume)
                throw new DataFileException(outputPath, "the output file exists; choose another --out, delete it, or pass --overwrite");
            if (Provenance.Difference(full, attributes, plan, length) is { } difference)
                throw new DataFileException(outputPath, $"the output file exists from a run with other settings ({difference}); choose another --out, or pass --overwrite to replace it");
            string leftover = AtomicFile.PartialPath(full);
            if (Directory.Exists(leftover)) Directory.Delete(leftover, recursive: true); // its chunks are all in the finished file
            return new GenerationSummary(full, length, first, 0, length, 0, watch.Elapsed.TotalSeconds) { AlreadyComplete = true };
        }

        int elementSize = request.Precision == StoragePrecision.Float32 ? 4 : 8;
        ChunkStore? store = null;
        try
        {
            store = ChunkStore.Open(outputPath, GenerationSettings.Fingerprint(request, plan), plan.Arrays, plan.Texts, elementSize, first, length, options.Resume);
            var pending = new List<int>();
            int damaged = 0;
            for (int c = 0; c < store.ChunkCount; c++)
            {
                if (!store.Created && store.Verify(c)) continue;
                if (!store.Created && store.Exists(c)) damaged++;
                pending.Add(c);
            }
            RequireDiskSpace(store, pending);
            long resumed = length - pending.Sum(c => (long)store.Chunk(c).Count);
            int retried;
            using (var assembler = new DatasetAssembler(store, plan.Coordinates, attributes, plan.Recycle))
            {
                for (int c = 0, p = 0; c < store.ChunkCount; c++)
                {
                    if (p < pending.Count && pending[p] == c) { p++; continue; }
                    assembler.Add(c, null);
                }
                retried = ComputeChunks(store, plan, pending, options, resumed, assembler);
                assembler.Finish();
            }
            store.Delete();
            return new GenerationSummary(full, length, first, length - resumed, resumed, retried, watch.Elapsed.TotalSeconds) { Recomputed = damaged };
        }
        catch (Exception e) when (e is not DiskFullException && DiskFullException.Find(e) is not null)
        {
            throw new DiskFullException(full, KeepOrRemove(store, AtomicFile.PartialPath(full)), e);
        }
        catch (DataFileException) when (store is { Created: true } && store.FilesPresent() == 0)
        {
            // Refused before any chunk was written (e.g. too little disk): leave nothing behind.
            TryDelete(store.Folder);
            throw;
        }
        finally
        {
            store?.Dispose();
        }
    }

    // After a full disk: a working folder with completed chunks stays for --resume and the message
    // says so; one this run created without completing a chunk is removed.
    static string? KeepOrRemove(ChunkStore? store, string folder)
    {
        int chunks = store?.FilesPresent() ?? 0;
        if (chunks > 0)
            return $"{chunks} completed chunk{(chunks == 1 ? " is" : "s are")} kept in {folder}/, free space and rerun with --resume";
        if (store is { Created: true }) TryDelete(folder);
        return null;
    }

    static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // The chunk files alone take this much: a run that cannot fit them is refused before it starts.
    // (The compressed HDF5 file needs more on top, which depends on how well the data compresses.)
    static void RequireDiskSpace(ChunkStore store, List<int> pending)
    {
        long need = store.ChunkFileBytes(pending);
        long free;
        try { free = new DriveInfo(store.Folder).AvailableFreeSpace; }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return; }
        if (need > free)
            throw new DataFileException(store.Output,
                $"the {pending.Sum(c => (long)store.Chunk(c).Count)} samples to compute need at least {Bytes(need)} of disk before compression, "
                + $"but only {Bytes(free)} is free there; free space, choose another --out, or generate fewer samples (--samples, --shard)");
    }

    /// <summary>
    /// What <paramref name="request"/> needs before anything is computed: memory for the workers of
    /// <paramref name="threads"/> threads, the chunks in flight and the HDF5 writer's chunk index,
    /// and disk for the uncompressed chunk files of this shard. Sizes are doubles, so absurd requests
    /// cannot overflow.
    /// </summary>
    /// <exception cref="ArgumentException">The request is invalid (as <see cref="Run"/> would report it).</exception>
    public static GenerationEstimate Estimate(GenerationRequest request, int threads)
    {
        var plan = GeneratorRegistry.Get(request.Family).Plan(request);
        var (_, length) = request.Shard.Range(request.Samples);
        double sampleValues = plan.Arrays.Sum(a => a.SampleShape.Aggregate(1.0, (p, d) => p * d));
        int elementSize = request.Precision == StoragePrecision.Float32 ? 4 : 8;
        int dimensions = Math.Max(1, new[] { "x", "y", "z" }.Count(plan.Coordinates.ContainsKey));
        // A worker holds the fine grid a few dozen times over (coefficients, multigrid levels, random field).
        double worker = Math.Pow(plan.FineResolution, dimensions) * 8 * 32 + sampleValues * 8;
        double perChunk = Math.Clamp(Math.Floor((16L << 20) / Math.Max(1, sampleValues * elementSize)), 1, 64);
        double inFlight = (2.0 * threads + 5) * perChunk * sampleValues * (8 + elementSize);
        double index = (double)length * plan.Arrays.Count * 64;
        return new GenerationEstimate(threads * worker + inFlight, index, length * sampleValues * elementSize);
    }

    /// <summary>A byte count in readable units.</summary>
    internal static string Bytes(double bytes) => bytes switch
    {
        >= 1L << 40 => $"{bytes / (1L << 40):F1} TiB",
        >= 1L << 30 => $"{bytes / (1L << 30):F1} GiB",
        >= 1L << 20 => $"{bytes / (1L << 20):F1} MiB",
        _ => $"{bytes / 1024:F0} KiB",
    };

    // Workers take samples in order from a shared counter; the thread that finishes a chunk's last
    // sample hands it to the assembler, which writes it. A few chunks per thread are in memory at most.
    static int ComputeChunks(ChunkStore store, GeneratorPlan plan, List<int> pending, GenerationRunOptions options, long alreadyDone, DatasetAssembler assembler)
    {
        // Every chunk but the last holds SamplesPerChunk samples, so sample n of the pending ones is
        // slot n % SamplesPerChunk of pending chunk n / SamplesPerChunk (no table per sample).
        long total = pending.Sum(c => (long)store.Chunk(c).Count);
        int perChunk = store.SamplesPerChunk;
        var buffers = new Dictionary<int, double[][][]>();
        var textBuffers = new Dictionary<int, string[][]>();
        var remaining = pending.Select(c => store.Chunk(c).Count).ToArray();
        long next = -1, done = alreadyDone;
        int retried = 0;
        Exception? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(options.Cancellation);
        void Work()
        {
            ISampleWorker worker;
            try { worker = plan.CreateWorker(); }
            catch (Exception e)
            {
                // On a worker thread an exception would end the process: it is the run's failure instead.
                lock (buffers) failure ??= e;
                stop.Cancel();
                return;
            }
            while (!stop.IsCancellationRequested)
            {
                long n = Interlocked.Increment(ref next);
                if (n >= total) return;
                int position = (int)(n / perChunk), slot = (int)(n % perChunk), chunk = pending[position];
                long index = store.Chunk(chunk).First + slot;
                double[][] values;
                string[]? texts = null;
                try
                {
                    values = SampleAttempts.Generate(worker, index, () => Interlocked.Increment(ref retried));
                    Check(plan, index, values);
                    if (plan.Texts.Count > 0)
                    {
                        texts = (worker as ITextSampleWorker ?? throw new InvalidOperationException("the plan has texts but its worker does not give them")).Texts(index);
                        if (texts.Length != plan.Texts.Count) throw new InvalidOperationException($"sample {index}: {texts.Length} texts, expected {plan.Texts.Count}");
                    }
                }
                catch (Exception e)
                {
                    lock (buffers) failure ??= e;
                    stop.Cancel();
                    return;
                }
                double[][][]? complete = null;
                string[][]? completeTexts = null;
                lock (buffers)
                {
                    if (!buffers.TryGetValue(chunk, out var buffer)) buffers[chunk] = buffer = new double[store.Chunk(chunk).Count][][];
                    if (!textBuffers.TryGetValue(chunk, out var textBuffer)) textBuffers[chunk] = textBuffer = new string[store.Chunk(chunk).Count][];
                    buffer[slot] = values;
                    textBuffer[slot] = texts ?? [];
                    if (--remaining[position] == 0) { complete = buffer; completeTexts = textBuffer; buffers.Remove(chunk); textBuffers.Remove(chunk); }
                }
                if (complete is not null)
                {
                    try { assembler.Add(chunk, complete, completeTexts); }
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
        var threads = Enumerable.Range(0, (int)Math.Min(options.Threads, Math.Max(1, total))).Select(_ => new Thread(Work) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failure is not null)
        {
            if (failure is SampleNotConvergedException or ArgumentException or DataFileException or IOException)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            throw new InvalidOperationException($"generation failed: {failure.Message}", failure);
        }
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

    static Dictionary<string, object> Attributes(GenerationRequest request, IDatasetGenerator generator, GeneratorPlan plan, long first, long length)
    {
        var parameters = new JsonObject();
        foreach (var (name, value) in plan.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) parameters[name] = value;
        var attributes = new Dictionary<string, object>
        {
            [DatasetLayout.FormatAttribute] = DatasetLayout.FormatName,
            [DatasetLayout.VersionAttribute] = DatasetLayout.Version,
            [DatasetLayout.GeneratorAttribute] = request.Family.ToLowerInvariant(),
            [DatasetLayout.GridConventionAttribute] = generator.GridConvention.Name(),
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
            [DatasetLayout.VersionOfPdeOpsAttribute] = PdeOpsVersion.Current,
            [DatasetLayout.CreatedAttribute] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (request.Shard.Count > 1) attributes[DatasetLayout.ShardAttribute] = request.Shard.ToString();
        if (plan.Texts.Count > 0) attributes[DatasetLayout.TextsAttribute] = string.Join(",", plan.Texts.Select(t => t.Name));
        foreach (var (name, value) in plan.Parameters) attributes[DatasetLayout.ParameterPrefix + name] = value;
        return attributes;
    }

}
