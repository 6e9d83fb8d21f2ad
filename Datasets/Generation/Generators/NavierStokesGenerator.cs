using PdeOps.Datasets.Storage;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Spectral;
using static PdeOps.Datasets.Generation.GeneratorParameters;

namespace PdeOps.Datasets.Generation.Generators;

/// <summary>
/// 2D incompressible Navier-Stokes in vorticity form on the periodic unit torus: the FNO recipe
/// (Li et al., ICLR 2021), w0 ~ GRF(alpha 2.5, tau 7) with the amplitude of FNO's sampler (sigma =
/// sqrt 2 tau^(alpha - 1)), forcing 0.1 (sin 2 pi (x + y) + cos 2 pi (x + y)), viscosity 1e-3,
/// vorticity recorded every <c>record_interval</c> up to <c>final_time</c> (T 50 in the recipe: slow,
/// about 500 000 steps per sample at the default time step). Pseudo-spectral, Crank-Nicolson /
/// Heun (<see cref="NavierStokes2D"/>); solved at the fine resolution and subsampled.
/// </summary>
public sealed class NavierStokesGenerator : IDatasetGenerator
{
    /// <inheritdoc />
    public string Family => "navier-stokes";
    /// <inheritdoc />
    public DatasetGridConvention GridConvention => DatasetGridConvention.Periodic;
    /// <inheritdoc />
    public string Summary => "2D Navier-Stokes (vorticity), periodic; w0 ~ GRF(2.5, 7), FNO forcing, nu 1e-3 (FNO recipe)";
    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> DefaultParameters { get; } = new Dictionary<string, double>
    {
        ["alpha"] = 2.5,
        ["tau"] = 7,
        ["sigma"] = Math.Sqrt(2) * Math.Pow(7, 1.5),
        ["viscosity"] = 1e-3,
        ["final_time"] = 50,
        ["record_interval"] = 1,
        ["time_step"] = 1e-4,
    };

    /// <inheritdoc />
    public GeneratorPlan Plan(GenerationRequest request)
    {
        var p = Merge(Family, DefaultParameters, request.Parameters);
        int resolution = request.Resolution, fine = request.FineResolution ?? request.Resolution;
        int stride = PeriodicStride(fine, resolution);
        double alpha = Positive(p, "alpha"), tau = Positive(p, "tau"), sigma = Positive(p, "sigma"), nu = Positive(p, "viscosity");
        GaussianRandomField.CheckParameters(2, alpha, tau, sigma); // refused here, before any worker builds a field
        double finalTime = Positive(p, "final_time"), interval = Positive(p, "record_interval"), dt = Positive(p, "time_step");
        var options = new NavierStokesOptions { Viscosity = nu, FinalTime = finalTime, RecordInterval = interval, TimeStep = dt, Threads = 1 }.Validated();
        var times = options.RecordTimes().ToArray();
        var coordinates = PeriodicCoordinates(resolution);
        return new GeneratorPlan
        {
            Arrays =
            [
                new ArraySpec("initial_vorticity", [resolution, resolution], ArrayRole.Input, "w at t = 0, [y, x], x_i = i / n"),
                new ArraySpec("vorticity", [times.Length, resolution, resolution], ArrayRole.Output, "w at the times t, [t, y, x]"),
            ],
            Coordinates = new Dictionary<string, double[]> { ["x"] = coordinates, ["y"] = coordinates, ["t"] = times },
            Parameters = p,
            FineResolution = fine,
            Solver = "Fourier pseudo-spectral, Crank-Nicolson for viscosity and Heun for advection, 2/3 dealiasing",
            Tolerance = 0,
            CreateWorker = () => new Worker(new GaussianRandomField(2, fine, alpha, tau, sigma, FieldBoundary.Periodic), options, stride, resolution, request.Seed),
        };
    }

    sealed class Worker(GaussianRandomField field, NavierStokesOptions options, int stride, int resolution, long seed) : ISampleWorker
    {
        public double[][] Generate(long index, int attempt)
        {
            var w0 = field.Sample2D(seed, index);
            SpectralTrajectory<double[,]> run;
            try { run = NavierStokes2D.Solve(w0, options); }
            catch (SimulationDivergedException e) { throw new SampleNotConvergedException(index, e.Message); }
            int r2 = resolution * resolution;
            var series = new double[run.Snapshots.Count * r2];
            for (int k = 0; k < run.Snapshots.Count; k++) Subsample(run.Snapshots[k], stride, resolution).CopyTo(series, k * r2);
            return [Subsample(w0, stride, resolution), series];
        }
    }
}
