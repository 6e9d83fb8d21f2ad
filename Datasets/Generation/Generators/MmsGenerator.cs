using System.Collections.Concurrent;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.Geometry;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
using PdeOps.Physics.RandomFields;
using PdeOps.Physics.Symbolic;
using static PdeOps.Datasets.Generation.GeneratorParameters;

namespace PdeOps.Datasets.Generation.Generators;

/// <summary>
/// HyPINO's training problems by the method of manufactured solutions (<see cref="ManufacturedProblems"/>):
/// per sample the five input channels at the chosen resolution on [−1, 1]², the solution and
/// domain mask on that grid, interior points (x, y, f, u, ux, uy, uxx, uyy) and boundary points
/// (x, y, nx, ny, g_D, m_D, g_N, m_N) for the losses, and the problem as text. A share
/// <c>physics_fraction</c> of the samples are physics-only (no solution; u and its derivatives 0,
/// <c>supervised</c> = 0), and a share <c>zero_sides_fraction</c> of the others have a solution
/// that vanishes on the square's sides (<see cref="ManufacturedProblems.Mixed"/>).
/// </summary>
public sealed class MmsGenerator : IDatasetGenerator
{
    /// <summary>Values per interior point.</summary>
    public const int InteriorColumns = 8;
    /// <summary>Values per boundary point.</summary>
    public const int BoundaryColumns = 8;

    /// <inheritdoc />
    public string Family => "mms";
    /// <inheritdoc />
    public DatasetGridConvention GridConvention => DatasetGridConvention.Closed;
    /// <inheritdoc />
    public string Summary => "HyPINO's manufactured problems: linear second-order PDEs on the square with holes, as grid channels, point sets and text";
    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> DefaultParameters { get; } = new Dictionary<string, double>
    {
        ["physics_fraction"] = 0,
        ["zero_sides_fraction"] = 0,
        ["interior_points"] = 2048,
        ["boundary_points"] = 1024,
    };

    /// <inheritdoc />
    public GeneratorPlan Plan(GenerationRequest request)
    {
        var p = Merge(Family, DefaultParameters, request.Parameters);
        var n = request.Resolution;
        if (n < 8) throw new ArgumentException($"mms renders at 8 points per side or more (got {n})");
        if (request.FineResolution is { } fine && fine != n) throw new ArgumentException("mms has no fine grid: its problems are exact; leave out --fine-res");
        var fraction = p["physics_fraction"];
        if (!(fraction >= 0 && fraction <= 1)) throw new ArgumentException($"physics_fraction must lie in [0, 1] (got {fraction})");
        var zeroSides = p["zero_sides_fraction"];
        if (!(zeroSides >= 0 && zeroSides <= 1)) throw new ArgumentException($"zero_sides_fraction must lie in [0, 1] (got {zeroSides})");
        int interior = PositiveInteger(p, "interior_points"), boundary = PositiveInteger(p, "boundary_points");
        var coordinates = Domain2D.Coordinates(n);
        // Arrays handed back by the caller, refilled by any worker: at most as many as are in flight.
        var spare = new ConcurrentBag<double[][]>();
        return new GeneratorPlan
        {
            Arrays =
            [
                new ArraySpec("channels", [5, n, n], ArrayRole.Input, "dirichlet_mask, neumann_mask, dirichlet_value, neumann_value, sign(f) log(1 + |f|) at the vertices, [channel, y, x]"),
                new ArraySpec("solution", [n, n], ArrayRole.Output, "u at the vertices, [y, x]; 0 outside the domain and for physics-only samples"),
                new ArraySpec("mask", [n, n], ArrayRole.Output, "1 where the vertex lies in the closed domain, [y, x]"),
                new ArraySpec("interior", [interior, InteriorColumns], ArrayRole.Output, "interior points: x, y, f, u, ux, uy, uxx, uyy (u terms 0 for physics-only samples)"),
                new ArraySpec("boundary", [boundary, BoundaryColumns], ArrayRole.Output, "boundary points: x, y, nx, ny (outward), g_D, m_D, g_N, m_N"),
                new ArraySpec("supervised", [1], ArrayRole.Output, "1 for a manufactured sample with its solution, 0 for a physics-only one"),
            ],
            Texts =
            [
                new TextSpec("pde", "the operator L of L u = f"),
                new TextSpec("source", "f(x, y)"),
                new TextSpec("domain", "the domain as text"),
                new TextSpec("conditions", "one line per condition: 'segment: kind data'"),
                new TextSpec("exact", "u(x, y), empty for physics-only samples"),
            ],
            Coordinates = new Dictionary<string, double[]> { ["x"] = coordinates, ["y"] = coordinates },
            Parameters = p,
            FineResolution = n,
            Solver = "exact (method of manufactured solutions, symbolic derivatives)",
            CreateWorker = () => new Worker(request.Seed, n, fraction, zeroSides, interior, boundary, spare),
            Recycle = values => spare.Add(values),
        };
    }

