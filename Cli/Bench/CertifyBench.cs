using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using PdeOps.Cli.Infrastructure;
using PdeOps.Cli.Workflows;
using PdeOps.Datasets.Readers;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Runtime;
using PdeOps.Physics.Problems;
using PdeOps.Plotting;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Cli.Bench;

/// <summary>
/// <c>pdeops bench certify</c>: certified prediction (<c>pdeops predict --certify</c>) against solving
/// every sample with multigrid to the same guaranteed tolerance, in one run. The tolerance defaults
/// to twice the operator's median relative energy-norm error on the samples; every answer's true
/// error is checked against a tight solve, and the bound's efficiency index (bound over true error)
/// is reported.
/// </summary>
public static class CertifyBench
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run folder of a Darcy operator", Required = true };
        var data = new Option<string>("--data") { Description = "Darcy dataset made by 'pdeops generate darcy'", Required = true };
        var samples = new Option<int?>("--samples") { Description = "Use only the first N samples" }.RequireAtLeast(1);
        var factor = new Option<double>("--tol-factor") { Description = "Tolerance as a multiple of the operator's median relative energy-norm error", DefaultValueFactory = _ => 2 }.RequirePositive();
        var threads = CommonOptions.Threads();
        var predictGrid = CommonOptions.PredictGrid();
        var repeatOption = new Option<int>("--repeats") { Description = "Time both paths this many times, alternating; the report gives medians", DefaultValueFactory = _ => 1 }.RequireAtLeast(1);
        var batch = new Option<int>("--batch") { Description = "Samples per pass, as 'pdeops predict --batch': multigrid solves a pass's samples side by side, one per thread; on the certified path each thread predicts and certifies passes of at most this many", DefaultValueFactory = _ => 20 }.RequireAtLeast(1);
        var output = new Option<string?>("--out") { Description = "Also write the JSON report to this file" };
        var plot = new Option<string?>("--plot") { Description = "Figure (.png or .svg): each prediction's relative error bound against its true error, with the tolerance" };
        var command = new Command("certify", "Certified prediction against multigrid at the same guaranteed tolerance (Darcy)")
        {
            model, data, samples, factor, predictGrid, batch, repeatOption, threads, output, plot,
        };
        command.SetAction(parse =>
        {
            string? plotPath = parse.GetValue(plot);
            if (plotPath is not null && Path.GetExtension(plotPath).ToLowerInvariant() is not (".png" or ".svg"))
                throw new UsageException($"--plot must end in .png or .svg, got '{plotPath}'");
            TorchRuntime.SetThreads(parse.GetValue(threads));
            using var op = NeuralOperator.Load(parse.GetValue(model)!);
            var set = CommonOptions.ReadSamples(parse.GetValue(data)!, parse.GetValue(samples));
            var coefficient = set.Input(op.InputNames[0]);
            int[] grid = coefficient.Shape[^2..];
            int n = grid[0], count = set.Samples, points = n * n;
            var certifier = CertifiedPrediction.For(set, op.InputNames, op.OutputNames, grid, 0.5, TorchRuntime.Threads);
            var nested = parse.GetValue(predictGrid) is { } coarse ? NestedGridPrediction.For(op, set, grid, coarse, TorchRuntime.Threads) : null;
            // One sample's prediction on the data's grid (untimed: the operator's own errors fix the tolerance).
            var prediction = new float[points];
            float[] Predict(int s)
            {
                if (nested is not null) nested.PredictSamples([coefficient], s, 1, prediction, 0);
                else op.Predict(coefficient.Sample(s), prediction, n, n);
                return prediction;
            }

            // Untimed: the discrete solutions and the operator's true errors, which fix the tolerance.
            var exact = new double[count][];
            var predictionErrors = new double[count];
            var efficiency = new double[count];
            var crudeEfficiency = new double[count];
            var relativeBounds = new double[count];
            for (int s = 0; s < count; s++)
            {
                var problem = certifier.Problem(coefficient.Sample(s), n);
                exact[s] = Discretization2D.ToUnknowns(Discretization2D.Assemble(problem), EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-11 }).U);
                var predicted = Predict(s);
                var (absolute, relative, bound, crude, relativeBound) = EnergyError(problem, exact[s], predicted, n);
                (predictionErrors[s], relativeBounds[s]) = (relative, relativeBound);
                efficiency[s] = bound / absolute;
                crudeEfficiency[s] = crude / absolute;
            }
            double tolerance = parse.GetValue(factor) * Statistics.Median(predictionErrors);
            if (!(tolerance < 1)) throw new InvalidOperationException($"the tolerance {tolerance:G3} (from the operator's median error) is not below 1: nothing to certify");
            certifier = CertifiedPrediction.For(set, op.InputNames, op.OutputNames, grid, tolerance, TorchRuntime.Threads);
            // Untimed: the generator's multigrid gets the loosest residual tolerance under which every sample meets the tolerance.
            using var generator = GeneratorMultigrid(certifier, coefficient, exact, n, tolerance);
            using var pipeline = CertifiedPipeline.Create(op, () => NeuralOperator.Load(parse.GetValue(model)!), certifier, set, grid, parse.GetValue(predictGrid), parse.GetValue(batch));

            // The two paths alternate, so that a slow spell of a shared machine falls on both; the report gives medians.
            int perPass = parse.GetValue(batch), repeats = parse.GetValue(repeatOption);
            // Each path writes its answers (n x n floats, as 'pdeops predict' stores them) into a buffer of its own.
            float[] multigridAnswers = new float[(long)count * points], certifiedAnswers = new float[(long)count * points];
            var multigridRuns = new List<double>();
            var certifiedRuns = new List<double>();
            var inferenceRuns = new List<double>();
            var generatorRuns = new List<double>();
            double multigridWorst = 0, certifiedWorst = 0, generatorWorst = 0;
            int accepted = 0, iterations = 0;
            for (int k = 0; k < repeats; k++)
            {
                // Multigrid takes the samples in passes of --batch and solves a pass's samples side by side.
                var multigrid = Run(count, perPass, (first, size) => certifier.CertifyRange(coefficient, first, size, n, null, 0, multigridAnswers, (long)first * points),
                    multigridAnswers, certifier, coefficient, exact, n);
                var (generatorSeconds, generatorAnswers) = Time(count, perPass, (first, size) => generator.SolveRange(coefficient, first, size));
                generatorRuns.Add(generatorSeconds);
                generatorWorst = Math.Max(generatorWorst, WorstError(Narrow(generatorAnswers, n), certifier, coefficient, exact, n));
                // The certified path as 'pdeops predict --certify' runs it: every thread predicts and certifies its own passes.
                var certified = Run(count, count, (first, size) => pipeline.Run(coefficient, first, size, certifiedAnswers, (long)first * points),
                    certifiedAnswers, certifier, coefficient, exact, n);
                multigridRuns.Add(multigrid.Seconds);
                certifiedRuns.Add(certified.Seconds);
                inferenceRuns.Add(pipeline.InferenceSeconds);
                // Every repeat's answers are checked; the paths are deterministic, so the counts are the same each time.
                (multigridWorst, certifiedWorst) = (Math.Max(multigridWorst, multigrid.Worst), Math.Max(certifiedWorst, certified.Worst));
                (accepted, iterations) = (certified.Accepted, certified.Iterations);
            }
            double multigridSeconds = Statistics.Median(multigridRuns), certifiedSeconds = Statistics.Median(certifiedRuns);
            double generatorMedian = Statistics.Median(generatorRuns);

            // Paths relative to the working folder (the repository root for bench/certify/run.sh), so reports carry no machine's layout.
            var report = new JsonObject
            {
                ["benchmark"] = "certified-prediction",
                ["model"] = Path.GetRelativePath(Environment.CurrentDirectory, parse.GetValue(model)!),
                ["data"] = Path.GetRelativePath(Environment.CurrentDirectory, set.SourcePath),
                ["samples"] = count,
                ["batch"] = perPass,
                ["samples_side_by_side"] = Math.Min(perPass, certifier.Threads),
                ["grid"] = n,
                ["prediction"] = nested is null ? $"the operator on the {n}^2 grid" : $"the operator on the nested {nested.Coarse}^2 grid, interpolated bilinearly to {n}^2",
                ["norm"] = "relative error in the discrete energy norm ||u_h - u||_A / ||u_h||_A against the discrete solution u_h of the same grid",
                ["bound"] = "||e||_A <= eta = ||D L^-1 r||_(W^-1), the constant-coefficient flux measured with the face coefficients W (L = D^T D: five-point Dirichlet Laplacian, by sine transform); efficiency index in [1, sqrt(max a / min a)]; relative bound eta over max(||x||_A - eta, sqrt(x^T A x + 2 x^T r))",
                ["operator_median_error"] = Statistics.Median(predictionErrors),
                ["tolerance"] = tolerance,
                ["accepted_as_predicted"] = accepted,
                ["mean_iterations_when_finished"] = accepted < count ? (double)iterations / (count - accepted) : 0,
                ["certified_seconds"] = certifiedSeconds,
                ["certified_inference_seconds"] = Statistics.Median(inferenceRuns),
                ["multigrid_seconds"] = multigridSeconds,
                ["speedup"] = multigridSeconds / certifiedSeconds,
                ["repeats"] = repeats,
                ["speedup_per_repeat"] = new JsonArray([.. multigridRuns.Zip(certifiedRuns, (m, c) => (JsonNode)(m / c))]),
                ["worst_true_error_certified"] = certifiedWorst,
                ["worst_true_error_multigrid"] = multigridWorst,
                ["generator_multigrid"] = new JsonObject
                {
                    ["solver"] = "DirichletDiffusionSolver2D (pdeops generate darcy's multigrid: storage kept between samples, one solver per thread, samples side by side), stopped on a relative residual",
                    ["relative_residual_tolerance"] = generator.Tolerance,
                    ["tolerance_choice"] = "the loosest of " + string.Join(", ", GeneratorMultigridBaseline.Ladder) + " under which every sample's true error is within the tolerance (known only to the benchmark; favours this baseline)",
                    ["seconds"] = generatorMedian,
                    ["worst_true_error"] = generatorWorst,
                    ["speedup_of_certified"] = generatorMedian / certifiedSeconds,
                    ["speedup_of_certified_per_repeat"] = new JsonArray([.. generatorRuns.Zip(certifiedRuns, (g, c) => (JsonNode)(g / c))]),
                },
                ["efficiency_index_definition"] = "energy-norm bound eta over the true energy-norm error of each prediction",
                ["efficiency_index_median"] = Statistics.Median(efficiency),
                ["efficiency_index_max"] = efficiency.Max(),
                ["efficiency_index_min"] = efficiency.Min(),
                ["efficiency_index_median_min_coefficient_bound"] = Statistics.Median(crudeEfficiency),
                ["threads"] = TorchRuntime.Threads,
                ["machine"] = MachineDescription.Collect(),
                ["command"] = "pdeops " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
                ["written"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            };
            if (plotPath is not null) FigureExport.Save(BoundFigure(predictionErrors, relativeBounds, tolerance), plotPath);
            return BenchReport.Emit(report, parse.GetValue(output));
        });
        return command;
    }

    // Times one path over all samples, pass by pass (first sample, samples); returns its seconds, the worst true error,
    // how many were accepted as given, and the iterations spent.
    static (double Seconds, double Worst, int Accepted, int Iterations) Run(int count, int perPass, Func<int, int, CertifiedSample[]> pass,
        float[] answers, CertifiedPrediction certifier, FieldArray coefficient, double[][] exact, int n)
    {
        var (seconds, records) = Time(count, perPass, pass);
        double worst = WorstError(answers, certifier, coefficient, exact, n);
        return (seconds, worst, records.Count(a => a.AcceptedAsGiven), records.Sum(a => a.Iterations));
    }

    // One path's answers for all samples, pass by pass (first sample, samples), and its seconds.
    static (double Seconds, T[] Answers) Time<T>(int count, int perPass, Func<int, int, T[]> pass)
    {
        var answers = new T[count];
        // Every path starts on a collected heap: the garbage of the untimed checks and of the other paths is not collected in its time.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var watch = Stopwatch.StartNew();
        for (int first = 0; first < count; first += perPass) pass(first, Math.Min(perPass, count - first)).CopyTo(answers, first);
        return (watch.Elapsed.TotalSeconds, answers);
    }

    // The largest true relative energy-norm error of the answers (n x n float32 fields in sample order).
    static double WorstError(float[] answers, CertifiedPrediction certifier, FieldArray coefficient, double[][] exact, int n)
    {
        double worst = 0;
        int points = n * n;
        for (int s = 0; s < exact.Length; s++)
            worst = Math.Max(worst, TrueError(certifier.Problem(coefficient.Sample(s), n), exact[s], answers.AsSpan(s * points, points), n).Relative);
        return worst;
    }

    // Vertex fields in sample order as consecutive n x n float32 fields, as they are stored.
    static float[] Narrow(double[][,] fields, int n)
    {
        var values = new float[(long)fields.Length * n * n];
        for (int s = 0; s < fields.Length; s++)
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++) values[((long)s * n + j) * n + i] = (float)fields[s][j, i];
        return values;
    }

    // The generator's multigrid at the loosest residual tolerance of its ladder that keeps every sample's true error within the tolerance.
    static GeneratorMultigridBaseline GeneratorMultigrid(CertifiedPrediction certifier, FieldArray coefficient, double[][] exact, int n, double tolerance)
    {
        foreach (double residual in GeneratorMultigridBaseline.Ladder)
        {
            var candidate = new GeneratorMultigridBaseline(certifier, n, residual);
            if (WorstError(Narrow(candidate.SolveRange(coefficient, 0, exact.Length), n), certifier, coefficient, exact, n) <= tolerance) return candidate;
            candidate.Dispose();
        }
        throw new InvalidOperationException($"the generator's multigrid misses the tolerance {tolerance:G3} even at relative residual {GeneratorMultigridBaseline.Ladder[^1]:G1}");
    }

    // Each prediction's relative bound against its true relative error (log-log), the line where the
    // two agree, and the tolerance a bound must not exceed.
    static OxyPlot.PlotModel BoundFigure(double[] trueErrors, double[] bounds, double tolerance)
    {
        var finite = Enumerable.Range(0, trueErrors.Length).Where(s => double.IsFinite(bounds[s]) && trueErrors[s] > 0).ToArray();
        double[] x = [.. finite.Select(s => trueErrors[s])], y = [.. finite.Select(s => bounds[s])];
        double low = Math.Min(x.DefaultIfEmpty(tolerance).Min(), tolerance) / 1.2, high = Math.Max(x.DefaultIfEmpty(tolerance).Max(), tolerance) * 1.2;
        int unbounded = trueErrors.Length - finite.Length;
        return ScatterFigure.Create($"Certified prediction: guaranteed bound against true error ({trueErrors.Length} samples{(unbounded > 0 ? $", {unbounded} without a finite bound" : "")})",
            "true relative energy-norm error", "relative error bound", "bound of each prediction", x, y,
            [("bound = true error", [low, high], [low, high]), ($"tolerance T = {tolerance:G3}", [low, high], [tolerance, tolerance])],
            logX: true, logY: true);
    }

    // ||u_h - u||_A and ||u_h - u||_A / ||u_h||_A for a field u on the vertex grid, with the system and u's unknowns.
    static (double Absolute, double Relative, DiscreteEllipticSystem System, double[] Unknowns) TrueError(EllipticProblem2D problem, double[] exact, ReadOnlySpan<float> u, int n)
    {
        var system = Discretization2D.Assemble(problem);
        var field = new double[n, n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) field[j, i] = u[j * n + i];
        var x = Discretization2D.ToUnknowns(system, field);
        var e = new double[x.Length];
        for (int k = 0; k < e.Length; k++) e[k] = exact[k] - x[k];
        double absolute = Math.Sqrt(system.Operator.EnergySquared(e));
        return (absolute, absolute / Math.Sqrt(system.Operator.EnergySquared(exact)), system, x);
    }

    // The true error of a prediction and its bounds: eta, the minimum-coefficient bound and the relative bound.
    static (double Absolute, double Relative, double Bound, double MinCoefficientBound, double RelativeBound) EnergyError(EllipticProblem2D problem, double[] exact, ReadOnlySpan<float> u, int n)
    {
        var (absolute, relative, system, x) = TrueError(problem, exact, u, n);
        var r = new double[x.Length];
        system.Operator.Residual(x, system.RightHandSide, r);
        using var bound = new EnergyErrorBound(system);
        return (absolute, relative, bound.EnergyBound(r), bound.MinCoefficientBound(r), bound.Estimate(x, r).RelativeBound);
    }
}
