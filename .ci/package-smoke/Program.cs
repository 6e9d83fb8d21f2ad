// Package smoke check (run by .ci/packages from a folder outside the repository): uses
// PdeOps.Solvers and PdeOps.Operators as a simulation code would, from their NuGet packages.
using PdeOps.Operators.Models;
using PdeOps.Physics.Grids;
using PdeOps.Solvers.Multigrid;
using static TorchSharp.torch;

// Multigrid: -lap u = 2 pi^2 sin(pi x) sin(pi y) on the unit square, u = 0 on the boundary, whose
// exact solution is u = sin(pi x) sin(pi y). The five-point stencil's error is about
// (pi h)^2 / 12 = 5.0e-5 at h = 1/128; allow twice that.
var grid = UniformGrid2D.UnitSquare(127);
double[,] exact = grid.Sample((x, y) => Math.Sin(Math.PI * x) * Math.Sin(Math.PI * y));
double[,] f = grid.Sample((x, y) => 2 * Math.PI * Math.PI * Math.Sin(Math.PI * x) * Math.Sin(Math.PI * y));
var u = new double[grid.Ny, grid.Nx];
new PoissonMultigrid2D(grid).SolveFmg(f, u, extraCycles: 3).EnsureConverged("package smoke Poisson solve");
double maxError = 0;
for (int j = 0; j < grid.Ny; j++)
    for (int i = 0; i < grid.Nx; i++)
        maxError = Math.Max(maxError, Math.Abs(u[j, i] - exact[j, i]));
double bound = 2 * Math.Pow(Math.PI / 128, 2) / 12;
if (!(maxError < bound)) return Fail($"multigrid max error {maxError:E2} exceeds {bound:E2}");

// FNO forward pass: the model first (as an embedding code would), then a batch through it.
using var model = new FourierNeuralOperator(new FnoOptions { Width = 8, Modes = [4, 4], Layers = 2, ProjectionWidth = 16 });
model.eval();
using var scope = NewDisposeScope();
manual_seed(3);
var input = randn(2, 1, 32, 32);
Tensor output;
using (no_grad()) output = model.forward(input);
long[] want = [2, 1, 32, 32];
if (!output.shape.SequenceEqual(want)) return Fail($"FNO output shape [{string.Join(", ", output.shape)}], expected [{string.Join(", ", want)}]");
if (!output.isfinite().all().item<bool>()) return Fail("FNO output has non-finite values");

Console.WriteLine($"package smoke: multigrid max error {maxError:E2} (bound {bound:E2}); FNO output [{string.Join(", ", output.shape)}] finite");
return 0;

static int Fail(string message)
{
    Console.Error.WriteLine($"package smoke FAILED: {message}");
    return 1;
}
