#:package PdeOps.Solvers@0.1.0
#:package PdeOps.Plotting@0.1.0

// %% [markdown]
// # Multigrid: Poisson and Darcy
//
// The classical solvers of PdeOps (PdeOps.Solvers, no TorchSharp) on the two problems the neural
// operators learn from:
//
// 1. Poisson, -(u_xx + u_yy) = f with u = 0 on the boundary of the unit square, by geometric
//    multigrid V-cycles (`PoissonMultigrid2D`), against the exact solution sin(pi x) sin(pi y);
// 2. Darcy, -div(a grad u) = f, by conjugate gradients preconditioned with Galerkin multigrid
//    (`EllipticSolver2D`): a two-phase random coefficient as in the FNO data, and a smooth
//    coefficient with a known solution;
// 3. the same Poisson multigrid on an ILGPU accelerator (`IlgpuPoissonMultigrid2D`: a CUDA GPU
//    where there is one, else ILGPU's CPU accelerator) beside the native CPU code, timed for a few sizes.
//
// Every iterative solve returns a `SolveResult`: iterations, the residual after each of them, the
// reason it stopped, and the convergence factor (the mean reduction of the residual per iteration).

// %%
using System.Diagnostics;
using System.IO;
using System.Linq;
using PdeOps.Physics.Grids;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Plotting;
using PdeOps.Solvers.Common;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Gpu;
using PdeOps.Solvers.Multigrid;

// The figures go here (PDEOPS_NOTEBOOK_OUTPUT overrides it).
string output = Path.GetFullPath(Environment.GetEnvironmentVariable("PDEOPS_NOTEBOOK_OUTPUT") is { Length: > 0 } o
    ? Path.Combine(o, "multigrid") : Path.Combine(Path.GetTempPath(), "pdeops-notebooks", "multigrid"));
Directory.CreateDirectory(output);
Console.WriteLine($"{Environment.ProcessorCount} cores; figures in {output}");

// Residual history of a solve as a curve: residual against iteration (0 = initial residual).
static (string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y) History(string name, SolveResult result) =>
    (name, result.ResidualHistory.Select((_, k) => (double)k).ToList(), result.ResidualHistory);

// %% [program]
// The program writes its figures to files and prints where they are (the notebook shows them).
static void Show(string path) => Console.WriteLine($"figure: {path}");

// %% [markdown]
// ## 1. Poisson by multigrid V-cycles
//
// n x n interior unknowns, h = 1/(n + 1). V(2,1) cycles with red-black Gauss-Seidel reduce the
// residual by a factor independent of h, so the iteration count stays the same on every grid; the
// five-point stencil's error against the exact solution falls as h^2.

// %%
static double Exact(double x, double y) => Math.Sin(Math.PI * x) * Math.Sin(Math.PI * y);
static double Forcing(double x, double y) => 2 * Math.PI * Math.PI * Math.Sin(Math.PI * x) * Math.Sin(Math.PI * y);

var poisson = new Dictionary<int, (SolveResult Result, double Error)>();
foreach (int n in new[] { 63, 127, 255 })
{
    var grid = UniformGrid2D.UnitSquare(n);
    var u = new double[n, n];
    var result = new PoissonMultigrid2D(grid, new MultigridOptions { RelativeTolerance = 1e-10, Threads = 2 }).Solve(grid.Sample(Forcing), u);
    result.EnsureConverged($"Poisson {n} x {n}");
    double error = ExactError.Max(u, Exact, grid.XCoordinates(), grid.YCoordinates());
    poisson[n] = (result, error);
    Console.WriteLine($"{n,3} x {n,-3}: {result.Iterations} V-cycles, factor {result.ConvergenceFactor:F3}, max error {error:E2}, {result.SolveSeconds * 1e3:F1} ms");
}
// Order of accuracy from the two finest grids: log2(e(2h) / e(h)), 2 for the five-point stencil.
double poissonOrder = Math.Log2(poisson[127].Error / poisson[255].Error);
Console.WriteLine($"observed order of accuracy {poissonOrder:F2}");

string poissonPath = Path.Combine(output, "poisson-convergence.png");
FigureExport.Save(LineFigure.Create("Poisson: residual per V-cycle", "V-cycle", "residual norm",
    poisson.Select(p => History($"{p.Key} x {p.Key}", p.Value.Result)), logY: true), poissonPath, 640, 400);
Show(poissonPath);

// %% [markdown]
// ## 2. Darcy by multigrid-preconditioned conjugate gradients
//
// -div(a grad u) = 1, u = 0 on the boundary, on a 129 x 129 vertex grid. The coefficient jumps by
// a factor 4 across a random interface: Galerkin coarsening (coarse operators P^T A P) keeps
// multigrid effective there, and CG takes care of what the V-cycle misses. A smooth coefficient
// a = 1 + x y with the manufactured solution u = sin(pi x) sin(pi y) measures the error.

// %%
const int intervals = 128;
int vertices = intervals + 1;
var coefficient = TwoPhaseCoefficient.Sample(vertices, seed: 7, index: 0);
var ones = new double[vertices, vertices];
for (int j = 0; j < vertices; j++)
    for (int i = 0; i < vertices; i++) ones[j, i] = 1;
var darcy = EllipticSolver2D.Solve(new EllipticProblem2D(intervals, intervals, coefficient, new double[vertices, vertices], ones,
    BoundaryConditions2D.All(BoundaryKind.Dirichlet)));
