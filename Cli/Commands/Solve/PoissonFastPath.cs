using System.CommandLine;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Solvers.Gpu;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Cli.Commands.Solve;

/// <summary>
/// The constant-coefficient Dirichlet Poisson case on the specialised five-point multigrid
/// (<see cref="PoissonMultigrid2D"/>): V, W, F cycles or full multigrid.
/// </summary>
public static class PoissonFastPath
{
    /// <summary>Runs the solve the parsed options describe.</summary>
    public static int Run(ParseResult parse, SolveOptions o)
    {
        var outputs = o.Outputs(parse);
        string cycle = parse.GetValue(o.Cycle)!;
        bool fmg = cycle == "fmg";
        var options = new MultigridOptions
        {
            Cycle = fmg ? CycleType.V : Enum.Parse<CycleType>(cycle),
            Smoother = parse.GetValue(o.Smoother) switch
            {
                "jacobi" => SmootherKind.WeightedJacobi,
                "rbgs" => SmootherKind.GaussSeidel,
                _ => throw new UsageException("the Poisson multigrid smooths with rbgs or jacobi; chebyshev needs --krylov cg (the general solver)"),
            },
            RelativeTolerance = parse.GetValue(o.Tol),
            MaxCycles = parse.GetValue(o.MaxIterations),
            Threads = parse.GetValue(o.Threads),
            PreSmoothing = SolveOptions.Sweeps(parse, o.Pre, 2),
            PostSmoothing = SolveOptions.Sweeps(parse, o.Post, 1),
        };
        options.Validated();
        // With fmg, --max-iterations counts the V-cycles after the FMG pass; its default there is 1.
        int extra = parse.GetResult(o.MaxIterations) is { Implicit: false } ? parse.GetValue(o.MaxIterations) : 1;
        var precision = parse.GetValue(o.Precision) == "single" ? GpuPrecision.Single : GpuPrecision.Double;
        if (precision == GpuPrecision.Single && parse.GetValue(o.Device) == "cpu")
            throw new UsageException("--precision single applies to --device gpu or ilgpu-cpu; the native CPU path computes in double");
        int n = parse.GetValue(o.N);
        SolveBudget.Require(PoissonMultigrid2D.EstimateBytes(n), ((double)n + 2) * (n + 2), 6, $"--n {n}");
        var outcome = PoissonWorkflow.Solve(parse.GetValue(o.N), options, fmg ? extra : -1, parse.GetValue(o.Device)!, precision);
        string method = (fmg ? $"FMG + V({options.PreSmoothing},{options.PostSmoothing})" : $"{options.Cycle}({options.PreSmoothing},{options.PostSmoothing})")
                        + $" {PoissonWorkflow.SmootherName(options.Smoother, fivePoint: true)}, rediscretised five-point levels";
        var report = SolveReport.Create("poisson", outcome.Grid.Nx, outcome.Grid.Unknowns, outcome.Result, outcome.MaxError, method, options.Threads,
            new Dictionary<string, JsonNode?> { ["cycle"] = cycle, ["cycles"] = outcome.Result.Iterations, ["device"] = outcome.Device });
        var failure = SolveFailure.Of(outcome.Result, options.RelativeTolerance, fmg ? extra : options.MaxCycles);
        return outputs.Finish(report, parse.GetValue(o.Json), failure,
            (path, status) => PoissonWorkflow.WriteHdf5(outcome, options, path, status), () => PoissonWorkflow.Plot(outcome));
    }
}
