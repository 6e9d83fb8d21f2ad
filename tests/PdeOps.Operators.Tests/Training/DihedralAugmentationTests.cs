using PdeOps.Datasets.Readers;
using PdeOps.Operators.Training;
using PdeOps.Solvers.Diffusion;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Training;

/// <summary>
/// Training by the symmetries of the square: the eight maps form the group D4, the Darcy
/// problem commutes with them (the premise of the augmentation), the draws follow (seed, step)
/// only, and a model trained on one orientation of an equivariant operator learns the others.
/// </summary>
[Collection("torch random state")]
public sealed class DihedralAugmentationTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-dihedral-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheEightMapsAreTheSymmetryGroupOfTheSquare()
    {
        using var field = arange(25, dtype: ScalarType.Float64).reshape(1, 5, 5);
        var images = Enumerable.Range(0, DihedralAugmentation.Order).Select(g => DihedralAugmentation.Apply(field, g)).ToArray();
        Assert.True(Same(images[0], field));
        // Eight distinct permutations of the points...
        for (int g = 0; g < images.Length; g++)
        {
            Assert.True(Same(images[g].flatten().sort().Values, field.flatten()));
            for (int h = 0; h < g; h++) Assert.False(Same(images[g], images[h]), $"elements {g} and {h} coincide");
        }
        // ...closed under composition, with an inverse for each: a group of order 8, hence D4.
        for (int g = 0; g < images.Length; g++)
        {
            bool hasInverse = false;
            for (int h = 0; h < images.Length; h++)
            {
                var both = DihedralAugmentation.Apply(images[g], h);
                Assert.Contains(images, image => Same(image, both));
                hasInverse |= Same(both, field);
            }
            Assert.True(hasInverse, $"element {g} has no inverse");
        }
        Assert.Throws<ArgumentException>(() => DihedralAugmentation.Apply(zeros(1, 4, 5), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DihedralAugmentation.Apply(field, 8));
    }

    [Fact]
    public void DarcySolutionsCommuteWithTheSymmetriesAndAForcingThatSinglesOutADirectionBreaksThat()
    {
        const int n = 33;
        var rng = new Random(5);
        var a = new double[n, n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) a[y, x] = rng.NextDouble() < 0.5 ? 3 : 12;
        var uniform = new double[n, n];
        var slanted = new double[n, n];
        for (int y = 0; y < n; y++)
            for (int x = 0; x < n; x++) (uniform[y, x], slanted[y, x]) = (1, 1 + (double)x / (n - 1));
        var solver = new DirichletDiffusionSolver2D(new DirichletDiffusionOptions { RelativeTolerance = 1e-12 });
        using var coefficient = tensor(a);
        foreach (var (forcing, symmetric) in new[] { (uniform, true), (slanted, false) })
        {
            using var u = tensor(solver.Solve(a, forcing).U);
            double worst = 0;
            for (int g = 1; g < DihedralAugmentation.Order; g++)
            {
                var mapped = DihedralAugmentation.Apply(coefficient, g).contiguous().data<double>().ToArray();
                var grid = new double[n, n];
                Buffer.BlockCopy(mapped, 0, grid, 0, mapped.Length * sizeof(double));
                using var solved = tensor(solver.Solve(grid, forcing).U);
                double difference = (solved - DihedralAugmentation.Apply(u, g)).abs().max().item<double>() / u.abs().max().item<double>();
                if (symmetric) Assert.True(difference < 1e-9, $"element {g}: the solution of the mapped coefficient differs from the mapped solution by {difference:E2}");
                worst = Math.Max(worst, difference);
            }
            if (!symmetric) Assert.True(worst > 1e-2, $"a forcing that grows with x still commutes ({worst:E2})");
        }
    }

    [Fact]
    public void ElementsFollowSeedAndStepAndRanksDrawTheirRowsOfOneBatch()
    {
        var whole = DihedralAugmentation.Elements(seed: 4, step: 17, batchOffset: 0, count: 8, batchSize: 8);
        Assert.Equal(whole, DihedralAugmentation.Elements(4, 17, 0, 8, 8));
        Assert.Equal(whole, DihedralAugmentation.Elements(4, 17, 0, 3, 8).Concat(DihedralAugmentation.Elements(4, 17, 3, 5, 8)).ToArray());
        Assert.NotEqual(whole, DihedralAugmentation.Elements(4, 18, 0, 8, 8));
        Assert.NotEqual(whole, DihedralAugmentation.Elements(5, 17, 0, 8, 8));
        var seen = Enumerable.Range(0, 50).SelectMany(step => DihedralAugmentation.Elements(1, step, 0, 8, 8)).ToHashSet();
        Assert.Equal(Enumerable.Range(0, DihedralAugmentation.Order), seen.Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => DihedralAugmentation.Elements(1, 1, 6, 3, 8));
    }

    [Fact]
    public void InputAndTargetOfASampleAreMappedAlike()
    {
        using var inputs = randn(4, 2, 6, 6);
        using var targets = 2 * inputs.narrow(1, 0, 1) + 1;
        var (x, y) = DihedralAugmentation.Apply(inputs, targets, [0, 3, 5, 6]);
        Assert.True((2 * x.narrow(1, 0, 1) + 1).allclose(y));
        Assert.True(Same(x[1], DihedralAugmentation.Apply(inputs[1], 3)));
        Assert.False(Same(x[1], inputs[1]));
    }

    /// <summary>
    /// u = (1 - Laplacian)^-1 a on the periodic square commutes with D4. Training samples vary
    /// along x only; the test samples are the same functions along y, which the unaugmented run
    /// never sees and the augmented one reaches by transposition.
    /// </summary>
    [Fact]
    public void AModelTrainedOnOneOrientationOfAnEquivariantOperatorLearnsTheOthers()
    {
        var train = AlongOneAxis(48, seed: 1, alongY: false);
        var test = AlongOneAxis(16, seed: 2, alongY: true);
        TrainingSpec Spec(AugmentationKind augmentation) => OperatorTrainerTests.Spec(10) with
        {
            Options = OperatorTrainerTests.Spec(10).Options with { Augmentation = augmentation },
        };
        var plain = OperatorTrainer.Train(Spec(AugmentationKind.None), train, test, Path.Combine(_dir, "plain"));
        var augmented = OperatorTrainer.Train(Spec(AugmentationKind.Dihedral), train, test, Path.Combine(_dir, "augmented"));
        Assert.True(augmented.BestTestRelativeL2 < 0.5 * plain.BestTestRelativeL2,
            $"on the unseen orientation: augmented {augmented.BestTestRelativeL2:E2}, plain {plain.BestTestRelativeL2:E2}");
    }

    [Fact]
    public void PointwiseNormalizationAndDataOffASquareGridAreRefused()
    {
        var train = AlongOneAxis(8, seed: 1, alongY: false);
        var spec = OperatorTrainerTests.Spec(1);
        var pointwise = spec with { Options = spec.Options with { Augmentation = AugmentationKind.Dihedral, Normalization = NormalizationKind.GaussianPointwise } };
        Assert.Contains("pointwise", Assert.Throws<ArgumentException>(() => OperatorTrainer.Train(pointwise, train, train, Path.Combine(_dir, "pointwise"))).Message);
        var oblong = OperatorTrainerTests.InMemory(new float[8 * 16 * 12], new float[8 * 16 * 12], [8, 16, 12]);
        var dihedral = spec with { Options = spec.Options with { Augmentation = AugmentationKind.Dihedral } };
        Assert.Contains("square grid", Assert.Throws<ArgumentException>(() => OperatorTrainer.Train(dihedral, oblong, oblong, Path.Combine(_dir, "oblong"))).Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "pointwise")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "oblong")));
    }

    static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    // a = 1 + c1 sin(t) + c2 cos(2t) + c3 sin(3t) with t = x or y on a 16 x 16 periodic grid, and
    // u = (1 - Laplacian)^-1 a: each Fourier mode divided by 1 + k^2.
    static OperatorDataset AlongOneAxis(int samples, int seed, bool alongY) => OperatorTrainerTests.Periodic16(samples, seed, (c, x, y) =>
    {
        double t = alongY ? y : x;
        return (1 + c[0] * Math.Sin(t) + c[1] * Math.Cos(2 * t) + c[2] * Math.Sin(3 * t),
                1 + c[0] * Math.Sin(t) / 2 + c[1] * Math.Cos(2 * t) / 5 + c[2] * Math.Sin(3 * t) / 10);
    });
}