darcy.Result.EnsureConverged("Darcy");
Console.WriteLine($"two-phase Darcy: {darcy.Result.Iterations} PCG iterations, factor {darcy.Result.ConvergenceFactor:F3}, {darcy.Result.SolveSeconds * 1e3:F1} ms");

var manufactured = new ManufacturedElliptic2D(Exact, (x, y) => 1 + x * y, (x, y) => 0);
var smooth = EllipticSolver2D.Solve(manufactured.Problem(intervals, intervals, BoundaryConditions2D.All(BoundaryKind.Dirichlet)));
smooth.Result.EnsureConverged("smooth Darcy");
double darcyError = ExactError.MaxAtUnitVertices(smooth.U, Exact);
Console.WriteLine($"smooth Darcy: {smooth.Result.Iterations} PCG iterations, factor {smooth.Result.ConvergenceFactor:F3}, max error {darcyError:E2}");

string darcyPath = Path.Combine(output, "darcy.png");
new FigureGrid("Darcy, 129 x 129 vertices", [[
    HeatMapFigure.Create(coefficient, "coefficient a", colorLabel: "a"),
    HeatMapFigure.Create(darcy.U, "pressure u", colorLabel: "u"),
    LineFigure.Create("residual per PCG iteration", "iteration", "residual norm",
        [History("two-phase a", darcy.Result), History("a = 1 + xy", smooth.Result)], logY: true)]], 400, 360).Save(darcyPath);
Show(darcyPath);

// %% [markdown]
// ## 3. CPU and ILGPU
//
// `IlgpuDevices.Choose(IlgpuDeviceKind.Cuda)` says whether a CUDA device is present. Without
// one, the ILGPU solver runs on ILGPU's CPU accelerator, which executes the GPU kernels thread by
// thread: it checks them, it is not fast, so it gets the small grids only. Each point is the best of
// two solves to a relative residual of 1e-8; the native solver's time grows in proportion to the unknowns.

// %%
var choice = IlgpuDevices.Choose(IlgpuDeviceKind.Cuda);
var kind = choice.Kind ?? IlgpuDeviceKind.Cpu;
Console.WriteLine(choice.IsFallback ? $"ILGPU: {choice.FallbackReason}; using ILGPU's CPU accelerator" : "ILGPU: CUDA device found");
var options = new MultigridOptions { RelativeTolerance = 1e-8, Threads = 2 };
// Seconds of the best of two solves of the n x n problem.
static double Best(int n, Func<double[,], SolveResult> solve) => Enumerable.Range(0, 2).Min(_ => solve(new double[n, n]).EnsureConverged($"{n} x {n}").SolveSeconds);

var cpuSizes = new[] { 31, 63, 127, 255, 511, 1023 };
var cpuSeconds = cpuSizes.Select(n =>
{
    var grid = UniformGrid2D.UnitSquare(n);
    var f = grid.Sample(Forcing);
    var solver = new PoissonMultigrid2D(grid, options);
    return Best(n, u => solver.Solve(f, u));
}).ToList();
var ilgpuSizes = new[] { 31, 63, 127 };
var ilgpuSeconds = new List<double>();
string ilgpuName;
using (var context = IlgpuDevices.CreateContext())
using (var accelerator = IlgpuDevices.Create(context, kind))
{
    ilgpuName = $"ILGPU ({accelerator.AcceleratorType})";
    foreach (int n in ilgpuSizes)
    {
        var grid = UniformGrid2D.UnitSquare(n);
        var f = grid.Sample(Forcing);
        using var solver = new IlgpuPoissonMultigrid2D(accelerator, grid, options);
        ilgpuSeconds.Add(Best(n, u => solver.Solve(f, u)));
    }
}
for (int k = 0; k < cpuSizes.Length; k++)
    Console.WriteLine($"{cpuSizes[k],4} x {cpuSizes[k],-4}: CPU {cpuSeconds[k] * 1e3,8:F2} ms" + (k < ilgpuSizes.Length ? $", {ilgpuName} {ilgpuSeconds[k] * 1e3,8:F2} ms" : ""));

static List<double> Unknowns(int[] sizes) => sizes.Select(n => (double)n * n).ToList();
string scalingPath = Path.Combine(output, "scaling.png");
FigureExport.Save(LineFigure.Create("Poisson multigrid to 1e-8: time against unknowns", "unknowns", "seconds",
    [("CPU (native, 2 threads)", Unknowns(cpuSizes), cpuSeconds), (ilgpuName, Unknowns(ilgpuSizes), ilgpuSeconds)], logY: true, logX: true),
    scalingPath, 640, 400);
Show(scalingPath);

// %% [markdown]
// ## Result
//
// Convergence factors (mean residual reduction per iteration), the errors against the exact
// solutions, and the observed order of accuracy of the Poisson solve.

// %%
Console.WriteLine($"poisson_factor = {poisson[255].Result.ConvergenceFactor:F4}");
Console.WriteLine($"poisson_error = {poisson[255].Error:E3}");
Console.WriteLine($"poisson_order = {poissonOrder:F3}");
Console.WriteLine($"darcy_factor = {darcy.Result.ConvergenceFactor:F4}");
Console.WriteLine($"darcy_error = {darcyError:E3}");
