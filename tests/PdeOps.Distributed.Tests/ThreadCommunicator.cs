using System.Diagnostics.CodeAnalysis;

namespace PdeOps.Distributed.Tests;

/// <summary>
/// A job of several ranks as threads of one process, for testing collective logic without MPI:
/// each collective deposits every rank's data, waits for all, and combines them in rank order.
/// </summary>
sealed class ThreadCommunicator : ICommunicator
{
    readonly Shared _shared;

    sealed class Shared(int size)
    {
        public readonly Barrier Barrier = new(size);
        public readonly object?[] Slots = new object?[size];
    }

    ThreadCommunicator(Shared shared, int rank, int size)
    {
        _shared = shared; Rank = rank; Size = size;
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="size"/> threads, one per rank; returns each rank's result or exception.</summary>
    public static (T? Result, Exception? Error)[] Run<T>(int size, Func<ICommunicator, T> body)
    {
        var shared = new Shared(size);
        var results = new (T?, Exception?)[size];
        var threads = Enumerable.Range(0, size).Select(rank => new Thread(() =>
        {
            try { results[rank] = (body(new ThreadCommunicator(shared, rank, size)), null); }
            catch (Exception e) { results[rank] = (default, e); }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a rank hung"));
        return results;
    }

    public int Rank { get; }
    public int Size { get; }
    public string Description => $"{Size} threads";

    T[] Exchange<T>(T value)
    {
        _shared.Slots[Rank] = value;
        _shared.Barrier.SignalAndWait();
        var all = _shared.Slots.Select(s => (T)s!).ToArray();
        _shared.Barrier.SignalAndWait();
        return all;
    }

    public void Allreduce(Span<float> values, ReduceOperation operation) => Reduce(values, operation);

    public void Allreduce(Span<double> values, ReduceOperation operation) => Reduce(values, operation);

    void Reduce<T>(Span<T> values, ReduceOperation operation) where T : System.Numerics.INumber<T>
    {
        var all = Exchange(values.ToArray());
        for (int i = 0; i < values.Length; i++)
            values[i] = operation switch
            {
                ReduceOperation.Sum => all.Aggregate(T.Zero, (s, a) => s + a[i]),
                ReduceOperation.Max => all.Max(a => a[i])!,
                _ => all.Min(a => a[i])!,
            };
    }

    public void Broadcast(Span<byte> data, int root) => Exchange(data.ToArray())[root].CopyTo(data);

    public void Barrier() => Exchange(0);

    [DoesNotReturn]
    public void Abort(int exitCode) => throw new InvalidOperationException($"abort {exitCode}");

    public void Dispose() { }
}
