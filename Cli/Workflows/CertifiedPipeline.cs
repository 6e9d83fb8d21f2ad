using System.Diagnostics;
using System.Runtime.ExceptionServices;
using PdeOps.Cli.Infrastructure;
using PdeOps.Datasets.Readers;
using PdeOps.Operators.Inference;

namespace PdeOps.Cli.Workflows;

/// <summary>
/// Certified prediction sample by sample on every thread: each thread holds its own copy of the
/// operator, predicts a pass of samples on one libtorch thread, certifies them
/// (<see cref="CertifiedPrediction"/>) and takes the next pass. On a CPU, independent samples keep
/// the cores busier than one pass on all of them followed by the checks side by side: a small
/// operator's forward pass does not fill two cores, libtorch's workers do not spin on a core that a
/// check needs, and no core waits for the slowest check of a pass before the next inference
/// starts (<c>bench certify</c>, README "Solvers and operators together").
/// </summary>
/// <remarks>
/// On an accelerator, or with one thread, there is one lane: the operator as given, on its own threads.
/// Where the copies would take more than a quarter of the free memory, there are fewer lanes, which
/// share the threads out.
/// The copies are loaded by the caller's factory, so that they carry the same settings.
/// </remarks>
internal sealed class CertifiedPipeline : IDisposable
{
    readonly CertifiedPrediction _certifier;
    readonly Lane[] _lanes;
    readonly int _n, _pass;

    // One worker's operator, its prediction on the data's grid for a pass, and its buffers, kept from pass to pass.
    sealed class Lane(NeuralOperator op, NestedGridPrediction? nested, bool owned)
    {
        public NeuralOperator Operator { get; } = op;
        public NestedGridPrediction? Nested { get; } = nested;
        public bool Owned { get; } = owned;
        public float[] Inputs = [], Outputs = [];
        public TimeSpan Inference;
    }

    CertifiedPipeline(CertifiedPrediction certifier, Lane[] lanes, int n, int pass) =>
        (_certifier, _lanes, _n, _pass) = (certifier, lanes, n, pass);

