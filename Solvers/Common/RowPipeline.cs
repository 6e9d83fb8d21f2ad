namespace PdeOps.Solvers.Common;

/// <summary>
/// Runs a sequence of row operations ("stages") over a grid in one pass through memory, the way
/// a wavefront runs through the rows: at step t, stage s works on row t - s. Each stage of a row
/// may read rows one above and one below as left by the previous stage, so several sweeps, a
/// residual and a restriction cost one trip through main memory instead of one each.
/// </summary>
/// <remarks>
/// Threads take contiguous blocks of rows. Inside a block, stage s stops s rows short of each
/// neighbouring block (its inputs there are not final); a second parallel phase then finishes the
/// trapezoidal gaps around each block edge in the same wavefront order (trapezoidal tiling). The
/// outcome equals running every stage over all rows in order, so results do not depend on the
/// thread count. Stages must depend only on the previous stage within one row of distance.
/// </remarks>
internal static class RowPipeline
{
    /// <summary>Applies op(stage, row) for all stages 0..stages-1 and rows [begin, end).</summary>
    public static void Run(int begin, int end, int stages, int threads, Action<int, int> op)
    {
        int rows = end - begin;
        if (rows <= 0 || stages <= 0) return;
        int blocks = RowPartition.Blocks(rows, threads);
        if (blocks > 1 && rows / blocks < 2 * stages + 4) blocks = 1;
        if (blocks == 1)
        {
            Wavefront(begin, end, stages, op, begin, end, shrinkLow: false, shrinkHigh: false);
            return;
        }
        int Edge(int b) => begin + (int)((long)rows * b / blocks);
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
            Wavefront(Edge(b), Edge(b + 1), stages, op, Edge(b), Edge(b + 1), shrinkLow: b > 0, shrinkHigh: b < blocks - 1));
        Parallel.For(1, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
        {
            int junction = Edge(b);
            for (int t = junction - stages; t < junction + 2 * stages; t++)
                for (int s = 0; s < stages; s++)
                {
                    int j = t - s;
                    if (j >= junction - s && j < junction + s) op(s, j);
                }
        });
    }

    static void Wavefront(int lo, int hi, int stages, Action<int, int> op, int blockLo, int blockHi, bool shrinkLow, bool shrinkHigh)
    {
        for (int t = lo; t < hi + stages; t++)
            for (int s = 0; s < stages; s++)
            {
                int j = t - s;
                int first = blockLo + (shrinkLow ? s : 0), last = blockHi - (shrinkHigh ? s : 0);
                if (j >= first && j < last) op(s, j);
            }
    }
}
