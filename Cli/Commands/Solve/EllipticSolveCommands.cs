using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Cli.Commands.Solve;

/// <summary><c>pdeops solve poisson|darcy|helmholtz</c>: elliptic problems on the unit square.</summary>
public static class EllipticSolveCommands
{
    /// <summary>-lap u = f, or -div(a grad u) = f with --coefficient.</summary>
    public static Command Poisson()
    {
        var o = new SolveOptions(127, "none");
        var command = o.AddTo(new Command("poisson",
            "Solve -div(a grad u) = f (a = 1 by default). Without --forcing: the exact case u = sin(pi x) sin(pi y) " +
            "(cos 2 pi t along periodic axes; with u = 0 on the boundary this is hypre's Poisson example), so max_err is reported"), elliptic: true);
        command.SetAction(parse =>
        {
            o.CheckSupported(parse, gpuCapable: true, threeD: true);
            if (o.ThreeD(parse)) return Elliptic3DRun.Poisson(parse, o);
            var bc = o.Boundaries(parse);
            bool fastPath = parse.GetValue(o.Coefficient) is null && parse.GetValue(o.Forcing) is null
                && bc == BoundaryConditions2D.All(BoundaryKind.Dirichlet) && parse.GetValue(o.Krylov) == "none";
            if (fastPath) return PoissonFastPath.Run(parse, o);
            if (parse.GetValue(o.Device) != "cpu")
                throw new UsageException("--device gpu/ilgpu-cpu runs the constant-coefficient Dirichlet Poisson multigrid only (no --coefficient, --forcing, --bc or --krylov)");
            // sin(pi t) along each axis, cos(2 pi t) along periodic ones (smooth across the seam).
            Func<double, double> fx = ExactFactor(bc.PeriodicX), fy = ExactFactor(bc.PeriodicY);
            var exact = new ManufacturedElliptic2D((x, y) => fx(x) * fy(y), (_, _) => 1.0, (_, _) => 0.0);
            return RunElliptic(parse, o, "poisson", bc, exact, reaction: null);
        });
        return command;
    }

    /// <summary>-div(a grad u) = 1, u = 0: the FNO Darcy benchmark's equation.</summary>
    public static Command Darcy()
    {
        var o = new SolveOptions(255, "cg");
        var command = o.AddTo(new Command("darcy",
            "Solve -div(a grad u) = f (f = 1 by default) with u = 0 on the boundary; a from --coefficient, " +
            "or a built-in two-phase 12/3 field"), elliptic: true);
        command.SetAction(parse =>
        {
            o.CheckSupported(parse, gpuCapable: false, threeD: true);
            if (o.ThreeD(parse)) return Elliptic3DRun.Darcy(parse, o);
            return RunElliptic(parse, o, "darcy", o.Boundaries(parse), exact: null, reaction: null,
                defaultCoefficient: BuiltInDarcyCoefficient.At, defaultForcing: (_, _) => 1.0);
        });
        return command;
    }

