using PdeOps.Datasets.Storage;
using PdeOps.Physics.RandomFields;
using static PdeOps.Datasets.Generation.GeneratorParameters;

namespace PdeOps.Datasets.Generation.Generators;

/// <summary>
/// Darcy flow -div(a grad u) = f on the unit square, u = 0 on the boundary: the FNO benchmark
/// (Li et al., ICLR 2021). The coefficient is <c>high</c> where a zero-Neumann Gaussian random
/// field with covariance (-Lap + tau^2)^(-alpha) is non-negative and <c>low</c> elsewhere; it is
/// drawn on the fine grid, solved there (<see cref="PdeOps.Solvers.Diffusion.DirichletDiffusionSolver2D"/>) and both fields
/// are subsampled to the stored resolution (421 -> 211, 141, 106, 85 as in the FNO files).
/// </summary>
public sealed class DarcyGenerator : IDatasetGenerator
{
    /// <inheritdoc />
    public string Family => "darcy";
    /// <inheritdoc />
    public DatasetGridConvention GridConvention => DatasetGridConvention.Closed;
    /// <inheritdoc />
    public string Summary => "Darcy flow -div(a grad u) = f, u = 0 on the boundary; two-phase GRF coefficient (FNO recipe)";
    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> DefaultParameters { get; } = new Dictionary<string, double>
    {
        ["alpha"] = 2,
        ["tau"] = 3,
        ["high"] = 12,
        ["low"] = 3,
        ["forcing"] = 1,
        ["tolerance"] = GeneratorParameters.Float32Tolerance,
    };

    /// <inheritdoc />
    public GeneratorPlan Plan(GenerationRequest request)
    {
        var p = Merge(Family, DefaultParameters, request.Parameters);
        UsePrecisionTolerance(p, request);
        int resolution = request.Resolution, fine = request.FineResolution ?? request.Resolution;
        int stride = VertexStride(fine, resolution);
        double alpha = Positive(p, "alpha"), tau = Positive(p, "tau"), high = Positive(p, "high"), low = Positive(p, "low");
        GaussianRandomField.CheckParameters(2, alpha, tau); // refused here, before any worker builds a field
        double forcing = p["forcing"], tolerance = Positive(p, "tolerance");
        var coordinates = VertexCoordinates(resolution);
        return new GeneratorPlan
        {
            Arrays =
            [
                new ArraySpec("coefficient", [resolution, resolution], ArrayRole.Input, "diffusion coefficient a at the vertices, [y, x]"),
                new ArraySpec("solution", [resolution, resolution], ArrayRole.Output, "pressure u at the vertices, [y, x]"),
            ],
            Coordinates = new Dictionary<string, double[]> { ["x"] = coordinates, ["y"] = coordinates },
            Parameters = p,
            FineResolution = fine,
            Solver = "PCG with a Galerkin multigrid V(1,1) preconditioner, five-point finite volumes, harmonic-mean faces",
            Tolerance = tolerance,
            CreateWorker = () =>
            {
                var f = DiffusionSampleWorker.Filled(fine, forcing);
                return new DiffusionSampleWorker(TwoPhaseCoefficient.FnoDarcyField(fine, alpha, tau),
                    g => { var a = TwoPhaseCoefficient.Threshold(g, high, low); return (a, f, a); }, tolerance, stride, resolution, request.Seed);
            },
        };
    }
}
