using System.CommandLine;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Storage;
using PdeOps.Plotting;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Spectral;

namespace PdeOps.Cli.Commands.Solve;

/// <summary><c>pdeops solve burgers|navier-stokes</c>: periodic time-dependent problems, pseudo-spectral.</summary>
public static class SpectralSolveCommands
{
    /// <summary>Viscous Burgers on [0, 1), ETDRK4.</summary>
    public static Command Burgers()
    {
        var o = new SolveOptions(8192, "none");
        var nu = new Option<double>("--nu") { Description = "Viscosity", DefaultValueFactory = _ => 0.1 };
        nu.RequirePositive();
        var t = new Option<double>("--t") { Description = "Final time", DefaultValueFactory = _ => 1.0 };
        t.RequirePositive();
        var dt = new Option<double>("--dt") { Description = "Time step", DefaultValueFactory = _ => 1e-4 };
        dt.RequirePositive();
        var initial = new Option<string?>("--initial") { Description = "u0 at x_i = i/n: FILE.h5 or FILE.h5:DATASET (1D, or a row of a 2D stack with --index)" };
        var index = new Option<int>("--index") { Description = "Row of a 2D stack in --initial", DefaultValueFactory = _ => 0 };
        var command = o.AddTo(new Command("burgers",
            "Solve u_t + (u^2/2)_x = nu u_xx on the periodic interval [0, 1) (pseudo-spectral, 2/3 dealiasing, ETDRK4). " +
            "Without --initial: the exact Cole-Hopf case u = -2 nu phi_x / phi, phi = 2 + exp(-4 pi^2 nu t) cos(2 pi x)"), elliptic: false);
        foreach (var opt in new Option[] { nu, t, dt, initial, index }) command.Options.Add(opt);
        command.SetAction(parse =>
        {
            var outputs = o.Outputs(parse, ("--initial", parse.GetValue(initial)));
            double viscosity = parse.GetValue(nu), finalTime = parse.GetValue(t);
            CheckSchedule(finalTime, parse.GetValue(dt), recordInterval: null);
            double[] u0;
            bool exact = parse.GetValue(initial) is null;
            if (exact)
            {
                int n = parse.GetValue(o.N);
                if (n < 4 || n % 2 != 0) throw new UsageException($"--n must be even and at least 4 for the spectral Burgers solver, got {n}");
                SolveBudget.Require(Burgers1D.EstimateBytes(n), n, 5, $"--n {n}");
                u0 = Burgers1D.Grid(n).Select(x => ColeHopf(x, 0, viscosity)).ToArray();
            }
            else
            {
                u0 = ReadRow(parse.GetValue(initial)!, parse.GetValue(index));
                if (u0.Length < 4 || u0.Length % 2 != 0)
                    throw new UsageException($"--initial {parse.GetValue(initial)} has {u0.Length} points; the spectral Burgers solver needs an even number, at least 4");
                SolveBudget.Require(Burgers1D.EstimateBytes(u0.Length), u0.Length, 5, $"--initial {parse.GetValue(initial)} ({u0.Length} points)");
            }
            var options = new BurgersOptions { Viscosity = viscosity, FinalTime = finalTime, TimeStep = parse.GetValue(dt), GridPoints = u0.Length };
            var run = SolveProgress.Run("burgers", parse.GetValue(o.Json), report => Burgers1D.Solve(u0, options with { Progress = report }));
            var u = run.Snapshots[^1];
            var xs = Burgers1D.Grid(u.Length);
            double? maxErr = exact ? xs.Select((x, i) => Math.Abs(u[i] - ColeHopf(x, finalTime, viscosity))).Max() : null;
            var report = SolveReport.Create("burgers", u.Length, u.Length, Trajectory(run.Steps, run.SolveSeconds), maxErr,
                "pseudo-spectral, 2/3 dealiasing, ETDRK4 (Kassam-Trefethen contour coefficients)", 1,
                new Dictionary<string, JsonNode?> { ["nu"] = viscosity, ["t"] = finalTime, ["dt"] = run.StepSize, ["steps"] = run.Steps });
            return outputs.Finish(report, parse.GetValue(o.Json), SolveFailure.NonFinite(u, $"u at t = {finalTime}"),
                (path, status) =>
                {
                    var builder = new FieldFileBuilder().AddArray("u", u).AddArray("u0", u0).AddArray("x", xs)
                        .SetAttribute("problem", "burgers").SetAttribute("nu", viscosity).SetAttribute("t", finalTime).SetAttribute("dt", run.StepSize)
                        .SetAttribute("layout", "u[i] at x_i = i / n on the periodic interval [0, 1)")
                        .SetAttribute("pdeops_version", Versions.PdeOps);
                    foreach (var (key, value) in status) builder.SetAttribute(key, value);
                    builder.Write(path);
                },
                () => LineFigure.Create($"Burgers, nu = {viscosity}", "x", "u", [("u(x, 0)", xs, u0), ($"u(x, {finalTime})", xs, u)]));
        });
        return command;
    }

