using PdeOps.Datasets.Storage;
using PdeOps.Physics.Problems;
using PdeOps.Physics.RandomFields;
using PdeOps.Solvers.Elliptic;
using PdeOps.Solvers.Multigrid;
using static PdeOps.Datasets.Generation.GeneratorParameters;

namespace PdeOps.Datasets.Generation.Generators;

/// <summary>
/// Helmholtz -Lap u - (omega / c(x))^2 u = f on the unit square, u = 0 on the boundary, with a
/// random wave speed c = 1 + contrast tanh(g), g a zero-Neumann Gaussian random field, and a fixed
/// Gaussian point-like source at the centre (width <c>source_width</c>). Solved with GMRES and a
/// complex-shifted-Laplacian multigrid preconditioner (<see cref="HelmholtzSolver2D"/>).
/// </summary>
public sealed class HelmholtzGenerator : IDatasetGenerator
{
    /// <inheritdoc />
    public string Family => "helmholtz";
    /// <inheritdoc />
    public DatasetGridConvention GridConvention => DatasetGridConvention.Closed;
    /// <inheritdoc />
    public string Summary => "Helmholtz -Lap u - (omega/c)^2 u = f, u = 0 on the boundary; random wave speed c, centred source";
    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> DefaultParameters { get; } = new Dictionary<string, double>
    {
        ["alpha"] = 2,
        ["tau"] = 3,
        ["omega"] = 10,
        ["contrast"] = 0.25,
        ["source_width"] = 0.05,
        ["tolerance"] = 1e-8,
    };

    /// <inheritdoc />
    public GeneratorPlan Plan(GenerationRequest request)
    {
        var p = Merge(Family, DefaultParameters, request.Parameters);
        int resolution = request.Resolution, fine = request.FineResolution ?? request.Resolution;
        int stride = VertexStride(fine, resolution);
        double alpha = Positive(p, "alpha"), tau = Positive(p, "tau"), omega = Positive(p, "omega"), width = Positive(p, "source_width"), tolerance = Positive(p, "tolerance");
        GaussianRandomField.CheckParameters(2, alpha, tau); // refused here, before any worker builds a field
        double contrast = p["contrast"];
        if (!(contrast >= 0 && contrast < 1)) throw new ArgumentException($"parameter 'contrast' must lie in [0, 1) so that c stays positive (got {contrast})");
        var coordinates = VertexCoordinates(resolution);
        return new GeneratorPlan
        {
            Arrays =
            [
                new ArraySpec("wave_speed", [resolution, resolution], ArrayRole.Input, "wave speed c at the vertices, [y, x]"),
                new ArraySpec("solution", [resolution, resolution], ArrayRole.Output, "u at the vertices, [y, x]"),
            ],
            Coordinates = new Dictionary<string, double[]> { ["x"] = coordinates, ["y"] = coordinates },
            Parameters = p,
            FineResolution = fine,
            Solver = "GMRES(100) preconditioned by a complex-shifted-Laplacian multigrid V-cycle",
            Tolerance = tolerance,
            CreateWorker = () => new Worker(new GaussianRandomField(2, fine, alpha, tau, boundary: FieldBoundary.Neumann), omega, contrast, width, tolerance, stride, resolution, request.Seed),
        };
    }

    sealed class Worker(GaussianRandomField field, double omega, double contrast, double width, double tolerance, int stride, int resolution, long seed) : ISampleWorker
    {
        public double[][] Generate(long index, int attempt)
        {
            int n = field.Size, m = n - 1;
            var g = field.Sample2D(seed, index);
            var c = new double[n, n];
            var reaction = new double[n, n];
            var a = new double[n, n];
            var f = new double[n, n];
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++)
                {
                    c[j, i] = 1 + contrast * Math.Tanh(g[j, i]);
                    double k = omega / c[j, i];
                    reaction[j, i] = -k * k;
                    a[j, i] = 1;
                    double dx = (double)i / m - 0.5, dy = (double)j / m - 0.5;
                    f[j, i] = Math.Exp(-(dx * dx + dy * dy) / (2 * width * width)) / (2 * Math.PI * width * width);
                }
            var problem = new EllipticProblem2D(m, m, a, reaction, f, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
            var options = new EllipticSolverOptions
            {
                Krylov = KrylovKind.Gmres,
                RelativeTolerance = tolerance,
                MaxIterations = attempt == 0 ? 500 : 3000,
                Multigrid = new MultigridOptions { Threads = 1 },
            };
            var solution = HelmholtzSolver2D.Solve(problem, options);
            if (!solution.Result.Converged)
                throw new SampleNotConvergedException(index, $"{solution.Result.Reason} after {solution.Result.Iterations} iterations, relative residual {solution.Result.RelativeResidual:E2}");
            return [Subsample(c, stride, resolution), Subsample(solution.U, stride, resolution)];
        }
    }
}
