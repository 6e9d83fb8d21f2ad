using System.Diagnostics;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Elliptic;

/// <summary>
/// Geometric multigrid with Galerkin coarse operators for any <see cref="StencilOperator2D"/>
/// (Trottenberg et al., Multigrid, 2001, ch. 2 and 7): variable and jumping coefficients,
/// Dirichlet, Neumann and periodic sides, reaction terms. Levels coarsen by two while every axis
/// has an even number of intervals (at least four); the coarsest level is factored densely, in
/// band form when too large for that (grids that stop halving early), or relaxed.
/// </summary>
public sealed class StencilMultigrid2D : StencilMultigrid
{
    /// <summary>Largest factorisation cost N b^2 accepted for a banded coarsest level.</summary>
    const double MaxBandedCost = 5e8;

    readonly StencilOperator2D[] _operators;

    /// <summary>Builds the hierarchy for <paramref name="fine"/>.</summary>
    public StencilMultigrid2D(StencilOperator2D fine, MultigridOptions? options = null) : this(Build(fine, Checked(options))) { }

    StencilMultigrid2D((MultigridOptions Options, LevelParts[] Parts, StencilOperator2D[] Operators, Action<double[], double[]>? Direct, double Seconds) built)
        : base(built.Options, built.Parts, built.Direct, built.Seconds) => _operators = built.Operators;

    /// <summary>The operator of level l (0 is the fine operator).</summary>
    public StencilOperator2D Operator(int level) => _operators[level];

    static (MultigridOptions, LevelParts[], StencilOperator2D[], Action<double[], double[]>?, double) Build(StencilOperator2D fine, MultigridOptions options)
    {
        var watch = Stopwatch.StartNew();
        fine.Threads = options.Threads;
        var operators = new List<StencilOperator2D> { fine };
        var transfers = new List<IGridTransfer>();
        while (true)
        {
            var a = operators[^1];
            if (!a.X.CanCoarsen || !a.Y.CanCoarsen || a.Size <= 16) break;
            var coarse = new StencilOperator2D(a.X.Coarsen(), a.Y.Coarsen()) { Threads = options.Threads };
            GalerkinCoarsening.Compute(a, coarse, options.Threads);
            transfers.Add(new GridTransfer(a, coarse));
            operators.Add(coarse);
        }
        var parts = operators.Select((a, l) => new LevelParts(a, StencilSmoothers.Create(options.Smoother, a, options.Threads),
            l < transfers.Count ? transfers[l] : null)).ToArray();
        var coarsest = operators[^1];
        Action<double[], double[]>? direct = null;
        if (coarsest.Size <= DenseLu.MaxSize) direct = new DenseLu(coarsest).Solve;
        else if (!coarsest.X.Periodic && !coarsest.Y.Periodic && BandedLu.Cost(coarsest) <= MaxBandedCost) direct = new BandedLu(coarsest).Solve;
        return (options, parts, operators.ToArray(), direct, watch.Elapsed.TotalSeconds);
    }
}
