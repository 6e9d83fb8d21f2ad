using System.Diagnostics;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Solvers.Elliptic3D;

/// <summary>
/// Geometric multigrid with Galerkin coarse operators for any <see cref="StencilOperator3D"/>
/// (Trottenberg et al., Multigrid, 2001, ch. 2 and 7; the 3D counterpart of
/// <see cref="StencilMultigrid2D"/>): variable and jumping coefficients, Dirichlet, Neumann and
/// periodic sides, reaction terms. Levels coarsen by two while every axis has an even number of
/// intervals (at least four); the coarsest level is factored densely when it has at most
/// <see cref="MaxDenseCoarseSize"/> unknowns, else relaxed many times.
/// </summary>
public sealed class StencilMultigrid3D : StencilMultigrid
{
    /// <summary>Largest coarsest level factored by <see cref="DenseLu"/>.</summary>
    public const int MaxDenseCoarseSize = 1500;

    readonly StencilOperator3D[] _operators;

    /// <summary>Builds the hierarchy for <paramref name="fine"/>.</summary>
    /// <exception cref="ArgumentException">No smoothing sweeps, or a smoother without a 3D version.</exception>
    public StencilMultigrid3D(StencilOperator3D fine, MultigridOptions? options = null) : this(Build(fine, Checked(options))) { }

    StencilMultigrid3D((MultigridOptions Options, LevelParts[] Parts, StencilOperator3D[] Operators, Action<double[], double[]>? Direct, double Seconds) built)
        : base(built.Options, built.Parts, built.Direct, built.Seconds) => _operators = built.Operators;

    /// <summary>The operator of level l (0 is the fine operator).</summary>
    public StencilOperator3D Operator(int level) => _operators[level];

    static (MultigridOptions, LevelParts[], StencilOperator3D[], Action<double[], double[]>?, double) Build(StencilOperator3D fine, MultigridOptions options)
    {
        var watch = Stopwatch.StartNew();
        fine.Threads = options.Threads;
        var operators = new List<StencilOperator3D> { fine };
        var transfers = new List<IGridTransfer>();
        while (true)
        {
            var a = operators[^1];
            if (!a.X.CanCoarsen || !a.Y.CanCoarsen || !a.Z.CanCoarsen || a.Size <= 64) break;
            var coarse = new StencilOperator3D(a.X.Coarsen(), a.Y.Coarsen(), a.Z.Coarsen()) { Threads = options.Threads };
            GalerkinCoarsening3D.Compute(a, coarse, options.Threads);
            transfers.Add(new GridTransfer3D(a, coarse));
            operators.Add(coarse);
        }
        var parts = operators.Select((a, l) => new LevelParts(a, StencilSmoothers3D.Create(options.Smoother, a, options.Threads),
            l < transfers.Count ? transfers[l] : null)).ToArray();
        var coarsest = operators[^1];
        Action<double[], double[]>? direct = coarsest.Size <= MaxDenseCoarseSize ? new DenseLu(coarsest.ToDense()).Solve : null;
        return (options, parts, operators.ToArray(), direct, watch.Elapsed.TotalSeconds);
    }
}
