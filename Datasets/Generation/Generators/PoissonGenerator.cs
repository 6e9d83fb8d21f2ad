using PdeOps.Datasets.Storage;
using PdeOps.Physics.RandomFields;
using static PdeOps.Datasets.Generation.GeneratorParameters;

namespace PdeOps.Datasets.Generation.Generators;

/// <summary>
/// Poisson -Lap u = f on the unit square, u = 0 on the boundary, with a random forcing f: a
/// zero-Neumann Gaussian random field (covariance sigma^2 (-Lap + tau^2)^(-alpha)) on the fine
/// grid; solved there (<see cref="PdeOps.Solvers.Diffusion.DirichletDiffusionSolver2D"/> with a = 1) and subsampled.
/// </summary>
public sealed class PoissonGenerator : IDatasetGenerator
{
    /// <inheritdoc />
    public string Family => "poisson";
    /// <inheritdoc />
    public DatasetGridConvention GridConvention => DatasetGridConvention.Closed;
    /// <inheritdoc />
    public string Summary => "Poisson -Lap u = f, u = 0 on the boundary; GRF forcing f";
    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> DefaultParameters { get; } = new Dictionary<string, double>
    {
        ["alpha"] = 2,
        ["tau"] = 3,
        ["scale"] = 100,
        ["tolerance"] = GeneratorParameters.Float32Tolerance,
    };

    /// <inheritdoc />
    public GeneratorPlan Plan(GenerationRequest request)
    {
        var p = Merge(Family, DefaultParameters, request.Parameters);
        UsePrecisionTolerance(p, request);
        int resolution = request.Resolution, fine = request.FineResolution ?? request.Resolution;
        int stride = VertexStride(fine, resolution);
        double alpha = Positive(p, "alpha"), tau = Positive(p, "tau"), scale = Positive(p, "scale"), tolerance = Positive(p, "tolerance");
        GaussianRandomField.CheckParameters(2, alpha, tau); // refused here, before any worker builds a field
        var coordinates = VertexCoordinates(resolution);
        return new GeneratorPlan
        {
            Arrays =
            [
                new ArraySpec("forcing", [resolution, resolution], ArrayRole.Input, "right-hand side f at the vertices, [y, x]"),
                new ArraySpec("solution", [resolution, resolution], ArrayRole.Output, "u at the vertices, [y, x]"),
            ],
            Coordinates = new Dictionary<string, double[]> { ["x"] = coordinates, ["y"] = coordinates },
            Parameters = p,
            FineResolution = fine,
            Solver = "PCG with a Galerkin multigrid V(1,1) preconditioner, five-point finite differences",
            Tolerance = tolerance,
            CreateWorker = () =>
            {
                var ones = DiffusionSampleWorker.Filled(fine, 1);
                return new DiffusionSampleWorker(new GaussianRandomField(2, fine, alpha, tau, boundary: FieldBoundary.Neumann), g =>
                {
                    for (int j = 0; j < fine; j++) for (int i = 0; i < fine; i++) g[j, i] *= scale;
                    return (ones, g, g);
                }, tolerance, stride, resolution, request.Seed);
            },
        };
    }
}
