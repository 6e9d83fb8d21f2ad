// Neural warm start: a trained Darcy operator's prediction as the initial guess of conjugate
// gradients preconditioned by Galerkin multigrid, against a zero guess, both to the same relative
// residual ||b - A x|| <= 1e-8 ||b||. The operator (FNO trained on 85 x 85 by default) is evaluated
// zero-shot on the finer grid; the warm start's wall time includes the inference.
//
// Beside it, the guesses a user could make instead on the grids 5 and 2 times coarser (85^2 and
// 211^2 under 421^2): the operator evaluated there, and the classical nested-iteration start, the
// multigrid solution there; both interpolated bilinearly to the fine grid. Each guess's relative
// energy-norm error against the fine grid's discrete solution says what it is worth: multigrid
// removes a fixed share of the error per iteration, so the iterations a guess saves grow with the
// logarithm of that error, not with its L2 accuracy. Last, the accuracy the operator would need: its
// best guess's error shrunk k times, u_h + (x0 - u_h) / k, as a start (a measurement, not a method).
// The process runs under pdeops' own settings for libtorch (HostTuning.Apply, first thing).
//   dotnet run --project examples/NeuralWarmStart -c Release -- [model folder] [samples] [grid size] [json output]
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Runtime;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Elliptic;

HostTuning.Apply();
string modelFolder = args.Length > 0 ? args[0] : "bench/results/checkpoints/darcy85-fno";
int samples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
int size = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 421;
string? jsonPath = args.Length > 3 ? args[3] : null;
const double tolerance = 1e-8;
const long seed = 1234; // coefficients the operator never saw in training
int[] strides = [.. new[] { 5, 2 }.Where(s => (size - 1) % s == 0 && (size - 1) / s >= 4)];

TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
using var op = NeuralOperator.Load(modelFolder);
var options = new EllipticSolverOptions { RelativeTolerance = tolerance };

// Each guess maps (coefficient, fine problem) to a full vertex field on the fine grid.
var guesses = new List<(string Name, Func<double[,], double[,]> Make)> { ($"operator at {size}^2", a => Predict(op, a)) };
foreach (int stride in strides)
{
    int coarse = (size - 1) / stride + 1;
    guesses.Add(($"operator at {coarse}^2, interpolated", a => Interpolate(Predict(op, Subsample(a, stride)), stride)));
    guesses.Add(($"multigrid at {coarse}^2, interpolated", a => Interpolate(SolveDarcy(Subsample(a, stride), options).U, stride)));
}

// The guess whose error is shrunk: the operator on the 5 times coarser grid when there is one (its best), else on the fine grid.
int shapeGuess = strides.Length > 0 ? 1 : 0;
int[] shrinkFactors = [2, 4, 8, 16];

var cold = new List<(int Iterations, double Seconds)>();
var warm = guesses.Select(_ => new List<(int Iterations, double Seconds, double GuessSeconds, double EnergyError)>()).ToArray();
var shrunk = shrinkFactors.Select(_ => new List<(int Iterations, double EnergyError)>()).ToArray();
for (int s = 0; s < samples; s++)
{
    var a = TwoPhaseCoefficient.Sample(size, seed, s);
    var problem = DarcyProblem(a);
    var watch = Stopwatch.StartNew();
    var exact = EllipticSolver2D.Solve(problem, options);
    exact.Result.EnsureConverged("cold solve");
    cold.Add((exact.Result.Iterations, watch.Elapsed.TotalSeconds));
    var line = string.Create(CultureInfo.InvariantCulture, $"sample {s}: zero guess {exact.Result.Iterations} iterations {watch.Elapsed.TotalSeconds:F3} s");

    var made = new double[guesses.Count][,];
    for (int g = 0; g < guesses.Count; g++)
    {
        watch.Restart();
        var guess = made[g] = guesses[g].Make(a);
        double guessSeconds = watch.Elapsed.TotalSeconds;
        var solved = EllipticSolver2D.SolveFrom(problem, guess, options).Result.EnsureConverged($"solve from the {guesses[g].Name}");
        double seconds = watch.Elapsed.TotalSeconds;
        double error = RelativeEnergyError(exact.System, guess, exact.U);
        warm[g].Add((solved.Iterations, seconds, guessSeconds, error));
        string label = g == 0 ? "operator guess" : guesses[g].Name;
        line += string.Create(CultureInfo.InvariantCulture,
            $"; {label} {solved.Iterations} iterations {seconds:F3} s ({(g == 0 ? "inference" : "guess")} {guessSeconds:F3} s, energy error {100 * error:F1} %)");
    }
    for (int q = 0; q < shrinkFactors.Length; q++)
    {
        var start = Shrink(made[shapeGuess], exact.U, shrinkFactors[q]);
        var solved = EllipticSolver2D.SolveFrom(problem, start, options).Result.EnsureConverged($"solve from the error shrunk {shrinkFactors[q]} times");
        shrunk[q].Add((solved.Iterations, RelativeEnergyError(exact.System, start, exact.U)));
    }
    Console.WriteLine(line);
}

