using PdeOps.Datasets.Storage;
using PdeOps.Physics.Problems;
using PdeOps.Solvers.Elliptic;

namespace PdeOps.Cli.Tests;

[Collection("console")]
public sealed class CertifyCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-certify-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    void Run(params string[] args)
    {
        var (exit, _, error) = CliRunner.Run(args);
        Assert.True(exit == 0, $"pdeops {string.Join(' ', args)}: {error}");
    }

    string TrainTinyDarcyModel()
    {
        Run("generate", "darcy", "--samples", "12", "--res", "17", "--fine-res", "33", "--seed", "1", "--out", PathOf("train.h5"));
        Run("generate", "darcy", "--samples", "3", "--res", "33", "--seed", "2", "--out", PathOf("test.h5"));
        string run = PathOf("run");
        Run("train", "--model", "fno", "--data", PathOf("train.h5"), "--test", PathOf("train.h5"), "--epochs", "1", "--batch", "4",
            "--width", "8", "--modes", "4", "--layers", "2", "--projection-width", "16", "--out", run, "--threads", "1");
        return run;
    }

    [Theory]
    [InlineData(false, 1, 20)]
    [InlineData(true, 1, 20)]
    [InlineData(false, 2, 20)] // samples predicted and certified side by side, one pass per thread
    [InlineData(true, 2, 1)]   // one sample per pass: the threads take turns from a shared counter
    public void CertifiedAnswersMeetTheToleranceInTheEnergyNorm(bool nested, int threads, int batch)
    {
        string run = TrainTinyDarcyModel();
        const double tolerance = 0.02;
        string[] grid = nested ? ["--predict-grid", "17"] : [];
        var (exit, output, error) = CliRunner.Run(["predict", "--model", run, "--input", PathOf("test.h5"), "--out", PathOf("certified.h5"),
            "--certify", "--tol", "0.02", "--threads", $"{threads}", "--batch", $"{batch}", .. grid]);
        Assert.True(exit == 0, error);
        // One line per sample, in sample order.
        Assert.Matches("sample 0: (operator|multigrid), error bound [^\\n]*\\nsample 1: (operator|multigrid), error bound [^\\n]*\\nsample 2: ", output.ReplaceLineEndings("\n"));

        using var file = new FieldFileReader(PathOf("certified.h5"));
        var bounds = (double[])file.ReadSamples("error_bound", 0, 3);
        var accepted = (double[])file.ReadSamples("accepted_as_predicted", 0, 3);
        for (int s = 0; s < 3; s++)
        {
            Assert.True(bounds[s] <= tolerance, $"sample {s}: bound {bounds[s]}");
            Assert.True(accepted[s] is 0 or 1);
            // The true error of the stored answer, against a tight solve of the same discrete problem.
            var a = (float[])file.ReadSamples("coefficient", s, 1);
            var u = (float[])file.ReadSamples("solution", s, 1);
            var problem = DarcyProblem(a, 33);
            var system = Discretization2D.Assemble(problem);
            var exact = Discretization2D.ToUnknowns(system, EllipticSolver2D.Solve(problem, new EllipticSolverOptions { RelativeTolerance = 1e-12 }).U);
            var answer = Discretization2D.ToUnknowns(system, ToField(u, 33));
            var difference = exact.Zip(answer, (p, q) => p - q).ToArray();
            double relative = Math.Sqrt(Energy(system, difference) / Energy(system, exact));
            Assert.True(relative <= tolerance * (1 + 1e-4), $"sample {s}: true relative energy error {relative}");
        }
    }

    [Theory]
    [InlineData("--certify")]
    [InlineData("--tol", "0.1")]
    [InlineData("--certify", "--tol", "0")]
    [InlineData("--certify", "--tol", "1.5")]
    [InlineData("--certify", "--tol", "NaN")]
    public void CertifyOptionsAreCheckedBeforeAnyWork(params string[] certify)
    {
        var (exit, _, error) = CliRunner.Run(["predict", "--model", PathOf("no-model"), "--input", PathOf("no-input.h5"), "--out", PathOf("out.h5"), .. certify]);
        Assert.Equal(2, exit);
        Assert.Contains("--tol", error);
        Assert.False(File.Exists(PathOf("out.h5")));
    }

    [Fact]
    public void PredictionsAreNeverWrittenOverTheirInput()
    {
        string input = PathOf("input.h5");
        File.WriteAllText(input, "the user's data");
        var (exit, _, error) = CliRunner.Run("predict", "--model", PathOf("no-model"), "--input", input, "--out", Path.Combine(_dir, ".", "input.h5"));
        Assert.Equal(2, exit);
        Assert.Contains("--out and --input name the same file", error);
        Assert.Equal("the user's data", File.ReadAllText(input));
    }

    [Fact]
    public void DataWithoutAClassicalCounterpartIsRefusedInOneLine()
    {
        string run = TrainTinyDarcyModel();
        // The same arrays, declared as made by another generator.
        WriteTestSetAs("other.h5", "helmholtz", "closed");
        var (exit, _, error) = CliRunner.Run("predict", "--model", run, "--input", PathOf("other.h5"), "--out", PathOf("out.h5"), "--certify", "--tol", "0.1");
        Assert.Equal(1, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("'helmholtz'", error);
        Assert.False(File.Exists(PathOf("out.h5")));
    }

    [Fact]
    public void ANestedGridPredictionIsTheOperatorsCoarseAnswerInterpolated()
    {
        string run = TrainTinyDarcyModel();
        // Two threads: the samples' interpolations run side by side.
        var (exit, _, error) = CliRunner.Run("predict", "--model", run, "--input", PathOf("test.h5"), "--out", PathOf("nested.h5"), "--predict-grid", "17", "--threads", "2");
        Assert.True(exit == 0, error);
        // The model reads its own 17x17 training grid: nothing is zero-shot.
        Assert.DoesNotContain("zero-shot", error);
        Assert.DoesNotContain("using all of them", error);
        // --samples is a maximum: more than the file holds is said, not refused.
        (exit, _, error) = CliRunner.Run("predict", "--model", run, "--input", PathOf("test.h5"), "--out", PathOf("all.h5"), "--predict-grid", "17", "--samples", "100000", "--threads", "1");
        Assert.True(exit == 0, error);
        Assert.Matches(@"warning: test\.h5 holds \d+ samples; using all of them \(--samples 100000\)", error);
        using var file = new FieldFileReader(PathOf("nested.h5"));
        var a = (float[])file.ReadSamples("coefficient", 1, 1);
        var u = (float[])file.ReadSamples("solution", 1, 1);
        var coarse = new float[17, 17];
        for (int j = 0; j < 17; j++)
            for (int i = 0; i < 17; i++) coarse[j, i] = a[2 * j * 33 + 2 * i];
        using var op = PdeOps.Operators.Inference.NeuralOperator.Load(run);
        using (var spec = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "model.json"))))
            Assert.Equal(16, spec.RootElement.GetProperty("options").GetProperty("projection_width").GetInt32()); // train --projection-width
        var direct = op.Predict(coarse);
        for (int j = 0; j < 17; j += 4)
            for (int i = 0; i < 16; i += 3)
            {
                // Shared vertices carry the coarse answer; a vertex between two carries their mean.
                Assert.Equal(direct[j, i], u[2 * j * 33 + 2 * i], 1e-5f);
                Assert.Equal((direct[j, i] + direct[j, i + 1]) / 2, u[2 * j * 33 + 2 * i + 1], 1e-5f);
            }
    }

    [Fact]
    public void BenchCertifyHoldsEveryAnswerToTheToleranceAndDrawsTheBound()
    {
        string run = TrainTinyDarcyModel();
        var (exit, _, error) = CliRunner.Run("bench", "certify", "--model", run, "--data", PathOf("test.h5"), "--predict-grid", "17", "--tol-factor", "0.2",
            "--repeats", "2", "--threads", "2", "--batch", "1", "--out", PathOf("certify.json"), "--plot", PathOf("bound.png"));
        Assert.True(exit == 0, error);
        var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(PathOf("certify.json")))!;
        double tolerance = report["tolerance"]!.GetValue<double>();
        Assert.True(report["worst_true_error_certified"]!.GetValue<double>() <= tolerance * (1 + 1e-6));
        Assert.True(report["worst_true_error_multigrid"]!.GetValue<double>() <= tolerance * (1 + 1e-6));
        // The generator's multigrid runs at the loosest ladder tolerance its true errors allow.
        var generator = report["generator_multigrid"]!;
        Assert.True(generator["worst_true_error"]!.GetValue<double>() <= tolerance * (1 + 1e-6));
        Assert.Contains(generator["relative_residual_tolerance"]!.GetValue<double>(), new[] { 0.9, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 1e-3, 1e-4, 1e-6, 1e-8 });
        Assert.Equal(2, generator["speedup_of_certified_per_repeat"]!.AsArray().Count);
        // a takes the values 3 and 12: every efficiency index lies in [1, sqrt(12 / 3)].
        Assert.InRange(report["efficiency_index_min"]!.GetValue<double>(), 1 - 1e-9, 2 + 1e-9);
        Assert.InRange(report["efficiency_index_max"]!.GetValue<double>(), 1 - 1e-9, 2 + 1e-9);
        Assert.Equal(2, report["speedup_per_repeat"]!.AsArray().Count);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, File.ReadAllBytes(PathOf("bound.png"))[..4]);
    }

    [Theory]
    [InlineData("predict", "--predict-grid", "1")]
    [InlineData("predict", "--predict-grid", "coarse")]
    [InlineData("predict", "--batch", "0")]
    [InlineData("predict", "--batch", "many")]
    [InlineData("bench", "--predict-grid", "1")]
    [InlineData("bench", "--repeats", "0")]
    [InlineData("bench", "--batch", "0")]
    [InlineData("bench", "--batch", "many")]
    [InlineData("bench", "--plot", "bound.jpg")]
    public void GridRepeatsAndBatchOptionsAreCheckedBeforeAnyWork(string command, string option, string value)
    {
        string[] args = command == "predict"
            ? ["predict", "--model", PathOf("no-model"), "--input", PathOf("no-input.h5"), "--out", PathOf("out.h5"), option, value]
            : ["bench", "certify", "--model", PathOf("no-model"), "--data", PathOf("no-input.h5"), "--out", PathOf("out.json"), option, value];
        var (exit, _, error) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(option, error);
        Assert.False(File.Exists(PathOf("out.h5")) || File.Exists(PathOf("out.json")));
    }

    [Fact]
    public void APredictGridThatDoesNotNestFailsInOneLineAndWritesNothing()
    {
        string run = TrainTinyDarcyModel();
        foreach (var args in new[]
        {
            new[] { "predict", "--model", run, "--input", PathOf("test.h5"), "--out", PathOf("out.h5"), "--predict-grid", "16", "--threads", "1" },
            ["bench", "certify", "--model", run, "--data", PathOf("test.h5"), "--out", PathOf("out.json"), "--predict-grid", "16", "--threads", "1"],
        })
        {
            var (exit, _, error) = CliRunner.Run(args);
            Assert.Equal(1, exit);
            Assert.Single(error.Trim().Split('\n'));
            Assert.Contains("--predict-grid 16 does not nest in the 33 x 33 grid", error);
        }
        Assert.False(File.Exists(PathOf("out.h5")));
        Assert.False(File.Exists(PathOf("out.json")));
    }

    [Theory]
    [InlineData("periodic", 33, "vertex-centred")]
    [InlineData("closed", 17, "needs a square two-dimensional grid")]
    public void APredictGridOnDataItCannotNestInFailsInOneLine(string convention, int width, string reason)
    {
        string run = TrainTinyDarcyModel();
        WriteTestSetAs("other.h5", "darcy", convention, width);
        var (exit, _, error) = CliRunner.Run("predict", "--model", run, "--input", PathOf("other.h5"), "--out", PathOf("out.h5"), "--predict-grid", "17", "--threads", "1");
        Assert.Equal(1, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(reason, error);
        Assert.False(File.Exists(PathOf("out.h5")));
    }

    // A sample the bound cannot take fails the run on whichever thread certifies it: one line, no output.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ASampleOutsideTheBoundsReachFailsTheRunInOneLine(int threads)
    {
        string run = TrainTinyDarcyModel();
        WriteTestSetAs("zero.h5", "darcy", "closed", alterCoefficient: a => a[2, 16, 16] = 0);
        var (exit, output, error) = CliRunner.Run("predict", "--model", run, "--input", PathOf("zero.h5"), "--out", PathOf("out.h5"),
            "--certify", "--tol", "0.1", "--threads", $"{threads}", "--batch", "1", "--predict-grid", "17");
        Assert.Equal(1, exit);
        string line = Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("the diffusion coefficient a must be positive", line);
        Assert.DoesNotContain("sample 2:", output);
        Assert.False(File.Exists(PathOf("out.h5")));
    }

    [Fact]
    public void ABenchCertifyFigureThatCannotBeWrittenIsRefusedBeforeAnyWorkAndLeavesNoReport()
    {
        string run = TrainTinyDarcyModel();
        var (exit, _, error) = CliRunner.Run("bench", "certify", "--model", run, "--data", PathOf("test.h5"), "--tol-factor", "0.2", "--threads", "1",
            "--out", PathOf("certify.json"), "--plot", Path.Combine(PathOf("test.h5"), "bound.png"));
        // A file stands where the figure's folder would be: the bench used to run before the write failed.
        Assert.Equal(2, exit);
        Assert.Contains($"{PathOf("test.h5")} is a file, not a folder", Assert.Single(error.Trim().Split('\n')));
        Assert.False(File.Exists(PathOf("certify.json")));
    }

    // The test set's arrays (their first <paramref name="width"/> columns) under another name, declared as made by
    // <paramref name="generator"/> on grids of <paramref name="convention"/>.
    void WriteTestSetAs(string name, string generator, string convention, int width = 33, Action<float[,,]>? alterCoefficient = null)
    {
        using var source = new FieldFileReader(PathOf("test.h5"));
        float[,,] Columns(string array)
        {
            var all = Samples(source.ReadSamples(array, 0, 3), 3, 33);
            var kept = new float[3, 33, width];
            for (int s = 0; s < 3; s++)
                for (int j = 0; j < 33; j++)
                    for (int i = 0; i < width; i++) kept[s, j, i] = all[s, j, i];
            return kept;
        }
        var coefficient = Columns("coefficient");
        alterCoefficient?.Invoke(coefficient);
        new FieldFileBuilder()
            .AddArray("coefficient", coefficient)
            .AddArray("solution", Columns("solution"))
            .SetAttribute(DatasetLayout.FormatAttribute, DatasetLayout.FormatName)
            .SetAttribute(DatasetLayout.VersionAttribute, DatasetLayout.Version)
            .SetAttribute(DatasetLayout.InputsAttribute, "coefficient")
            .SetAttribute(DatasetLayout.OutputsAttribute, "solution")
            .SetAttribute(DatasetLayout.GeneratorAttribute, generator)
            .SetAttribute(DatasetLayout.GridConventionAttribute, convention)
            .Write(PathOf(name));
    }

    static float[,,] Samples(Array flat, int count, int n)
    {
        var shaped = new float[count, n, n];
        Buffer.BlockCopy(flat, 0, shaped, 0, count * n * n * sizeof(float));
        return shaped;
    }

    static EllipticProblem2D DarcyProblem(float[] coefficient, int n)
    {
        var f = new double[n, n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) f[j, i] = 1;
        var a = ToField(coefficient, n);
        return new EllipticProblem2D(n - 1, n - 1, a, new double[n, n], f, BoundaryConditions2D.All(BoundaryKind.Dirichlet));
    }

    static double[,] ToField(float[] values, int n)
    {
        var field = new double[n, n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) field[j, i] = values[j * n + i];
        return field;
    }

    static double Energy(DiscreteEllipticSystem system, double[] v)
    {
        var av = new double[v.Length];
        system.Operator.Apply(v, av);
        return v.Zip(av, (p, q) => p * q).Sum();
    }
}
