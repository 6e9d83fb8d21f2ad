using System.Text.Json;
using PdeOps.Datasets.Storage;

namespace PdeOps.Cli.Tests;

[Collection("console")]
public sealed class CliTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void InfoJsonListsLibTorchAndTheIlgpuCpuAccelerator()
    {
        var (exit, stdout, _) = CliRunner.Run("info", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("2.10.0", doc.RootElement.GetProperty("libtorch").GetString());
        Assert.Contains(doc.RootElement.GetProperty("accelerators").EnumerateArray(), a => a.GetProperty("type").GetString() == "CPU");
        Assert.True(doc.RootElement.GetProperty("cores").GetInt32() >= 1);
        bool heapKept = OperatingSystem.IsLinux() && !PdeOps.Operators.Runtime.NativeHeap.Chosen(Environment.GetEnvironmentVariables());
        Assert.Equal(heapKept, doc.RootElement.GetProperty("native_heap_keeps_large_blocks").GetBoolean());
        bool spinBounded = OperatingSystem.IsLinux() && !PdeOps.Operators.Runtime.OpenMpSpin.Chosen(Environment.GetEnvironmentVariables());
        Assert.Equal(spinBounded, doc.RootElement.GetProperty("openmp_spin_bounded").GetBoolean());
    }

    [Fact]
    public void HelpShowsEveryCommandGroup()
    {
        var (exit, stdout, _) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        foreach (var group in new[] { "solve", "generate", "datasets", "train", "eval", "predict", "plot", "bench", "info", "demo" })
            Assert.Contains(group, stdout);
    }

    [Theory]
    [InlineData("solve", "poisson", "--n", "abc")]
    [InlineData("solve", "poisson", "--cycle", "Z")]
    [InlineData("solve", "poisson", "--n", "0")]
    [InlineData("info", "--bogus")]
    [InlineData("nonsense")]
    public void BadCommandLinesPrintOneLineAndExitTwo(params string[] args)
    {
        var (exit, _, stderr) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("--out must not be empty", "generate", "darcy", "--samples", "2", "--res", "17", "--out", "")]
    [InlineData("--out must not be empty", "predict", "--model", "m", "--input", "x.h5", "--out", "")]
    [InlineData("--out must not be empty", "train", "--model", "fno", "--data", "a.h5", "--test", "b.h5", "--out", "")]
    [InlineData("--data must not be empty", "train", "--model", "fno", "--data", " ", "--test", "b.h5", "--out", "r")]
    [InlineData("--model must not be empty", "hypino", "solve", "--model", "", "--pde", "uxx + uyy", "--dirichlet", "0")]
    [InlineData("the file argument must not be empty", "datasets", "info", "")]
    [InlineData("the run argument must not be empty", "plot", "training", "")]
    [InlineData("--out names a folder ('d/'); give a file name", "solve", "poisson", "--n", "15", "--out", "d/")]
    [InlineData("--out names a folder ('d/'); give a file name", "predict", "--model", "m", "--input", "x.h5", "--out", "d/")]
    [InlineData("--pinn names a folder ('d/'); give a file name", "hypino", "solve", "--model", "m", "--pde", "uxx + uyy", "--dirichlet", "0", "--pinn", "d/")]
    [InlineData("--out names a folder ('d/'); give a file name", "generate", "darcy", "--samples", "2", "--res", "17", "--out", "d/")]
    public void EmptyPathsAndFoldersForFilesAreUsageErrorsEverywhere(string message, params string[] args)
    {
        // They reached the file system after the work and failed with .NET's "The value cannot be an
        // empty string" or "Could not find a part of the path", leaving the folder behind.
        var (exit, _, stderr) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(message, Assert.Single(stderr.TrimEnd().Split('\n')));
    }

    [Theory]
    [InlineData("--plot", "solve", "poisson", "--n", "15", "--plot", "DIR")]
    [InlineData("--out", "predict", "--model", "m", "--input", "x.h5", "--out", "DIR")]
    [InlineData("--plot", "bench", "certify", "--model", "m", "--data", "x.h5", "--plot", "DIR")]
    [InlineData("--out", "bench", "certify", "--model", "m", "--data", "x.h5", "--out", "DIR")]
    [InlineData("--plot", "pinn", "solve", "--pde", "uxx + uyy", "--source", "1", "--domain", "square", "--dirichlet", "0", "--plot", "DIR")]
    [InlineData("--plot", "hypino", "solve", "--model", "m", "--pde", "uxx + uyy", "--dirichlet", "0", "--plot", "DIR")]
    [InlineData("--out", "generate", "darcy", "--samples", "2", "--res", "17", "--out", "DIR")]
    public void AnExistingFolderWhereAFileIsWrittenIsAUsageErrorBeforeAnyWork(string option, params string[] args)
    {
        // These failed after the work with "Is a directory" and exit 1.
        string folder = Path.Combine(_dir, "figure.png");
        Directory.CreateDirectory(folder);
        var (exit, _, stderr) = CliRunner.Run(args.Select(a => a == "DIR" ? folder : a).ToArray());
        Assert.Equal(2, exit);
        Assert.Contains($"{option} {folder} is a folder; give a file name", Assert.Single(stderr.TrimEnd().Split('\n')));
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Theory]
    [InlineData("solve", "poisson", "--n", "15", "--plot", "PATH")]
    [InlineData("predict", "--model", "m", "--input", "x.h5", "--out", "PATH")]
    [InlineData("pinn", "solve", "--pde", "uxx + uyy", "--source", "1", "--domain", "square", "--dirichlet", "0", "--out", "PATH")]
    [InlineData("bench", "certify", "--model", "m", "--data", "x.h5", "--out", "PATH")]
    public void AnOutputWhereNoFileCanBeCreatedIsAUsageErrorBeforeAnyWork(params string[] args)
    {
        // They failed after the work (a PINN's training, a bench's half hour) with a message naming FILE.partial.partial.
        string file = Path.Combine(_dir, "file.txt");
        File.WriteAllText(file, "x");
        foreach (var (path, why) in new[] { ("/proc/pdeops-out.h5", "files cannot be created in /proc"), (Path.Combine(file, "out.h5"), $"{file} is a file, not a folder") })
        {
            if (path.StartsWith("/proc/", StringComparison.Ordinal) && !OperatingSystem.IsLinux()) continue;
            var (exit, _, stderr) = CliRunner.Run(args.Select(a => a == "PATH" ? path : a).ToArray());
            Assert.Equal(2, exit);
            Assert.Contains($"{args[Array.IndexOf(args, "PATH") - 1]} {path}: {why}", Assert.Single(stderr.TrimEnd().Split('\n')));
        }
        Assert.Equal([file], Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void RuntimeFailureNamesTheCauseOnOneLineAndVerboseAddsTheTrace()
    {
        string missing = Path.Combine(_dir, "missing.h5");
        var (exit, _, stderr) = CliRunner.Run("plot", "field", missing, "--out", Path.Combine(_dir, "x.png"));
        Assert.Equal(1, exit);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains(missing, stderr);
        var (exitVerbose, _, stderrVerbose) = CliRunner.Run("plot", "field", missing, "--out", Path.Combine(_dir, "x.png"), "--verbose");
        Assert.Equal(1, exitVerbose);
        Assert.Contains("at PdeOps.", stderrVerbose);
    }

    [Fact]
    public void SolvePoissonJsonReportsConvergenceAndSecondOrderError()
    {
        var (exit, stdout, _) = CliRunner.Run("solve", "poisson", "--n", "63", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.True(r.GetProperty("converged").GetBoolean());
        Assert.Equal(63 * 63, r.GetProperty("unknowns").GetInt64());
        Assert.True(r.GetProperty("convergence_factor").GetDouble() < 0.1);
        // Discretisation error of the five-point stencil: about pi^2 h^2 / 12 for this solution.
        double h = 1.0 / 64, expected = Math.PI * Math.PI * h * h / 12;
        Assert.InRange(r.GetProperty("max_err").GetDouble(), 0.8 * expected, 1.2 * expected);
        foreach (var key in new[] { "problem", "n", "cycles", "residual", "setup_s", "solve_s", "reason" })
            Assert.True(r.TryGetProperty(key, out _), key);
    }

    [Fact]
    public void DemoWritesItsFilesFiguresAndReport()
    {
        string outDir = Path.Combine(_dir, "demo");
        // Two epochs instead of forty keep the test short; the pipeline is the same.
        var (exit, stdout, stderr) = CliRunner.Run("demo", "--out", outDir, "--n", "63", "--epochs", "2");
        Assert.True(exit == 0, stderr);
        Assert.Contains("poisson.h5", stdout);
        using (var reader = new FieldFileReader(Path.Combine(outDir, "poisson.h5")))
        {
            var u = reader.Read<double[,]>("u");
            Assert.Equal(65, u.GetLength(0)); // 63 interior points and the boundary
            Assert.Equal(0, u[0, 10]);
            Assert.InRange(u[32, 32], 0.99, 1.01); // sin(pi/2)^2 at the centre
            Assert.Equal("poisson", reader.Attribute("problem"));
        }
        var png = File.ReadAllBytes(Path.Combine(outDir, "poisson.png"));
        Assert.Equal((byte)'P', png[1]);
        Assert.True(png.Length > 5000);
        foreach (var file in new[] { "darcy-train.h5", "darcy-test.h5", "report.md", "mgno/model.json", "mgno/weights.bin", "mgno/metrics.csv",
                                     "mgno/training-curve.png", "mgno/test-predictions-33.png", "mgno/test-predictions-65.png", "mgno/error-vs-resolution.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        string report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("At 33 x 33: relative L2", report);
        Assert.Contains("(zero-shot)", report);
    }
}
