// Solves the FNO Darcy problem -div(a grad u) = 1, u = 0 on the boundary, for one random two-phase
// coefficient, with conjugate gradients preconditioned by Galerkin multigrid. It uses only the
// torch-free libraries, as a simulation code embedding PdeOps would.
//   dotnet run --project examples/DarcyWithMultigrid -c Release -- [intervals] [seed]
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Elliptic;

int intervals = args.Length > 0 ? int.Parse(args[0]) : 256;
int seed = args.Length > 1 ? int.Parse(args[1]) : 0;
int s = intervals + 1;

var a = TwoPhaseCoefficient.Sample(s, seed, index: 0); // 12 / 3, alpha = 2, tau = 3
var f = new double[s, s];
for (int j = 0; j < s; j++)
    for (int i = 0; i < s; i++) f[j, i] = 1;
var problem = new EllipticProblem2D(intervals, intervals, a, new double[s, s], f, BoundaryConditions2D.All(BoundaryKind.Dirichlet));

var solution = EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-10 });
solution.Result.EnsureConverged("Darcy solve");

double max = solution.U.Cast<double>().Max();
Console.WriteLine($"{s} x {s} vertices: {solution.Result.Iterations} PCG iterations, relative residual " +
                  $"{solution.Result.RelativeResidual:E2}, setup {solution.Result.SetupSeconds:F3} s, solve {solution.Result.SolveSeconds:F3} s; max u = {max:F6}");
