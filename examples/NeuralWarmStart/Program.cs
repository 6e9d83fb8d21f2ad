// Neural warm start: a trained Darcy operator's prediction as the initial guess of conjugate
// gradients preconditioned by Galerkin multigrid, against a zero guess, both to the same relative
// residual ||b - A x|| <= 1e-8 ||b||. The operator (FNO trained on 85 x 85 by default) is evaluated
// zero-shot on the finer grid; the warm start's wall time includes the inference.
//   dotnet run --project examples/NeuralWarmStart -c Release -- [model folder] [samples] [grid size] [json output]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PdeOps.Operators.Inference;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Elliptic;

string modelFolder = args.Length > 0 ? args[0] : "bench/results/checkpoints/darcy85-fno";
int samples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
int size = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 421;
string? jsonPath = args.Length > 3 ? args[3] : null;
const double tolerance = 1e-8;
const long seed = 1234; // coefficients the operator never saw in training

TorchSharp.torch.set_num_threads(Environment.ProcessorCount);
using var op = NeuralOperator.Load(modelFolder);
var options = new EllipticSolverOptions { RelativeTolerance = tolerance };
var forcing = new double[size, size];
for (int j = 0; j < size; j++)
    for (int i = 0; i < size; i++) forcing[j, i] = 1;

var rows = new List<(int Cold, int Warm, double ColdSeconds, double WarmSeconds, double InferenceSeconds)>();
for (int s = 0; s < samples; s++)
{
    var a = TwoPhaseCoefficient.Sample(size, seed, s);
    var problem = new EllipticProblem2D(size - 1, size - 1, a, new double[size, size], forcing, BoundaryConditions2D.All(BoundaryKind.Dirichlet));

    var watch = Stopwatch.StartNew();
    var cold = EllipticSolver2D.Solve(problem, options).Result.EnsureConverged("cold solve");
    double coldSeconds = watch.Elapsed.TotalSeconds;

    watch.Restart();
    var input = new float[size, size];
    for (int j = 0; j < size; j++)
        for (int i = 0; i < size; i++) input[j, i] = (float)a[j, i];
    var predicted = op.Predict(input);
    var guess = new double[size, size];
    for (int j = 0; j < size; j++)
        for (int i = 0; i < size; i++) guess[j, i] = predicted[j, i];
    double inferenceSeconds = watch.Elapsed.TotalSeconds;
    var warm = EllipticSolver2D.SolveFrom(problem, guess, options).Result.EnsureConverged("warm solve");
    double warmSeconds = watch.Elapsed.TotalSeconds;

    rows.Add((cold.Iterations, warm.Iterations, coldSeconds, warmSeconds, inferenceSeconds));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"sample {s}: zero guess {cold.Iterations} iterations {coldSeconds:F3} s; operator guess {warm.Iterations} iterations {warmSeconds:F3} s (inference {inferenceSeconds:F3} s)"));
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]);
}

double coldIterations = rows.Average(r => r.Cold), warmIterations = rows.Average(r => r.Warm);
double coldMedian = Median(rows.Select(r => r.ColdSeconds)), warmMedian = Median(rows.Select(r => r.WarmSeconds));
double saved = 1 - warmIterations / coldIterations;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{samples} samples at {size}x{size}, relative residual {tolerance:G2}: mean PCG iterations {coldIterations:F2} from zero, {warmIterations:F2} from the operator ({100 * saved:F1}% saved); " +
    $"median wall time {coldMedian:F3} s from zero, {warmMedian:F3} s from the operator including inference (speed-up {coldMedian / warmMedian:F2}x)"));
if (jsonPath is not null)
{
    var summary = new
    {
        model = modelFolder,
        samples,
        grid = size,
        relative_residual = tolerance,
        mean_iterations_zero_guess = coldIterations,
        mean_iterations_operator_guess = warmIterations,
        iterations_saved_fraction = saved,
        median_seconds_zero_guess = coldMedian,
        median_seconds_operator_guess_with_inference = warmMedian,
        median_inference_seconds = Median(rows.Select(r => r.InferenceSeconds)),
        speedup = coldMedian / warmMedian,
        threads = Environment.ProcessorCount,
        machine = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
        command = $"dotnet run --project examples/NeuralWarmStart -c Release -- {string.Join(' ', args)}",
        written = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };
    File.WriteAllText(jsonPath, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