    sealed class Worker(long seed, int n, double physicsFraction, double zeroSidesFraction, int interiorPoints, int boundaryPoints, ConcurrentBag<double[][]> spare) : ITextSampleWorker
    {
        readonly ManufacturedProblems problems = new(seed, new ManufacturedLimits());
        string[] texts = [];

        public double[][] Generate(long index, int attempt)
        {
            var problem = problems.Mixed(index, physicsFraction, zeroSidesFraction).Problem;
            var supervised = problem.Exact is not null;
            texts =
            [
                problem.Operator.ToString(), problem.Source.ToString(), problem.Domain.ToString(),
                string.Join("\n", problem.Conditions.Select(c => c.ToString())), problem.Exact?.ToString() ?? "",
            ];
            var reused = spare.TryTake(out var arrays) ? arrays : null;
            var (channels, solution, mask) = reused is null ? (new double[5 * n * n], new double[n * n], new double[n * n]) : (reused[0], reused[1], reused[2]);
            ProblemRendering.RenderInto(problem, n, channels, solution, mask: mask);
            for (var k = 0; k < n * n; k++)
                if (mask[k] == 0) solution[k] = 0;
            var random = new SampleRandom(seed, index, stream: 5);
            return [channels, solution, mask, Interior(problem, random, reused?[3]), Boundary(problem, random, reused?[4]), [supervised ? 1 : 0]];
        }

        public string[] Texts(long index) => texts;

        double[] Interior(Problem2D problem, SampleRandom random, double[]? into)
        {
            var (x, y) = problem.Domain.SampleInterior(interiorPoints, random);
            var columns = new double[InteriorColumns][];
            columns[0] = x;
            columns[1] = y;
            var u = problem.Exact;
            Expr[] fields = u is null
                ? [problem.Source]
                : [problem.Source, u, u.Derivative("x"), u.Derivative("y"), u.Derivative("x").Derivative("x"), u.Derivative("y").Derivative("y")];
            for (var c = 2; c < InteriorColumns; c++) columns[c] = new double[x.Length];
            new VectorProgram(fields, ["x", "y"]).Evaluate([x, y], columns.Skip(2).Take(fields.Length).ToArray());
            return Interleave(columns, into);
        }

        double[] Boundary(Problem2D problem, SampleRandom random, double[]? into)
        {
            var b = problem.Domain.SampleBoundary(boundaryPoints, random);
            var data = problem.DataAt(b);
            double[][] columns = [b.X, b.Y, b.NormalX, b.NormalY, data.DirichletValue, data.DirichletMask, data.NeumannValue, data.NeumannMask];
            return Interleave(columns, into);
        }

        // Row-major rows of the columns, into a recycled array when there is one of the right size.
        static double[] Interleave(double[][] columns, double[]? into)
        {
            var rows = columns[0].Length;
            var result = into?.Length == rows * columns.Length ? into : new double[rows * columns.Length];
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns.Length; c++) result[r * columns.Length + c] = columns[c][r];
            return result;
        }
    }
}