double coldIterations = cold.Average(r => r.Iterations), coldMedian = Median(cold.Select(r => r.Seconds));
var summaries = guesses.Select((g, k) => new
{
    guess = g.Name,
    mean_iterations = warm[k].Average(r => r.Iterations),
    iterations_saved_fraction = 1 - warm[k].Average(r => r.Iterations) / coldIterations,
    median_seconds_with_guess = Median(warm[k].Select(r => r.Seconds)),
    median_guess_seconds = Median(warm[k].Select(r => r.GuessSeconds)),
    median_relative_energy_error = Median(warm[k].Select(r => r.EnergyError)),
}).ToArray();
var main = summaries[0];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{samples} samples at {size}x{size}, relative residual {tolerance:G2}: mean PCG iterations {coldIterations:F2} from zero, {main.mean_iterations:F2} from the operator ({100 * main.iterations_saved_fraction:F1}% saved); " +
    $"median wall time {coldMedian:F3} s from zero, {main.median_seconds_with_guess:F3} s from the operator including inference (speed-up {coldMedian / main.median_seconds_with_guess:F2}x)"));
foreach (var other in summaries.Skip(1))
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{other.guess}: {other.mean_iterations:F2} iterations ({100 * other.iterations_saved_fraction:F1}% saved), median {other.median_seconds_with_guess:F3} s with the guess, energy error {100 * other.median_relative_energy_error:F1} %"));
var shrinking = shrinkFactors.Select((k, q) => new
{
    error_divided_by = k,
    mean_iterations = shrunk[q].Average(r => r.Iterations),
    iterations_saved_fraction = 1 - shrunk[q].Average(r => r.Iterations) / coldIterations,
    median_relative_energy_error = Median(shrunk[q].Select(r => r.EnergyError)),
}).ToArray();
foreach (var row in shrinking)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{guesses[shapeGuess].Name}, error divided by {row.error_divided_by}: energy error {100 * row.median_relative_energy_error:F2} %, {row.mean_iterations:F2} iterations ({100 * row.iterations_saved_fraction:F1}% saved)"));

if (jsonPath is not null)
{
    var summary = new
    {
        model = modelFolder,
        samples,
        grid = size,
        relative_residual = tolerance,
        mean_iterations_zero_guess = coldIterations,
        mean_iterations_operator_guess = main.mean_iterations,
        iterations_saved_fraction = main.iterations_saved_fraction,
        median_seconds_zero_guess = coldMedian,
        median_seconds_operator_guess_with_inference = main.median_seconds_with_guess,
        median_inference_seconds = main.median_guess_seconds,
        speedup = coldMedian / main.median_seconds_with_guess,
        energy_error_definition = "||x0 - u_h||_A / ||u_h||_A: the guess x0 against the discrete solution u_h of the fine grid, in the energy norm of its matrix",
        guesses = summaries,
        shrunk_error_definition = $"the {guesses[shapeGuess].Name} guess x0 with its error divided by k, u_h + (x0 - u_h) / k, as the start: the accuracy an operator with that error's shape would need",
        shrunk_error = shrinking,
        threads = Environment.ProcessorCount,
        machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
        command = $"dotnet run --project examples/NeuralWarmStart -c Release -- {string.Join(' ', args)}",
        written = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };
    File.WriteAllText(jsonPath, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
}

// -div(a grad u) = 1 on the unit square, u = 0 on its sides: the FNO Darcy benchmark.
static EllipticProblem2D DarcyProblem(double[,] a)
{
    int n = a.GetLength(0);
    var forcing = new double[n, n];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) forcing[j, i] = 1;
    return new EllipticProblem2D(n - 1, n - 1, a, new double[n, n], forcing, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
}

static EllipticSolution2D SolveDarcy(double[,] a, EllipticSolverOptions options)
{
    var solution = EllipticSolver2D.Solve(DarcyProblem(a), options);
    solution.Result.EnsureConverged("coarse solve");
    return solution;
}

static double[,] Predict(NeuralOperator op, double[,] a)
{
    int n = a.GetLength(0);
    var input = new float[n, n];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) input[j, i] = (float)a[j, i];
    var predicted = op.Predict(input);
    var field = new double[n, n];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) field[j, i] = predicted[j, i];
    return field;
}

// Every stride-th vertex: the same coefficient seen on a coarser grid.
static double[,] Subsample(double[,] fine, int stride)
{
    int n = fine.GetLength(0), m = (n - 1) / stride + 1;
    var coarse = new double[m, m];
    VertexGridTransfer.Subsample<double>(Flat(fine), n, stride, Flat(coarse));
    return coarse;
}

// Bilinear interpolation of a vertex field to the grid stride times finer.
static double[,] Interpolate(double[,] coarse, int stride)
{
    int m = coarse.GetLength(0), n = (m - 1) * stride + 1;
    var fine = new double[n, n];
    VertexGridTransfer.Interpolate<double>(Flat(coarse), m, stride, Flat(fine));
    return fine;
}

// u_h + (x0 - u_h) / k: the guess x0 with its error against the fine solution u_h divided by k.
static double[,] Shrink(double[,] guess, double[,] solution, int k)
{
    int n = guess.GetLength(0);
    var start = new double[n, n];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) start[j, i] = solution[j, i] + (guess[j, i] - solution[j, i]) / k;
    return start;
}

// A square array's values in row-major order, without a copy.
static Span<double> Flat(double[,] field) => MemoryMarshal.CreateSpan(ref field[0, 0], field.Length);

// ||x0 - u_h||_A / ||u_h||_A over the unknowns of the assembled system.
static double RelativeEnergyError(DiscreteEllipticSystem system, double[,] guess, double[,] solution)
{
    var x = Discretization2D.ToUnknowns(system, guess);
    var u = Discretization2D.ToUnknowns(system, solution);
    var error = x.Select((v, p) => v - u[p]).ToArray();
    return Math.Sqrt(system.Operator.EnergySquared(error) / system.Operator.EnergySquared(u));
}


static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
}
