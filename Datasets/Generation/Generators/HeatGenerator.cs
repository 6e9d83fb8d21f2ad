using PdeOps.Datasets.Storage;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Multigrid;
using PdeOps.Solvers.TimeStepping;
using static PdeOps.Datasets.Generation.GeneratorParameters;

namespace PdeOps.Datasets.Generation.Generators;

/// <summary>
/// The heat equation u_t = kappa Lap u on the unit square, u = 0 on the boundary, from a random
/// initial condition u0 = g(x, y) sin(pi x) sin(pi y) with g a zero-Neumann Gaussian random field
/// (the sine factor makes u0 vanish on the boundary). Crank-Nicolson in time with multigrid-
/// preconditioned CG per step (<see cref="HeatSolver2D"/>); <c>snapshots</c> equally spaced
/// times up to <c>final_time</c> are stored.
/// </summary>
public sealed class HeatGenerator : IDatasetGenerator
{
    /// <inheritdoc />
    public string Family => "heat";
    /// <inheritdoc />
    public DatasetGridConvention GridConvention => DatasetGridConvention.Closed;
    /// <inheritdoc />
    public string Summary => "Heat u_t = kappa Lap u, u = 0 on the boundary; GRF initial condition, time series";
    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> DefaultParameters { get; } = new Dictionary<string, double>
    {
        ["alpha"] = 2.5,
        ["tau"] = 5,
        ["kappa"] = 0.05,
        ["final_time"] = 0.5,
        ["snapshots"] = 10,
        ["time_step"] = 0.005,
        ["tolerance"] = 1e-8,
    };

    /// <inheritdoc />
    public GeneratorPlan Plan(GenerationRequest request)
    {
        var p = Merge(Family, DefaultParameters, request.Parameters);
        int resolution = request.Resolution, fine = request.FineResolution ?? request.Resolution;
        int stride = VertexStride(fine, resolution);
        double alpha = Positive(p, "alpha"), tau = Positive(p, "tau"), kappa = Positive(p, "kappa"), finalTime = Positive(p, "final_time");
        GaussianRandomField.CheckParameters(2, alpha, tau); // refused here, before any worker builds a field
        double dt = Positive(p, "time_step"), tolerance = Positive(p, "tolerance");
        int snapshots = PositiveInteger(p, "snapshots");
        int steps = (int)Math.Round(finalTime / dt);
        if (steps < snapshots || steps % snapshots != 0 || Math.Abs(steps * dt - finalTime) > 1e-9 * finalTime)
            throw new ArgumentException($"final_time {finalTime} must be a whole number of time_step {dt} steps, divisible by snapshots {snapshots}");
        var coordinates = VertexCoordinates(resolution);
        var times = Enumerable.Range(1, snapshots).Select(k => k * finalTime / snapshots).ToArray();
        return new GeneratorPlan
        {
            Arrays =
            [
                new ArraySpec("initial_condition", [resolution, resolution], ArrayRole.Input, "u at t = 0 on the vertices, [y, x]"),
                new ArraySpec("solution", [snapshots, resolution, resolution], ArrayRole.Output, "u at the times t, [t, y, x]"),
            ],
            Coordinates = new Dictionary<string, double[]> { ["x"] = coordinates, ["y"] = coordinates, ["t"] = times },
            Parameters = p,
            FineResolution = fine,
            Solver = "Crank-Nicolson, five-point finite volumes, multigrid-preconditioned CG per step",
            Tolerance = tolerance,
            CreateWorker = () => new Worker(new GaussianRandomField(2, fine, alpha, tau, boundary: FieldBoundary.Neumann), kappa, dt, steps, steps / snapshots, tolerance, stride, resolution, request.Seed),
        };
    }

    sealed class Worker(GaussianRandomField field, double kappa, double dt, int steps, int recordEvery, double tolerance, int stride, int resolution, long seed) : ISampleWorker
    {
        public double[][] Generate(long index, int attempt)
        {
            int n = field.Size, m = n - 1;
            var u0 = field.Sample2D(seed, index);
            var a = new double[n, n];
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                {
                    u0[j, i] *= Math.Sin(Math.PI * i / m) * Math.Sin(Math.PI * j / m);
                    a[j, i] = kappa;
                }
            var zero = new double[n, n];
            var spatial = new EllipticProblem2D(m, m, a, zero, zero, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
            HeatSolution2D run;
            try
            {
                run = HeatSolver2D.Solve(spatial, u0, new HeatOptions
                {
                    TimeStep = dt,
                    Steps = steps,
                    RecordEvery = recordEvery,
                    RelativeTolerance = tolerance,
                    Multigrid = new MultigridOptions { Threads = 1 },
                });
            }
            catch (PdeOps.Solvers.Common.SolverDidNotConvergeException e)
            {
                throw new SampleNotConvergedException(index, e.Message);
            }
            var series = new double[run.Snapshots.Count * resolution * resolution];
            for (int k = 0; k < run.Snapshots.Count; k++)
                Subsample(run.Snapshots[k].U, stride, resolution).CopyTo(series, k * resolution * resolution);
            return [Subsample(u0, stride, resolution), series];
        }
    }
}
