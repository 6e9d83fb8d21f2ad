using PdeOps.Datasets.Generation;
using PdeOps.Datasets.Generation.Generators;
using PdeOps.Datasets.Storage;
using PdeOps.Physics.Geometry;
using PdeOps.Physics.Pde;
using PdeOps.Physics.Symbolic;

namespace PdeOps.Datasets.Tests.Generation;

/// <summary>
/// The arrays of an mms sample against its own problem text: the solution on the grid is u where
/// the mask says inside (and the mask is the domain's closure), each boundary point carries the
/// data of its segment's conditions, and the in-memory throughput measure runs the same workers.
/// </summary>
public sealed class MmsSampleTests
{
    const int Resolution = 24, InteriorPoints = 40, BoundaryPoints = 30;

    static (ITextSampleWorker Worker, GenerationRequest Request) Worker(double physicsFraction = 0, double zeroSidesFraction = 0)
    {
        var request = new GenerationRequest
        {
            Family = "mms",
            Samples = 8,
            Resolution = Resolution,
            Seed = 11,
            Parameters = new Dictionary<string, double>
            {
                ["interior_points"] = InteriorPoints,
                ["boundary_points"] = BoundaryPoints,
                ["physics_fraction"] = physicsFraction,
                ["zero_sides_fraction"] = zeroSidesFraction,
            },
        };
        return ((ITextSampleWorker)new MmsGenerator().Plan(request).CreateWorker(), request);
    }

    [Fact]
    public void SolutionAndMaskOnTheGridAreTheExactSolutionInsideTheDomain()
    {
        var (worker, _) = Worker();
        var coordinates = Domain2D.Coordinates(Resolution);
        for (var index = 0; index < 4; index++)
        {
            var values = worker.Generate(index, attempt: 0);
            var texts = worker.Texts(index);
            var u = Expr.Parse(texts[4], ["x", "y"]);
            var domain = Domain2D.Parse(texts[2]);
            var (solution, mask) = (values[1], values[2]);
            for (var j = 0; j < Resolution; j++)
                for (var i = 0; i < Resolution; i++)
                {
                    var (x, y, k) = (coordinates[i], coordinates[j], j * Resolution + i);
                    var inside = domain.InClosure(x, y);
                    Assert.Equal(inside ? 1 : 0, mask[k]);
                    var expected = inside ? u.Evaluate(v => v == "x" ? x : y) : 0;
                    Assert.True(Math.Abs(solution[k] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"sample {index} at ({x}, {y}): {solution[k]} vs u = {expected}");
                }
        }
    }

    [Fact]
    public void ZeroSidesSamplesAreSupervisedAndVanishOnTheSquaresSides()
    {
        var (worker, _) = Worker(zeroSidesFraction: 1);
        const int last = Resolution - 1;
        for (var index = 0; index < 4; index++)
        {
            var values = worker.Generate(index, attempt: 0);
            Assert.Equal(1, values[5][0]);
            var (solution, n) = (values[1], Resolution);
            for (var t = 0; t < n; t++)
                foreach (var k in new[] { t, last * n + t, t * n, t * n + last })
                    Assert.Equal(0, solution[k], 1e-9);
            Assert.Contains(solution, v => Math.Abs(v) > 1e-3);
        }
    }

    [Fact]
    public void EveryBoundaryPointCarriesItsSegmentsData()
    {
        var (worker, _) = Worker();
        for (var index = 0; index < 4; index++)
        {
            var values = worker.Generate(index, attempt: 0);
            var texts = worker.Texts(index);
            var u = Expr.Parse(texts[4], ["x", "y"]);
            var (ux, uy) = (u.Derivative("x"), u.Derivative("y"));
            var boundary = values[4];
            Assert.Equal(BoundaryPoints * MmsGenerator.BoundaryColumns, boundary.Length);
            for (var p = 0; p < BoundaryPoints; p++)
            {
                var row = boundary.AsSpan(p * MmsGenerator.BoundaryColumns, MmsGenerator.BoundaryColumns);
                var (x, y, nx, ny) = (row[0], row[1], row[2], row[3]);
                Assert.Equal(1, nx * nx + ny * ny, 9);
                // Only the final-time side of a time-dependent problem goes without a condition.
                if (row[5] == 0 && row[7] == 0)
                    Assert.True(LinearOperator2D.Parse(texts[0]).IsTimeDependent && y == 1, $"sample {index}: boundary point ({x}, {y}) has no condition");
                double At(Expr e) => e.Evaluate(v => v == "x" ? x : y);
                if (row[5] == 1) Assert.Equal(At(u), row[4], 1e-10);
                else Assert.Equal(0, row[4]);
                if (row[7] == 1) Assert.Equal(nx * At(ux) + ny * At(uy), row[6], 1e-9);
                else Assert.Equal(0, row[6]);
            }
        }
    }

    [Fact]
    public void ThroughputIsMeasuredOnTheSameWorkersAndRefusesBadSettings()
    {
        var (_, request) = Worker(physicsFraction: 0.5);
        var run = GeneratorThroughput.Measure(request, threads: 2, warmup: TimeSpan.FromMilliseconds(50));
        Assert.Equal(8, run.Samples);
        Assert.Equal(2, run.Threads);
        Assert.True(run.Seconds > 0 && double.IsFinite(run.SamplesPerSecond) && run.SamplesPerSecond > 0);
        Assert.Throws<ArgumentException>(() => GeneratorThroughput.Measure(request, threads: 0, TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => GeneratorThroughput.Measure(request with { Resolution = 4 }, threads: 1, TimeSpan.Zero));
    }

    [Fact]
    public void RecycledArraysAreRefilledCompletely()
    {
        // 200 samples at 16² make several chunks, so arrays handed back after the first chunks are
        // refilled; half the samples are physics-only, whose solution must read 0 again.
        var (_, request) = Worker(physicsFraction: 0.5);
        request = request with { Samples = 200, Resolution = 16 };
        var folder = Directory.CreateTempSubdirectory("pdeops-mms-recycle-").FullName;
        try
        {
            var path = Path.Combine(folder, "mms.h5");
            DatasetGeneration.Run(request, path, new GenerationRunOptions { Threads = 2 });
            var fresh = new MmsGenerator().Plan(request);
            using var file = new FieldFileReader(path);
            foreach (var (name, a) in new[] { ("channels", 0), ("solution", 1), ("mask", 2), ("interior", 3), ("boundary", 4) })
            {
                var (stored, _) = file.ReadFlatDouble(name);
                var length = stored.Length / 200;
                for (var index = 0; index < 200; index += 7)
                {
                    // A new worker per sample: nothing reused on this side.
                    var expected = fresh.CreateWorker().Generate(index, attempt: 0)[a];
                    for (var k = 0; k < length; k++)
                        Assert.True((float)expected[k] == stored[index * length + k], $"{name} of sample {index} at {k}: {stored[index * length + k]} stored, {expected[k]} computed afresh");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