    /// <summary>2D Navier-Stokes in vorticity form on the periodic unit square.</summary>
    public static Command NavierStokes()
    {
        var o = new SolveOptions(64, "none");
        var nu = new Option<double>("--nu") { Description = "Viscosity", DefaultValueFactory = _ => 1e-3 };
        nu.RequirePositive();
        var t = new Option<double>("--t") { Description = "Final time", DefaultValueFactory = _ => 1.0 };
        t.RequirePositive();
        var dt = new Option<double>("--dt") { Description = "Time step", DefaultValueFactory = _ => 1e-3 };
        dt.RequirePositive();
        var fno = new Option<bool>("--fno-forcing") { Description = "Add the FNO forcing 0.1 (sin 2 pi (x + y) + cos 2 pi (x + y))" };
        var initial = new Option<string?>("--initial") { Description = "w0 on the n x n grid x_i = i/n: FILE.h5 or FILE.h5:DATASET" };
        var index = new Option<int>("--index") { Description = "Sample of an (N, H, W) stack in --initial", DefaultValueFactory = _ => 0 };
        var record = new Option<double?>("--record-interval")
        {
            Description = "Also store w every this much time (a whole number of steps that divides --t) as w_t (K, H, W) with times t in --out",
        };
        var command = o.AddTo(new Command("navier-stokes",
            "Solve w_t + u . grad w = nu lap w + f on the periodic unit square (pseudo-spectral, 2/3 dealiasing, Crank-Nicolson viscosity). " +
            "Without --initial: the Taylor-Green vortex w = 4 pi cos(2 pi x) cos(2 pi y), which decays as exp(-8 pi^2 nu t) when f = 0"), elliptic: false);
        foreach (var opt in new Option[] { nu, t, dt, fno, initial, index, record }) command.Options.Add(opt);
        command.SetAction(parse =>
        {
            var outputs = o.Outputs(parse, ("--initial", parse.GetValue(initial)));
            double viscosity = parse.GetValue(nu), finalTime = parse.GetValue(t);
            double? interval = parse.GetValue(record);
            CheckSchedule(finalTime, parse.GetValue(dt), interval);
            bool exact = parse.GetValue(initial) is null && !parse.GetValue(fno);
            int snapshots = interval is double every ? (int)Math.Round(finalTime / every) : 1;
            if (parse.GetValue(initial) is null)
            {
                int n = parse.GetValue(o.N);
                SolveBudget.Require(NavierStokes2D.EstimateBytes(n, n, snapshots), (double)n * n, 4 + snapshots, $"--n {n}" + (interval is null ? "" : $" with --record-interval {interval}"));
            }
            double[,] w0 = parse.GetValue(initial) is { } spec
                ? InputFields.Read(spec, parse.GetValue(index), "w0", "w", "a").Field
                : NavierStokes2D.Sample(parse.GetValue(o.N), parse.GetValue(o.N), TaylorGreen);
            if (parse.GetValue(initial) is { } given)
                SolveBudget.Require(NavierStokes2D.EstimateBytes(w0.GetLength(0), w0.GetLength(1), snapshots), (double)w0.Length, 4 + snapshots,
                    $"--initial {given} ({w0.GetLength(0)} x {w0.GetLength(1)})" + (interval is null ? "" : $" with --record-interval {interval}"));
            var options = new NavierStokesOptions
            {
                Viscosity = viscosity,
                FinalTime = finalTime,
                TimeStep = parse.GetValue(dt),
                RecordInterval = interval,
                Forcing = parse.GetValue(fno) ? NavierStokes2D.FnoForcing : NavierStokes2D.NoForcing,
                Threads = parse.GetValue(o.Threads),
            };
            var run = SolveProgress.Run("navier-stokes", parse.GetValue(o.Json), report => NavierStokes2D.Solve(w0, options with { Progress = report }));
            var w = run.Snapshots[^1];
            int ny = w.GetLength(0), nx = w.GetLength(1);
            double? maxErr = null;
            if (exact)
            {
                double decay = Math.Exp(-8 * Math.PI * Math.PI * viscosity * finalTime), worst = 0;
                for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) worst = Math.Max(worst, Math.Abs(w[j, i] - decay * w0[j, i]));
                maxErr = worst;
            }
            var report = SolveReport.Create("navier-stokes", nx, (long)nx * ny, Trajectory(run.Steps, run.SolveSeconds), maxErr,
                "pseudo-spectral vorticity, 2/3 dealiasing, Crank-Nicolson viscosity, Heun advection", options.Threads,
                new Dictionary<string, JsonNode?> { ["nu"] = viscosity, ["t"] = finalTime, ["dt"] = run.StepSize, ["steps"] = run.Steps });
            return outputs.Finish(report, parse.GetValue(o.Json), SolveFailure.NonFinite(w, $"w at t = {finalTime}"),
                (path, status) =>
                {
                    var builder = new FieldFileBuilder().AddArray("w", w).AddArray("w0", w0)
                        .AddArray("x", Enumerable.Range(0, nx).Select(i => (double)i / nx).ToArray())
                        .AddArray("y", Enumerable.Range(0, ny).Select(j => (double)j / ny).ToArray())
                        .SetAttribute("problem", "navier-stokes").SetAttribute("nu", viscosity).SetAttribute("t", finalTime).SetAttribute("dt", run.StepSize)
                        .SetAttribute("layout", "w[y, x] at x_i = i / n, y_j = j / n on the periodic unit square; w_t[k, y, x] at times t[k]")
                        .SetAttribute("pdeops_version", Versions.PdeOps);
                    if (interval is not null)
                    {
                        var stack = new double[run.Snapshots.Count, ny, nx];
                        for (int k = 0; k < run.Snapshots.Count; k++)
                            for (int j = 0; j < ny; j++) for (int i = 0; i < nx; i++) stack[k, j, i] = run.Snapshots[k][j, i];
                        builder.AddArray("w_t", stack).AddArray("t", run.Times.ToArray());
                    }
                    foreach (var (key, value) in status) builder.SetAttribute(key, value);
                    builder.Write(path);
                },
                () => HeatMapFigure.Create(w, $"vorticity at t = {finalTime}", 0, (nx - 1.0) / nx, 0, (ny - 1.0) / ny, "w",
                    OxyPlot.OxyPalettes.BlueWhiteRed(256)));
        });
        return command;
    }

    /// <summary>
    /// Refuses, as usage errors and before any work, a time grid the steppers cannot honour: a step
    /// longer than the run, more steps than an int counts, or a record interval that is not a whole
    /// number of steps dividing the final time (which would silently drop the tail of the run).
    /// </summary>
    static void CheckSchedule(double finalTime, double step, double? recordInterval)
    {
        if (step > finalTime) throw new UsageException($"--dt {step} is longer than --t {finalTime}");
        double steps = Math.Ceiling(finalTime / step * (1 - 1e-12));
        if (steps > int.MaxValue) throw new UsageException($"--t {finalTime} / --dt {step} is {steps:G3} steps; at most {int.MaxValue} are counted");
        if (recordInterval is not double interval) return;
        if (!(interval > 0) || !double.IsFinite(interval)) throw new UsageException($"--record-interval must be a positive number, got {interval}");
        if (interval > finalTime) throw new UsageException($"--record-interval {interval} is longer than --t {finalTime}");
        double k = finalTime / interval;
        if (k > 1e6) throw new UsageException($"--record-interval {interval} gives {k:G3} snapshots of --t {finalTime}; at most a million are stored");
        if (Math.Abs(k - Math.Round(k)) > 1e-9 * k)
            throw new UsageException($"--record-interval {interval} does not divide --t {finalTime} ({k:G6} intervals); choose one that does");
        try { _ = new StepSchedule(finalTime, step, Enumerable.Range(1, (int)Math.Round(k)).Select(i => i * interval).ToArray()); }
        catch (ArgumentException e) { throw new UsageException($"--record-interval {interval} is not a whole number of --dt steps ({e.Message})"); }
    }

    static double TaylorGreen(double x, double y) => 4 * Math.PI * Math.Cos(2 * Math.PI * x) * Math.Cos(2 * Math.PI * y);

    // u = -2 nu phi_x / phi with phi = 2 + exp(-4 pi^2 nu t) cos(2 pi x): an exact periodic Burgers solution.
    static double ColeHopf(double x, double t, double nu)
    {
        double e = Math.Exp(-4 * Math.PI * Math.PI * nu * t);
        return 2 * nu * 2 * Math.PI * e * Math.Sin(2 * Math.PI * x) / (2 + e * Math.Cos(2 * Math.PI * x));
    }

    static SolveResult Trajectory(int steps, double seconds) => new()
    {
        Iterations = steps,
        ResidualHistory = [],
        Reason = ConvergenceReason.CompletedFixedSchedule,
        SolveSeconds = seconds,
    };

    static double[] ReadRow(string spec, int index)
    {
        var (path, name) = InputFields.Split(spec);
        if (name.Length == 0) name = "u0";
        using var reader = new FieldFileReader(path);
        if (!reader.DatasetNames.Contains(name))
            throw new DataFileException(path, $"no dataset named '{name}' (datasets present: {string.Join(", ", reader.DatasetNames)}); name one as {path}:DATASET");
        var shape = reader.Dimensions(name);
        MemoryBudget.Require(2.0 * shape.Aggregate(1.0, (p, d) => p * d) * sizeof(double), $"--initial {spec} ({string.Join(" x ", shape)})");
        var (values, dims) = reader.ReadFlatDouble(name);
        for (long p = 0; p < values.Length; p++)
            if (!double.IsFinite(values[p]))
                throw new DataFileException(path, $"dataset '{name}' holds {values[p]} at flat index {p} (the first bad value); inputs must be finite");
        if (dims.Length == 1) return values;
        if (dims.Length != 2) throw new DataFileException(path, $"dataset '{name}' has {dims.Length} dimensions; expected (n) or (N, n)");
        int n = (int)dims[1];
        if (index < 0 || index >= (int)dims[0]) throw new DataFileException(path, $"row {index} is outside 0..{dims[0] - 1}");
        return values.AsSpan(index * n, n).ToArray();
    }
}
