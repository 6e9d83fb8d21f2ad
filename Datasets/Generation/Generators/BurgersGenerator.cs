using PdeOps.Datasets.Storage;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Spectral;
using static PdeOps.Datasets.Generation.GeneratorParameters;

namespace PdeOps.Datasets.Generation.Generators;

/// <summary>
/// Viscous Burgers u_t + (u^2 / 2)_x = nu u_xx on the periodic unit interval: the FNO recipe
/// (Li et al., ICLR 2021), u0 ~ N(0, 625 (-Lap + 25 I)^(-2)) (alpha 2, tau 5, sigma 25), nu 0.1,
/// T 1, solved by the ETDRK4 pseudo-spectral method on 8192 points and subsampled (8192 -> 1024,
/// 512, ...). <c>snapshots</c> equally spaced times up to T are stored (1: the final time only).
/// </summary>
public sealed class BurgersGenerator : IDatasetGenerator
{
    /// <inheritdoc />
    public string Family => "burgers";
    /// <inheritdoc />
    public DatasetGridConvention GridConvention => DatasetGridConvention.Periodic;
    /// <inheritdoc />
    public string Summary => "Burgers u_t + u u_x = nu u_xx, periodic; u0 ~ N(0, 625(-Lap + 25)^-2), nu 0.1, T 1 (FNO recipe)";
    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> DefaultParameters { get; } = new Dictionary<string, double>
    {
        ["alpha"] = 2,
        ["tau"] = 5,
        ["sigma"] = 25,
        ["viscosity"] = 0.1,
        ["final_time"] = 1,
        ["snapshots"] = 1,
        ["time_step"] = 1e-4,
    };

    /// <summary>Grid solved on when --fine-res is not given.</summary>
    public const int DefaultFineResolution = 8192;

    /// <inheritdoc />
    public GeneratorPlan Plan(GenerationRequest request)
    {
        var p = Merge(Family, DefaultParameters, request.Parameters);
        int resolution = request.Resolution, fine = request.FineResolution ?? Math.Max(DefaultFineResolution, resolution);
        int stride = PeriodicStride(fine, resolution);
        if (fine % 2 != 0) throw new ArgumentException($"the fine resolution must be even (got {fine})");
        double alpha = Positive(p, "alpha"), tau = Positive(p, "tau"), sigma = Positive(p, "sigma"), nu = Positive(p, "viscosity");
        GaussianRandomField.CheckParameters(1, alpha, tau, sigma); // refused here, before any worker builds a field
        double finalTime = Positive(p, "final_time"), dt = Positive(p, "time_step");
        int snapshots = PositiveInteger(p, "snapshots");
        var times = Enumerable.Range(1, snapshots).Select(k => k * finalTime / snapshots).ToArray();
        var options = new BurgersOptions { Viscosity = nu, FinalTime = finalTime, TimeStep = dt, GridPoints = fine, SnapshotTimes = times }.Validated();
        return new GeneratorPlan
        {
            Arrays =
            [
                new ArraySpec("initial_condition", [resolution], ArrayRole.Input, "u at t = 0, x_i = i / n"),
                new ArraySpec("solution", [snapshots, resolution], ArrayRole.Output, "u at the times t, [t, x]"),
            ],
            Coordinates = new Dictionary<string, double[]> { ["x"] = PeriodicCoordinates(resolution), ["t"] = times },
            Parameters = p,
            FineResolution = fine,
            Solver = "ETDRK4 Fourier pseudo-spectral (Kassam and Trefethen 2005), 2/3 dealiasing",
            Tolerance = 0,
            CreateWorker = () => new Worker(new GaussianRandomField(1, fine, alpha, tau, sigma, FieldBoundary.Periodic), options, stride, resolution, request.Seed),
        };
    }

    sealed class Worker(GaussianRandomField field, BurgersOptions options, int stride, int resolution, long seed) : ISampleWorker
    {
        readonly Burgers1D _solver = new(options);

        public double[][] Generate(long index, int attempt)
        {
            var u0 = field.Sample1D(seed, index);
            SpectralTrajectory<double[]> run;
            try { run = _solver.Solve(u0); }
            catch (SimulationDivergedException e) { throw new SampleNotConvergedException(index, e.Message); }
            var series = new double[run.Snapshots.Count * resolution];
            for (int k = 0; k < run.Snapshots.Count; k++) Subsample(run.Snapshots[k], stride, resolution).CopyTo(series, k * resolution);
            return [Subsample(u0, stride, resolution), series];
        }
    }
}
