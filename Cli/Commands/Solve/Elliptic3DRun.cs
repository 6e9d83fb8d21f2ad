using System.CommandLine;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic3D;
using PdeOps.Solvers.Multigrid;

namespace PdeOps.Cli.Commands.Solve;

/// <summary>
/// The <c>--dim 3</c> branch of <c>pdeops solve poisson|darcy</c>: built-in inputs on the unit cube
/// (field files are 2D only in this version), the 3D Galerkin multigrid inside a Krylov method.
/// </summary>
public static class Elliptic3DRun
{
    /// <summary>Poisson with the exact solution sin(pi x) sin(pi y) sin(pi z) (cos 2 pi t along periodic axes), any boundary kinds.</summary>
    public static int Poisson(ParseResult parse, SolveOptions o)
    {
        var bc = Boundaries(parse, o);
        Func<double, double> fx = EllipticSolveCommands.ExactFactor(bc.West == BoundaryKind.Periodic),
            fy = EllipticSolveCommands.ExactFactor(bc.South == BoundaryKind.Periodic),
            fz = EllipticSolveCommands.ExactFactor(bc.Bottom == BoundaryKind.Periodic);
        var exact = new ManufacturedElliptic3D((x, y, z) => fx(x) * fy(y) * fz(z), (_, _, _) => 1.0, (_, _, _) => 0.0);
        int m = Intervals(parse, o);
        return Run(parse, o, "poisson", exact.Problem(m, m, m, bc), exact.Solution);
    }

    /// <summary>-div(a grad u) = 1, u = 0, with a built-in two-phase 12/3 coefficient.</summary>
    public static int Darcy(ParseResult parse, SolveOptions o)
    {
        int m = Intervals(parse, o);
        var problem = EllipticProblem3D.FromFunctions(m, m, m, BuiltInDarcyCoefficient.At, (_, _, _) => 0.0, (_, _, _) => 1.0, Boundaries(parse, o));
        return Run(parse, o, "darcy", problem, exact: null);
    }

    static int Intervals(ParseResult parse, SolveOptions o)
    {
        if (parse.GetValue(o.Coefficient) is not null || parse.GetValue(o.Forcing) is not null)
            throw new UsageException("--dim 3 uses the built-in inputs; --coefficient and --forcing read 2D fields");
        if (parse.GetValue(o.Device) != "cpu") throw new UsageException("--dim 3 runs on --device cpu");
        int n = parse.GetValue(o.N), m = n + 1;
        var two = o.Elliptic(parse);
        double points = Math.Pow(m + 1.0, 3);
        SolveBudget.Require(EllipticSolver3D.EstimateBytes(m, m, m, two), points, 6, $"--dim 3 --n {n}");
        return m;
    }

    static BoundaryConditions3D Boundaries(ParseResult parse, SolveOptions o)
    {
        try { return BoundaryConditions3D.Parse(parse.GetValue(o.Bc)!); }
        catch (FormatException e) { throw new UsageException($"--bc: {e.Message}"); }
    }

    static int Run(ParseResult parse, SolveOptions o, string name, EllipticProblem3D problem, Func<double, double, double, double>? exact)
    {
        var outputs = o.Outputs(parse);
        var options = o.Elliptic(parse);
        if (options.Multigrid.Smoother == SmootherKind.Chebyshev) throw new UsageException("--dim 3 smooths with rbgs or jacobi");
        var solution = EllipticSolver3D.Solve(problem, options);
        int m = problem.IntervalsX;
        double? maxErr = exact is null ? null : ExactError.MaxAtUnitVertices(solution.U, exact);
        string method = $"{options.Krylov} + Galerkin multigrid {options.Multigrid.Cycle}({options.Multigrid.PreSmoothing},{options.Multigrid.PostSmoothing}) {PoissonWorkflow.SmootherName(options.Multigrid.Smoother, fivePoint: false)}, 3D";
        var report = SolveReport.Create(name, m - 1, solution.System.Operator.Size, solution.Result, maxErr, method, options.Multigrid.Threads);
        report["dim"] = 3;
        report["bc"] = parse.GetValue(o.Bc);
        var failure = SolveFailure.Of(solution.Result, options.RelativeTolerance, options.MaxIterations);
        return outputs.Finish(report, parse.GetValue(o.Json), failure,
            (path, status) =>
            {
                var builder = new FieldFileBuilder().AddArray("u", solution.U).AddArray("a", problem.A).AddArray("f", problem.F)
                    .SetAttribute("problem", name).SetAttribute("dim", 3).SetAttribute("boundary_conditions", parse.GetValue(o.Bc)!)
                    .SetAttribute("layout", "u[z, y, x] at the vertices of a uniform grid of the unit cube, boundary included")
                    .SetAttribute("solver", method).SetAttribute("relative_tolerance", options.RelativeTolerance)
                    .SetAttribute("iterations", solution.Result.Iterations)
                    .SetAttribute("pdeops_version", Versions.PdeOps);
                foreach (var (key, value) in status) builder.SetAttribute(key, value);
                builder.Write(path);
            },
            () =>
            {
                var slice = new double[m + 1, m + 1];
                for (int j = 0; j <= m; j++) for (int i = 0; i <= m; i++) slice[j, i] = solution.U[m / 2, j, i];
                return FieldOutput.HeatMap(slice, $"{name} 3D, z = {(double)(m / 2) / m:0.###}: u");
            });
    }
}
