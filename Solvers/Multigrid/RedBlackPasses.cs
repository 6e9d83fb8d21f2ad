using PdeOps.Solvers.Common;

namespace PdeOps.Solvers.Multigrid;

/// <summary>
/// The two memory passes of a red-black Gauss-Seidel cycle on one level, as row pipelines
/// (<see cref="RowPipeline"/>): pre-smoothing, residual and full-weighting restriction in one;
/// prolongation, post-smoothing and optionally the residual norm per row in the other. The row
/// operations are built once per level, so a cycle creates no delegates of its own.
/// </summary>
internal sealed class RedBlackPasses
{
    readonly GridLevel _level;
    readonly int _preStages, _postStages;
    readonly Action<int, int> _pre, _post, _postWithNorm;

    /// <summary>Prepares the passes between <paramref name="level"/> and the next coarser <paramref name="coarse"/>.</summary>
    /// <param name="level">The level the passes sweep.</param>
    /// <param name="coarse">The next coarser level (its F receives the restriction, its U is prolonged).</param>
    /// <param name="preSweeps">Red-black sweeps before the coarse correction.</param>
    /// <param name="postSweeps">Red-black sweeps after it.</param>
    /// <param name="rowNorms">Receives the squared residual norm of each row when the norm is asked for.</param>
    public RedBlackPasses(GridLevel level, GridLevel coarse, int preSweeps, int postSweeps, double[] rowNorms)
    {
        _level = level;
        int preRelax = 2 * preSweeps, postRelax = 2 * postSweeps;
        _preStages = preRelax + 2;
        _postStages = postRelax + 1;
        _pre = (stage, j) =>
        {
            if (stage < preRelax) FivePointKernels.RelaxRow(level, j, stage & 1);
            else if (stage == preRelax) FivePointKernels.ResidualRow(level, j);
            else if ((j & 1) == 0) FivePointKernels.RestrictRow(level, coarse, j >> 1);
        };
        _post = (stage, j) =>
        {
            if (stage == 0) FivePointKernels.ProlongRow(coarse, level, j);
            else FivePointKernels.RelaxRow(level, j, (stage - 1) & 1);
        };
        _postWithNorm = (stage, j) =>
        {
            if (stage <= postRelax) _post(stage, j);
            else rowNorms[j] = FivePointKernels.ResidualRow(level, j);
        };
    }

    /// <summary>Pre-smoothing, residual and restriction of the residual into the coarse right-hand side.</summary>
    public void PreSmoothAndRestrict(int threads) => RowPipeline.Run(1, _level.Ny + 1, _preStages, threads, _pre);

    /// <summary>Prolongation of the coarse correction and post-smoothing; with <paramref name="norm"/>, also the rows' squared residual norms.</summary>
    public void ProlongAndPostSmooth(int threads, bool norm) =>
        RowPipeline.Run(1, _level.Ny + 1, _postStages + (norm ? 1 : 0), threads, norm ? _postWithNorm : _post);
}