    /// <summary>
    /// The pipeline of <paramref name="op"/> on the square <paramref name="grid"/> of
    /// <paramref name="data"/>: <see cref="CertifiedPrediction.Threads"/> lanes on a CPU (the
    /// others' operators from <paramref name="copy"/>), passes of up to <paramref name="pass"/>
    /// samples, predicted on the nested <paramref name="predictGrid"/> when one is given.
    /// </summary>
    /// <exception cref="InvalidDataException">The grids do not nest (<see cref="NestedGridPrediction.For"/>).</exception>
    public static CertifiedPipeline Create(NeuralOperator op, Func<NeuralOperator> copy, CertifiedPrediction certifier,
        OperatorDataset data, int[] grid, int? predictGrid, int pass)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pass, 1);
        int n = grid[0];
        // A lane's copy of the operator, its pass's answers and the ten double fields of its check.
        double bytesPerLane = 4.0 * op.Parameters + 4.0 * pass * n * n + 80.0 * n * n;
        int laneCount = op.Device.type == TorchSharp.DeviceType.CPU ? LaneCount(certifier.Threads, bytesPerLane, MemoryBudget.AvailableBytes) : 1;
        var lanes = new Lane[laneCount];
        try
        {
            for (int k = 0; k < laneCount; k++)
            {
                var laneOp = k == 0 ? op : copy();
                // One lane uses the operator's own threads; several lanes share them out.
                int threads = laneCount == 1 ? certifier.Threads : TorchThreadsPerLane(certifier.Threads, laneCount);
                lanes[k] = new Lane(laneOp, predictGrid is { } coarse ? NestedGridPrediction.For(laneOp, data, grid, coarse, threads) : null, k > 0);
            }
        }
        catch
        {
            foreach (var lane in lanes) if (lane is { Owned: true }) lane.Operator.Dispose();
            throw;
        }
        return new CertifiedPipeline(certifier, lanes, grid[0], pass);
    }

    /// <summary>
    /// Lanes for <paramref name="threads"/> threads when each holds <paramref name="bytesPerLane"/>: one per thread,
    /// as long as all of them take at most a quarter of <paramref name="availableBytes"/>, and at least one.
    /// </summary>
    internal static int LaneCount(int threads, double bytesPerLane, long availableBytes) =>
        (int)Math.Clamp(Math.Floor(availableBytes / 4.0 / bytesPerLane), 1, Math.Max(1, threads));

    // libtorch threads of each of several lanes: the threads shared out, one at least.
    static int TorchThreadsPerLane(int threads, int lanes) => Math.Max(1, threads / lanes);

    /// <summary>Workers: one per lane.</summary>
    public int Lanes => _lanes.Length;

    /// <summary>The largest pass, in samples, of one lane.</summary>
    public int Pass => _pass;

    /// <summary>The time the lanes spent predicting (interpolation included) in the last <see cref="Run"/>, averaged over lanes.</summary>
    public double InferenceSeconds => _lanes.Average(l => l.Inference.TotalSeconds);

    /// <summary>
    /// Predicts and certifies samples <paramref name="first"/> .. first + count - 1 of <paramref name="coefficient"/>,
    /// sample first + i's answer (n x n) to answers[offset + i n^2 ..]; the records in sample order. The lanes
    /// take passes from a shared counter until none is left.
    /// </summary>
    public CertifiedSample[] Run(FieldArray coefficient, int first, int count, float[] answers, long offset)
    {
        var records = new CertifiedSample[count];
        foreach (var lane in _lanes) lane.Inference = TimeSpan.Zero;
        // Passes of at most the given size, and small enough that every lane has one.
        int pass = Math.Clamp((count + _lanes.Length - 1) / _lanes.Length, 1, _pass);
        int next = 0;
        void Work(Lane lane, bool ownThread)
        {
            if (ownThread) TorchSharp.torch.set_num_threads(TorchThreadsPerLane(_certifier.Threads, _lanes.Length));
            int points = _n * _n;
            for (int start; (start = Interlocked.Add(ref next, pass) - pass) < count;)
            {
                int size = Math.Min(pass, count - start);
                ReusedBuffer.AtLeast(ref lane.Outputs, size * points);
                var watch = Stopwatch.StartNew();
                Predict(lane, coefficient, first + start, size);
                lane.Inference += watch.Elapsed;
                long at = offset + (long)start * points;
                if (ownThread)
                    for (int s = 0; s < size; s++)
                        records[start + s] = _certifier.CertifyOnThisThread(coefficient, first + start + s, _n, lane.Outputs.AsSpan(s * points, points),
                            answers.AsSpan(checked((int)(at + (long)s * points)), points));
                else
                    _certifier.CertifyRange(coefficient, first + start, size, _n, lane.Outputs, 0, answers, at).CopyTo(records, start);   // the pass's samples side by side
            }
        }
        if (_lanes.Length == 1)
        {
            Work(_lanes[0], ownThread: false);
            return records;
        }
        // Pool threads: each sets libtorch's thread count, which is per thread, for its lane and restores it after.
        Exception? failure = null;
        Parallel.For(0, _lanes.Length, new ParallelOptions { MaxDegreeOfParallelism = _lanes.Length }, k =>
        {
            int before = TorchSharp.torch.get_num_threads();
            try { Work(_lanes[k], ownThread: true); }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                Volatile.Write(ref next, count);   // the other lanes stop after their pass
            }
            finally { TorchSharp.torch.set_num_threads(before); }
        });
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        return records;
    }

    // The lane's prediction of samples first .. first + size - 1 into its buffer.
    void Predict(Lane lane, FieldArray coefficient, int first, int size)
    {
        if (lane.Nested is { } nested)
        {
            nested.PredictSamples([coefficient], first, size, lane.Outputs, 0);
            return;
        }
        int points = _n * _n;
        ReusedBuffer.AtLeast(ref lane.Inputs, size * points);
        for (int s = 0; s < size; s++) coefficient.Sample(first + s).CopyTo(lane.Inputs.AsSpan(s * points));
        lane.Operator.PredictBatch(lane.Inputs.AsSpan(0, size * points), lane.Outputs.AsSpan(0, size * points), size, _n, _n);
    }

    /// <summary>Disposes the operators the pipeline loaded (not the one it was given).</summary>
    public void Dispose()
    {
        foreach (var lane in _lanes) if (lane.Owned) lane.Operator.Dispose();
    }
}