    /// <summary>-div(a grad u) - k^2 u = f, indefinite.</summary>
    public static Command Helmholtz()
    {
        var o = new SolveOptions(127, "gmres", maxIterations: 1000);
        var k = new Option<double>("--k") { Description = "Wave number (constant); ignored with --wavenumber", DefaultValueFactory = _ => 15 };
        k.RequirePositive();
        // -k^2 enters the operator: its square must be a number.
        k.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && double.TryParse(r.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && !double.IsFinite(v * v))
                r.AddError($"--k {r.Tokens[0].Value} is too large: its square, which the operator holds, is beyond double precision");
        });
        var kField = new Option<string?>("--wavenumber") { Description = "Wave number k at the vertices: FILE.h5 or FILE.h5:DATASET (default dataset k)" };
        var command = o.AddTo(new Command("helmholtz",
            "Solve -div(a grad u) - k^2 u = f with GMRES or BiCGStab preconditioned by multigrid on the shifted operator " +
            "-div(a grad u) + k^2 u. Without --forcing: the exact case u = sin(pi x) sin(2 pi y) + x y"), elliptic: true);
        command.Options.Add(k);
        command.Options.Add(kField);
        command.SetAction(parse =>
        {
            o.CheckSupported(parse, gpuCapable: false);
            if (parse.GetValue(o.Krylov) is "cg" or "none") throw new UsageException("the Helmholtz operator is indefinite: use --krylov gmres or bicgstab");
            double kValue = parse.GetValue(k);
            double[,]? kVertices = parse.GetValue(kField) is { } spec ? InputFields.Read(spec, parse.GetValue(o.Index), "k").Field : null;
            Func<double, double, double> reaction = (_, _) => -kValue * kValue;
            var exact = kVertices is null
                ? new ManufacturedElliptic2D((x, y) => Math.Sin(Math.PI * x) * Math.Sin(2 * Math.PI * y) + x * y, (_, _) => 1.0, reaction)
                : null;
            return RunElliptic(parse, o, "helmholtz", o.Boundaries(parse), exact, reaction, reactionField: kVertices, helmholtz: true,
                extra: new Dictionary<string, JsonNode?> { ["k"] = kVertices is null ? kValue : null });
        });
        return command;
    }

    /// <summary>The factor of the built-in exact solution along one axis: sin(pi t), or cos(2 pi t) on a periodic axis.</summary>
    public static Func<double, double> ExactFactor(bool periodic) =>
        periodic ? t => Math.Cos(2 * Math.PI * t) : t => Math.Sin(Math.PI * t);

    static int RunElliptic(ParseResult parse, SolveOptions o, string name, BoundaryConditions2D bc,
        ManufacturedElliptic2D? exact, Func<double, double, double>? reaction,
        Func<double, double, double>? defaultCoefficient = null, Func<double, double, double>? defaultForcing = null,
        double[,]? reactionField = null, bool helmholtz = false, IReadOnlyDictionary<string, JsonNode?>? extra = null)
    {
        var outputs = o.Outputs(parse);
        int index = parse.GetValue(o.Index);
        var coefficient = parse.GetValue(o.Coefficient) is { } cs ? InputFields.Read(cs, index, positive: true, "a", "coeff", "nu").Field : null;
        var forcing = parse.GetValue(o.Forcing) is { } fs ? InputFields.Read(fs, index, "f").Field : null;
        if (coefficient is not null) InputFields.RequireSquare(coefficient, "--coefficient", parse.GetValue(o.Coefficient)!);
        if (forcing is not null) InputFields.RequireSquare(forcing, "--forcing", parse.GetValue(o.Forcing)!);
        if ((coefficient ?? forcing) is { } input && parse.GetResult(o.N) is { Implicit: false })
        {
            int n = parse.GetValue(o.N);
            if (input.GetLength(0) != n + 2)
                throw new UsageException($"{(coefficient is not null ? "--coefficient" : "--forcing")} is {input.GetLength(0)} x {input.GetLength(1)} vertices but --n {n} asks for {n + 2} x {n + 2}; omit --n to take the grid from the file");
        }
        int intervals = coefficient is not null ? coefficient.GetLength(1) - 1 : forcing is not null ? forcing.GetLength(1) - 1 : parse.GetValue(o.N) + 1;
        if (coefficient is not null && forcing is not null) InputFields.RequireSameShape(coefficient, "--coefficient", forcing, "--forcing");
        double[,] Sample(Func<double, double, double> g)
        {
            var v = new double[intervals + 1, intervals + 1];
            for (int j = 0; j <= intervals; j++) for (int i = 0; i <= intervals; i++) v[j, i] = g((double)i / intervals, (double)j / intervals);
            return v;
        }
        foreach (var (field, label) in new[] { (coefficient, "--coefficient"), (forcing, "--forcing"), (reactionField, "--wavenumber") })
            if (field is not null && (field.GetLength(0) != intervals + 1 || field.GetLength(1) != intervals + 1))
                throw new UsageException($"{label} is {field.GetLength(0)} x {field.GetLength(1)}; the grid has {intervals + 1} x {intervals + 1} vertices");
        var options = o.Elliptic(parse);
        string what = parse.GetValue(o.Coefficient) is { } given ? $"--coefficient {given} ({intervals + 1} x {intervals + 1})"
            : parse.GetValue(o.Forcing) is { } forced ? $"--forcing {forced} ({intervals + 1} x {intervals + 1})" : $"--n {parse.GetValue(o.N)}";
        double kMax = reactionField is not null ? reactionField.Cast<double>().Max(Math.Abs) : reaction is null ? 0 : Math.Sqrt(Math.Abs(reaction(0.5, 0.5)));
        SolveBudget.Require(helmholtz ? HelmholtzSolver2D.EstimateBytes(intervals, intervals, kMax, options) : EllipticSolver2D.EstimateBytes(intervals, intervals, options),
            ((double)intervals + 1) * (intervals + 1), 9, what);
        bool exactKnown = exact is not null && coefficient is null && forcing is null;
        var a = coefficient ?? Sample(defaultCoefficient ?? exact?.Diffusion ?? ((_, _) => 1.0));
        var c = reactionField is not null ? Sample((x, y) => 0) : Sample(reaction ?? ((_, _) => 0.0));
        if (reactionField is not null)
            for (int j = 0; j <= intervals; j++) for (int i = 0; i <= intervals; i++) c[j, i] = -reactionField[j, i] * reactionField[j, i];
        var f = forcing ?? Sample(exactKnown ? exact!.Forcing : defaultForcing ?? ((_, _) => 0.0));
        var data = exactKnown ? exact!.BoundaryData(bc) : null;
        var problem = new EllipticProblem2D(intervals, intervals, a, c, f, bc, data);
        var solution = helmholtz ? HelmholtzSolver2D.Solve(problem, options) : EllipticSolver2D.Solve(problem, options);
        double? maxErr = exactKnown ? ExactError.MaxAtUnitVertices(solution.U, exact!.Solution) : null;
        string method = $"{options.Krylov} + Galerkin multigrid {options.Multigrid.Cycle}({options.Multigrid.PreSmoothing},{options.Multigrid.PostSmoothing}) {PoissonWorkflow.SmootherName(options.Multigrid.Smoother, fivePoint: false)}";
        var report = SolveReport.Create(name, intervals - 1, solution.System.Operator.Size, solution.Result, maxErr, method, options.Multigrid.Threads, extra);
        report["bc"] = parse.GetValue(o.Bc);
        var attributes = new Dictionary<string, object>
        {
            ["problem"] = name,
            ["equation"] = "-div(a grad u) + c u = f",
            ["boundary_conditions"] = parse.GetValue(o.Bc)!,
            ["solver"] = method,
            ["relative_tolerance"] = options.RelativeTolerance,
            ["iterations"] = solution.Result.Iterations,
        };
        var failure = SolveFailure.Of(solution.Result, options.RelativeTolerance, options.MaxIterations);
        return outputs.Finish(report, parse.GetValue(o.Json), failure,
            (path, status) => FieldOutput.WriteHdf5(path, solution.U, new Dictionary<string, double[,]> { ["a"] = a, ["f"] = f, ["c"] = c },
                FieldOutput.WithStatus(attributes, status)),
            () => FieldOutput.HeatMap(solution.U, $"{name}, {intervals + 1}^2 vertices: u"));
    }
}
