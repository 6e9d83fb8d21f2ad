using System.Text.Json;
using PdeOps.Plotting.Tests;
using PureHDF;

namespace PdeOps.Cli.Tests;

/// <summary><c>pdeops pinn solve</c>: a problem as text in, a trained PINN's solution out; bad text refused before any work.</summary>
[Collection("console")]
public sealed class PinnCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-pinn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void SolvesAProblemWithAHoleAndWritesTheSolutionMaskLossAndFigure()
    {
        var (exit, output, error) = CliRunner.Run("pinn", "solve", "--pde", "uxx + uyy", "--source", "-2*pi^2*sin(pi*x)*sin(pi*y)",
            "--domain", "square - disk(0.5, 0.5, 0.25)", "--dirichlet", "sin(pi*x)*sin(pi*y)", "--neumann", "hole1: pi*(nx*cos(pi*x)*sin(pi*y) + ny*sin(pi*x)*cos(pi*y))",
            "--exact", "sin(pi*x)*sin(pi*y)", "--steps", "40", "--lbfgs-steps", "10", "--points", "256", "--boundary-points", "128",
            "--res", "33", "--out", PathOf("u.h5"), "--plot", PathOf("u.svg"), "--json", "--threads", "1");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var rel = json.RootElement.GetProperty("rel_l2").GetDouble();
        Assert.InRange(rel, 1e-6, 10);
        Assert.Equal(1, json.RootElement.GetProperty("data_scale").GetDouble()); // data of size 2 pi^2 / 10 = 1.97 train as given
        Assert.Equal(5, json.RootElement.GetProperty("conditions").GetArrayLength()); // four sides and the hole's Neumann condition
        using var file = H5File.OpenRead(PathOf("u.h5"));
        var mask = file.Dataset("mask").Read<double[,]>();
        Assert.Equal(0, mask[24, 24]); // (0.5, 0.5): the hole's centre
        Assert.Equal(1, mask[8, 8]);
        Assert.Equal(33, file.Dataset("u").Read<double[,]>().GetLength(0));
        Assert.True(file.Dataset("loss").Read<double[]>().Length >= 2);
        Assert.Equal(rel, file.Attribute("rel_l2").Read<double>(), 12);
        // The solution and the truth, the error and the training loss.
        var (_, texts) = FigureFiles.ParseSvg(PathOf("u.svg"));
        foreach (var title in new[] { "PINN, rel L2", "truth", "|error|, PINN", "training loss" }) Assert.Contains(title, texts);
    }

    [Theory]
    [InlineData("--pde", "uxx + * uyy", "--pde: at position 7")]
    [InlineData("--pde", "u*ux + uyy", "not linear")]
    [InlineData("--pde", "ux + uy", "no second-order term")]
    [InlineData("--source", "sinn(x)", "--source: at position 1")]
    [InlineData("--domain", "square - disk(3, 3, 0.5)", "lies outside the square")]
    [InlineData("--domain", "square - rect(-2, -2, 4, 4)", "has no interior")]
    [InlineData("--dirichlet", "left, right, top: 0", "'bottom' has no boundary condition")]
    [InlineData("--exact", "x + t", "unknown name 't'")]
    [InlineData("--plot", "u.jpg", "--plot must end in .png or .svg")]
    [InlineData("--steps", "-1", "--steps must be at least 0")]
    [InlineData("--lr", "0", "--lr must be positive")]
    [InlineData("--lr", "1e300", "--lr 1e300 is beyond single precision")] // failed with libtorch's float overflow
    [InlineData("--source", "1/x", "--source: the source is +infinity at (x, y) = (0, -1)")]
    [InlineData("--source", "sqrt(-1)", "--source: the source is NaN")]
    [InlineData("--dirichlet", "log(x + 1)", "--dirichlet: the Dirichlet data on left are -infinity")]
    [InlineData("--exact", "(x - x)/(x - x)", "--exact: the exact solution is NaN")]
    [InlineData("--source", "1e-35*x", "the problem's data are of size 1E-36 (the largest boundary value, or a tenth of the largest source), below 1E-30")]
    [InlineData("--res", "100000", "--res must be at most 4097")]
    [InlineData("--points", "100000000", "--points 100000000 --boundary-points 16 --width 32 --layers 3 --fourier-features 16 needs about")]
    [InlineData("--width", "100000", "--width 100000 --layers 3 --fourier-features 16 needs about")]
    [InlineData("--layers", "100000", "--layers 100000 --fourier-features 16 needs about")]
    [InlineData("--pde", "1e300*uxx + uyy", "--pde: the coefficient of uxx is 1E+300, larger in magnitude than 3.4E+38")]
    [InlineData("--pde", "1e400*uxx + uyy", "has a coefficient that is not finite (uxx: Infinity)")]
    [InlineData("--threads", "100000", "--threads must be at most")]
    [InlineData("--reference", "u.h5", "--out and --reference name the same file")]
    public void BadTextIsAUsageErrorAndWritesNothing(string option, string value, string message)
    {
        var args = new Dictionary<string, string>
        {
            ["--pde"] = "uxx + uyy",
            ["--source"] = "1",
            ["--domain"] = "square",
            ["--dirichlet"] = "0",
            ["--steps"] = "5",
            ["--lbfgs-steps"] = "0",
            ["--points"] = "16",
            ["--boundary-points"] = "16",
        };
        args[option] = option is "--plot" or "--reference" ? PathOf(value) : value;
        var line = new List<string> { "pinn", "solve", "--out", PathOf("u.h5") };
        foreach (var (k, v) in args) line.AddRange([k, v]);
        var (exit, _, error) = CliRunner.Run(line.ToArray());
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void AFullDiskNamesTheFileBeingWrittenAndLeavesNeitherOutput()
    {
        // The HDF5 file and the figure are staged together; the figure writes atomically on its own too.
        using var disk = new SmallDisk(1 << 20);
        disk.Fill(leaveBytes: 8 << 10);
        string output = Path.Combine(disk.Folder, "u.h5"), plot = Path.Combine(disk.Folder, "u.png");
        var (exit, _, error) = CliRunner.Run("pinn", "solve", "--pde", "uxx + uyy", "--source", "1", "--domain", "square", "--dirichlet", "0",
            "--steps", "2", "--lbfgs-steps", "0", "--points", "16", "--boundary-points", "16", "--res", "65",
            "--out", output, "--plot", plot, "--threads", "1");
        Assert.Equal(1, exit);
        string line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(line, new[] { $"pdeops: error: no space left on device writing {output}", $"pdeops: error: no space left on device writing {plot}" });
        Assert.Empty(disk.Files());
    }

    [Fact]
    public void BenchmarksAreWrittenWithTheirProblemTextAndASolvedBenchmarkReportsItsError()
    {
        var (exit, output, error) = CliRunner.Run("hypino", "benchmarks", "--out", PathOf("refs"), "--res", "33", "--only", "heat", "poisson-l");
        Assert.True(exit == 0, error);
        Assert.Contains("poisson-l", output);
        using (var file = H5File.OpenRead(PathOf("refs/poisson-l.h5")))
        {
            Assert.Equal("-uxx - uyy", file.Attribute("pde").Read<string>());
            Assert.Equal(0, file.Dataset("mask").Read<double[,]>()[28, 28]); // (0.75, 0.75) is cut away
        }
        Assert.True(File.Exists(PathOf("refs/heat.png")));

        (exit, output, error) = CliRunner.Run("pinn", "solve", "--benchmark", "poisson-l", "--steps", "10", "--lbfgs-steps", "0",
            "--points", "64", "--boundary-points", "32", "--res", "33", "--json", "--threads", "1");
        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("reference", json.RootElement.GetProperty("truth").GetString());
        Assert.True(json.RootElement.GetProperty("rel_l2").GetDouble() > 0);
        // f = 1 sizes the data at 0.1: the PINN trains on them times 10.
        Assert.Equal(0.1, json.RootElement.GetProperty("data_scale").GetDouble(), 12);

        (exit, output, error) = CliRunner.Run("pinn", "solve", "--reference", PathOf("refs/poisson-l.h5"), "--pde", "-uxx - uyy", "--source", "1",
            "--domain", "square - rect(0, 0, 1, 1)", "--dirichlet", "0", "--steps", "5", "--lbfgs-steps", "0", "--points", "32", "--boundary-points", "16", "--json", "--threads", "1");
        Assert.True(exit == 0, error);
        using var fromFile = JsonDocument.Parse(output);
        Assert.Equal(33, fromFile.RootElement.GetProperty("res").GetInt32());

        // Without --res a benchmark is compared on the 129-point grid its reference divides.
        (exit, output, error) = CliRunner.Run("pinn", "solve", "--benchmark", "poisson-holes", "--steps", "1", "--lbfgs-steps", "0",
            "--points", "16", "--boundary-points", "8", "--json", "--threads", "1");
        Assert.True(exit == 0, error);
        using var defaults = JsonDocument.Parse(output);
        Assert.Equal(129, defaults.RootElement.GetProperty("res").GetInt32());
    }

    [Theory]
    [InlineData(new[] { "hypino", "benchmarks", "--out", "x", "--res", "100" }, "n - 1 must divide 512")]
    [InlineData(new[] { "hypino", "benchmarks", "--out", "x", "--only", "laplace" }, "unknown benchmark 'laplace'")]
    [InlineData(new[] { "pinn", "solve", "--benchmark", "heat", "--pde", "uxx + uyy" }, "give --pde")]
    [InlineData(new[] { "pinn", "solve", "--source", "1" }, "give --pde")]
    [InlineData(new[] { "pinn", "solve", "--benchmark", "poisson-l", "--res", "100" }, "must divide 512")]
    [InlineData(new[] { "pinn", "solve", "--pde", "uxx + uyy", "--dirichlet", "0", "--reference", "missing.h5" }, "--reference: no file")]
    public void BenchmarkOptionsAreCheckedBeforeAnyWork(string[] args, string message)
    {
        var (exit, _, error) = CliRunner.Run(args.Select(a => a == "x" ? PathOf("x") : a).ToArray());
        Assert.Equal(2, exit);
        Assert.Contains(message, error);
        Assert.False(Directory.Exists(PathOf("x")));
    }
}
