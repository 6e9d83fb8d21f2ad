// A time-stepping simulation that embeds a trained operator: a tracer injected with the fluid
// spreads through a porous medium and dissolves it. Every step
//   1. pressure: -div(a grad p) = 1 (uniform injection), p = 0 on the boundary (the Darcy benchmark),
//   2. transport: dc/dt + div(c v) = 1 - c with Darcy velocity v = -a grad p (first-order upwind),
//   3. reaction: a relaxes towards the high permeability where tracer is present, da/dt = k c (a_high - a).
// Two copies of the simulation run side by side: one takes the pressure from the neural operator
// (NeuralOperator.Predict on spans), the other from conjugate gradients preconditioned by multigrid:
// the dataset generator's Darcy solver, which keeps its hierarchy's storage from step to step.
// It reports the time per step of each (after a few untimed steps, while the JIT and the caches warm
// up) and how far their pressures and tracer fields drift apart. The process runs under pdeops' own
// settings for libtorch (HostTuning.Apply, first thing).
//   dotnet run --project examples/DarcyTransport -c Release -- [model folder] [steps] [grid size]
using System.Diagnostics;
using System.Globalization;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Runtime;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Diffusion;

HostTuning.Apply();
string modelFolder = args.Length > 0 ? args[0] : "bench/results/checkpoints/darcy85-fno";
int steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40;
int n = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 85;
const double high = 12, rate = 40;
double h = 1.0 / (n - 1);

using var op = NeuralOperator.Load(modelFolder);
var start = TwoPhaseCoefficient.Sample(n, seed: 7, index: 0, high: high);
var byOperator = new Medium((double[,])start.Clone(), new double[n, n]);
var byMultigrid = new Medium((double[,])start.Clone(), new double[n, n]);
var operatorInput = new float[n * n];
var operatorOutput = new float[n * n];
var f = new double[n, n];
for (int j = 0; j < n; j++)
    for (int i = 0; i < n; i++) f[j, i] = 1;

var multigrid = new DirichletDiffusionSolver2D(new DirichletDiffusionOptions { RelativeTolerance = 1e-8 });
double operatorSeconds = 0, multigridSeconds = 0;
// Steps before this one are not timed: the first calls of each path run code the JIT has not optimised yet.
int firstTimed = Math.Clamp(steps / 4, 2, 10);
for (int step = 1; step <= steps; step++)
{
    var watch = Stopwatch.StartNew();
    for (int k = 0; k < n * n; k++) operatorInput[k] = (float)byOperator.A[k / n, k % n];
    op.Predict(operatorInput, operatorOutput, n, n);
    var pOperator = new double[n, n];
    for (int k = 0; k < n * n; k++) pOperator[k / n, k % n] = operatorOutput[k];
    double tOperator = watch.Elapsed.TotalSeconds;

    watch.Restart();
    var pMultigrid = multigrid.Solve(byMultigrid.A, f).U;
    double tMultigrid = watch.Elapsed.TotalSeconds;
    if (step >= firstTimed) { operatorSeconds += tOperator; multigridSeconds += tMultigrid; }

    // One time step for both copies, with the same step size (CFL of the multigrid copy).
    double dt = 0.4 * h / Math.Max(MaxSpeed(byMultigrid.A, pMultigrid, h), 1e-12);
    byOperator.Advance(pOperator, dt, h, high, rate);
    byMultigrid.Advance(pMultigrid, dt, h, high, rate);
    if (step == 1 || step % 10 == 0 || step == steps)
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"step {step}: pressure difference {RelativeL2(pOperator, pMultigrid):P2}, tracer difference {RelativeL2(byOperator.C, byMultigrid.C):P2}, " +
            $"permeability difference {RelativeL2(byOperator.A, byMultigrid.A):P2}; operator {tOperator * 1e3:F1} ms, multigrid {tMultigrid * 1e3:F1} ms"));
}
int timed = Math.Max(steps - firstTimed + 1, 1);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{steps} steps on {n}x{n}, timed from step {firstTimed}: pressure by the operator {operatorSeconds / timed * 1e3:F1} ms per step, by multigrid {multigridSeconds / timed * 1e3:F1} ms per step; " +
    $"final tracer difference {RelativeL2(byOperator.C, byMultigrid.C):P2}"));

static double RelativeL2(double[,] x, double[,] y)
{
    double num = 0, den = 0;
    foreach (var (p, q) in x.Cast<double>().Zip(y.Cast<double>())) { num += (p - q) * (p - q); den += q * q; }
    return Math.Sqrt(num / Math.Max(den, double.Epsilon));
}

static double MaxSpeed(double[,] a, double[,] p, double h)
{
    int n = a.GetLength(0);
    double max = 0;
    for (int j = 0; j < n; j++)
        for (int i = 0; i + 1 < n; i++)
        {
            max = Math.Max(max, Math.Abs(Medium.FaceFlux(a[j, i], a[j, i + 1], p[j, i], p[j, i + 1], h)));
            max = Math.Max(max, Math.Abs(Medium.FaceFlux(a[i, j], a[i + 1, j], p[i, j], p[i + 1, j], h)));
        }
    return max;
}

/// <summary>Permeability and tracer concentration on the vertices, [y, x].</summary>
sealed record Medium(double[,] A, double[,] C)
{
    /// <summary>Darcy velocity through the face between two vertices, v = -a_face dp/dx with the harmonic mean.</summary>
    public static double FaceFlux(double a0, double a1, double p0, double p1, double h) => -(2 * a0 * a1 / (a0 + a1)) * (p1 - p0) / h;

    /// <summary>Upwind transport of C by the velocity of pressure p, injection of fresh tracer, then dissolution.</summary>
    public void Advance(double[,] p, double dt, double h, double high, double rate)
    {
        int n = A.GetLength(0);
        var change = new double[n, n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i + 1 < n; i++)
            {
                Exchange(change, dt, h, j, i, j, i + 1, FaceFlux(A[j, i], A[j, i + 1], p[j, i], p[j, i + 1], h));
                Exchange(change, dt, h, i, j, i + 1, j, FaceFlux(A[i, j], A[i + 1, j], p[i, j], p[i + 1, j], h));
            }
        for (int j = 1; j < n - 1; j++)
            for (int i = 1; i < n - 1; i++)
            {
                // The injected fluid carries tracer at concentration 1 (the source term 1 - c).
                C[j, i] = Math.Clamp(C[j, i] + change[j, i] + dt * (1 - C[j, i]), 0, 1);
                A[j, i] += dt * rate * C[j, i] * (high - A[j, i]);
            }
    }

    // Moves tracer across the face from vertex (j0, i0) to (j1, i1) with flux v (positive towards the second), upwind.
    void Exchange(double[,] change, double dt, double h, int j0, int i0, int j1, int i1, double v)
    {
        double carried = dt / h * v * (v > 0 ? C[j0, i0] : C[j1, i1]);
        change[j0, i0] -= carried;
        change[j1, i1] += carried;
    }
}
