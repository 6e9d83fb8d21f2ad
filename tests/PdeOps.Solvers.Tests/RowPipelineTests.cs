using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Tests;

public class RowPipelineTests
{
    // Each stage replaces row j by a function of rows j - 1, j, j + 1 of the previous stage's
    // state: a chain of three-point smoothings applied in place, the pattern the multigrid passes use.
    static double[][] Run(int rows, int stages, int threads, bool pipelined)
    {
        var state = Enumerable.Range(0, stages + 1).Select(_ => new double[rows + 2]).ToArray();
        for (int j = 1; j <= rows; j++) state[0][j] = Math.Sin(0.37 * j) + 0.01 * j * j;
        void Op(int s, int j) => state[s + 1][j] = 0.25 * state[s][j - 1] + 0.5 * state[s][j] + 0.25 * state[s][j + 1] + s;
        if (pipelined) RowPipeline.Run(1, rows + 1, stages, threads, Op);
        else
            for (int s = 0; s < stages; s++)
                for (int j = 1; j <= rows; j++) Op(s, j);
        return state;
    }

    [Theory]
    [InlineData(200, 5, 1)]
    [InlineData(200, 5, 2)]
    [InlineData(500, 7, 4)]
    [InlineData(37, 3, 4)]
    public void PipelinedStagesEqualStageByStageSweeps(int rows, int stages, int threads)
    {
        var expected = Run(rows, stages, threads, pipelined: false);
        var actual = Run(rows, stages, threads, pipelined: true);
        for (int s = 0; s <= stages; s++) Assert.Equal(expected[s], actual[s]);
    }
}
