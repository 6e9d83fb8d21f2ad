using System.CommandLine;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.TimeStepping;

namespace PdeOps.Cli.Commands.Solve;

/// <summary><c>pdeops solve heat</c>: u_t = div(a grad u) with implicit time stepping and multigrid in each step.</summary>
public static class HeatSolveCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var o = new SolveOptions(63, "cg");
        var dt = new Option<double>("--dt") { Description = "Time step", DefaultValueFactory = _ => 1e-3 };
        dt.RequirePositive();
        var t = new Option<double>("--t") { Description = "Final time", DefaultValueFactory = _ => 0.1 };
        t.RequirePositive();
        var scheme = new Option<string>("--scheme") { Description = "cn (Crank-Nicolson) or be (backward Euler)", DefaultValueFactory = _ => "cn" };
        scheme.AcceptOnlyFromAmong("cn", "be");
        var command = o.AddTo(new Command("heat",
            "Solve u_t = div(a grad u) on the unit square, u = 0 on the boundary, from u0 = sin(pi x) sin(pi y) " +
            "(exact: exp(-2 pi^2 t) u0 when a = 1); a from --coefficient"), elliptic: true);
        command.Options.Add(dt);
        command.Options.Add(t);
        command.Options.Add(scheme);
        command.SetAction(parse =>
        {
            o.CheckSupported(parse, gpuCapable: false);
            if (parse.GetValue(o.Bc) != "dirichlet") throw new UsageException("solve heat uses u = 0 on the boundary; --bc other than dirichlet is not offered here");
            var coefficient = parse.GetValue(o.Coefficient) is { } cs ? InputFields.Read(cs, parse.GetValue(o.Index), positive: true, "a", "coeff", "nu").Field : null;
            if (coefficient is not null)
            {
                InputFields.RequireSquare(coefficient, "--coefficient", parse.GetValue(o.Coefficient)!);
                if (parse.GetResult(o.N) is { Implicit: false } && coefficient.GetLength(0) != parse.GetValue(o.N) + 2)
                    throw new UsageException($"--coefficient is {coefficient.GetLength(0)} x {coefficient.GetLength(1)} vertices but --n {parse.GetValue(o.N)} asks for {parse.GetValue(o.N) + 2} x {parse.GetValue(o.N) + 2}; omit --n to take the grid from the file");
            }
            int intervals = coefficient is not null ? coefficient.GetLength(1) - 1 : parse.GetValue(o.N) + 1;
            double finalTime = parse.GetValue(t), step = parse.GetValue(dt);
            if (finalTime / step > int.MaxValue)
                throw new UsageException($"--t {finalTime} / --dt {step} is {finalTime / step:G3} steps; at most {int.MaxValue} are counted");
            int steps = (int)Math.Round(finalTime / step);
            if (steps < 1 || Math.Abs(steps * step - finalTime) > 1e-9 * finalTime)
                throw new UsageException($"--t {finalTime} is not a whole number of --dt {step} steps");
            string what = parse.GetValue(o.Coefficient) is { } given ? $"--coefficient {given} ({intervals + 1} x {intervals + 1}) with {steps} steps" : $"--n {parse.GetValue(o.N)} with {steps} steps";
            SolveBudget.Require(HeatSolver2D.EstimateBytes(intervals, intervals, new HeatOptions { TimeStep = step, Steps = steps }),
                ((double)intervals + 1) * (intervals + 1), 7, what);
            var a = coefficient ?? new double[intervals + 1, intervals + 1];
            var u0 = new double[intervals + 1, intervals + 1];
            for (int j = 0; j <= intervals; j++)
                for (int i = 0; i <= intervals; i++)
                {
                    if (coefficient is null) a[j, i] = 1;
                    u0[j, i] = Math.Sin(Math.PI * i / intervals) * Math.Sin(Math.PI * j / intervals);
                }
            var zero = new double[intervals + 1, intervals + 1];
            var spatial = new EllipticProblem2D(intervals, intervals, a, zero, zero, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
            var elliptic = o.Elliptic(parse);
            var options = new HeatOptions
            {
                TimeStep = step,
                Steps = steps,
                RelativeTolerance = elliptic.RelativeTolerance,
                MaxIterations = elliptic.MaxIterations,
                Multigrid = elliptic.Multigrid,
                Scheme = parse.GetValue(scheme) == "be" ? HeatScheme.BackwardEuler : HeatScheme.CrankNicolson,
            };
            var outputs = o.Outputs(parse);
            bool json = parse.GetValue(o.Json);
            var extra = new Dictionary<string, JsonNode?> { ["steps"] = steps, ["dt"] = step, ["t"] = finalTime };
            string method = $"{options.Scheme}, CG + Galerkin multigrid per step";
            var attributes = new Dictionary<string, object> { ["problem"] = "heat", ["scheme"] = options.Scheme.ToString(), ["dt"] = step, ["t"] = finalTime };
            Action<string, IReadOnlyDictionary<string, object>> Writer(double[,] u) => (path, status) =>
                FieldOutput.WriteHdf5(path, u, new Dictionary<string, double[,]> { ["a"] = a, ["u0"] = u0 }, FieldOutput.WithStatus(attributes, status));
            HeatSolution2D run;
            try
            {
                run = SolveProgress.Run("heat", json, report => HeatSolver2D.Solve(spatial, u0, options with { Progress = report }));
            }
            catch (SolverDidNotConvergeException e) when (e.State is double[,] state)
            {
                var failed = SolveReport.Create("heat", intervals - 1, (long)(intervals - 1) * (intervals - 1), e.Result, null, method, elliptic.Multigrid.Threads, extra);
                return outputs.Finish(failed, json, SolveFailure.Of(e.Result, options.RelativeTolerance, options.MaxIterations, e.What),
                    Writer(state), () => FieldOutput.HeatMap(state, $"heat, {e.What}, unconverged: u"));
            }
            double? maxErr = null;
            if (coefficient is null)
            {
                double decay = Math.Exp(-2 * Math.PI * Math.PI * finalTime), worst = 0;
                for (int j = 0; j <= intervals; j++)
                    for (int i = 0; i <= intervals; i++) worst = Math.Max(worst, Math.Abs(run.Final[j, i] - decay * u0[j, i]));
                maxErr = worst;
            }
            // The report describes the last step's implicit solve (every step converged, or the
            // run would have stopped with an exception); totals go in the extra fields.
            var summary = run.Steps[^1] with { SolveSeconds = run.Seconds };
            extra["max_iterations_per_step"] = run.Steps.Max(s => s.Iterations);
            extra["total_iterations"] = run.Steps.Sum(s => s.Iterations);
            var report = SolveReport.Create("heat", intervals - 1, (long)(intervals - 1) * (intervals - 1), summary, maxErr,
                method, elliptic.Multigrid.Threads, extra);
            return outputs.Finish(report, json, SolveFailure.NonFinite(run.Final, $"u at t = {finalTime}"),
                Writer(run.Final), () => FieldOutput.HeatMap(run.Final, $"heat, t = {finalTime}: u"));
        });
        return command;
    }
}
