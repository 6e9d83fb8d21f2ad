namespace PdeOps.Solvers.Common;

/// <summary>
/// Splits a range of grid rows into one contiguous block per thread and runs them in parallel.
/// One task per thread (not per row) keeps the scheduling cost small next to a sweep over a
/// few thousand rows, and small ranges run inline where threading would cost more than it saves.
/// </summary>
internal static class RowPartition
{
    /// <summary>Rows below which a range runs on the calling thread.</summary>
    public const int SerialThreshold = 64;

    /// <summary>How many blocks <see cref="For"/> splits <paramref name="rows"/> rows into.</summary>
    public static int Blocks(int rows, int threads) =>
        rows < SerialThreshold ? 1 : Math.Min(Math.Max(1, threads), Math.Max(1, rows / (SerialThreshold / 2)));

    /// <summary>
    /// Runs body(first, endExclusive) over [begin, end) on up to <paramref name="threads"/> threads.
    /// The same arguments always give the same blocks, so a second call can visit the edges of
    /// the blocks of a first.
    /// </summary>
    public static void For(int begin, int end, int threads, Action<int, int> body)
    {
        int rows = end - begin;
        if (rows <= 0) return;
        int blocks = Blocks(rows, threads);
        if (blocks == 1)
        {
            body(begin, end);
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
        {
            int lo = begin + (int)((long)rows * b / blocks);
            int hi = begin + (int)((long)rows * (b + 1) / blocks);
            body(lo, hi);
        });
    }
}

/// <summary>Parallel reductions over row blocks.</summary>
internal static class RowReduction
{
    /// <summary>Sums body(first, endExclusive) over row blocks of [begin, end) on up to <paramref name="threads"/> threads.</summary>
    public static double Sum(int begin, int end, int threads, Func<int, int, double> body)
    {
        int rows = end - begin;
        if (rows <= 0) return 0;
        int blocks = RowPartition.Blocks(rows, threads);
        if (blocks == 1) return body(begin, end);
        var partial = new double[blocks];
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
        {
            int lo = begin + (int)((long)rows * b / blocks);
            int hi = begin + (int)((long)rows * (b + 1) / blocks);
            partial[b] = body(lo, hi);
        });
        double sum = 0;
        foreach (double p in partial) sum += p;
        return sum;
    }
}
