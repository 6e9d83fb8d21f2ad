using System.Diagnostics;
using PdeOps.Datasets.Storage;

namespace PdeOps.Cli.Tests;

/// <summary>
/// The reliability guarantees of <c>pdeops solve</c> and <c>pdeops plot field</c>: a failed solve
/// leaves existing files as they were, sizes are refused before allocation, a full disk is one
/// line and no partial file, bad inputs are named with their file and place, and time grids that
/// cannot be honoured are usage errors. Each test runs every solve family it concerns.
/// </summary>
[Collection("console")]
public sealed class SolveReliabilityTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-solve-rel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string OneErrorLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {stderr}");
        Assert.StartsWith("pdeops: ", lines[0]);
        return lines[0];
    }

    // Every elliptic family, 2D and 3D, with an iteration limit it cannot meet.
    public static TheoryData<string[]> FailingSolves => new()
    {
        new[] { "solve", "poisson", "--n", "31" },
        new[] { "solve", "poisson", "--n", "31", "--krylov", "cg", "--bc", "d,n,d,d" },
        new[] { "solve", "darcy", "--n", "31" },
        new[] { "solve", "helmholtz", "--n", "31" },
        new[] { "solve", "heat", "--n", "15", "--dt", "0.01", "--t", "0.02" },
        new[] { "solve", "poisson", "--dim", "3", "--n", "7", "--krylov", "cg" },
        new[] { "solve", "darcy", "--dim", "3", "--n", "7" },
    };

    [Theory]
    [MemberData(nameof(FailingSolves))]
    public void FailedSolveLeavesExistingFilesAndKeepsMarkedStateOnRequest(string[] solve)
    {
        string out_ = Path.Combine(_dir, "keep.h5"), plot = Path.Combine(_dir, "keep.png");
        var (good, _, goodErr) = CliRunner.Run([.. solve, "--out", out_, "--plot", plot]);
        Assert.True(good == 0, goodErr);
        byte[] h5 = File.ReadAllBytes(out_), png = File.ReadAllBytes(plot);

        foreach (var json in new[] { false, true })
        {
            string[] args = [.. solve, "--max-iterations", "1", "--tol", "1e-14", "--out", out_, "--plot", plot];
            var (exit, _, stderr) = CliRunner.Run(json ? [.. args, "--json"] : args);
            Assert.Equal(1, exit);
            Assert.StartsWith("pdeops: error: not converged: ", OneErrorLine(stderr));
            Assert.Contains("iteration limit 1 reached", stderr);
            Assert.Equal(h5, File.ReadAllBytes(out_));
            Assert.Equal(png, File.ReadAllBytes(plot));
        }
        Assert.Equal(["keep.h5", "keep.png"], Directory.GetFiles(_dir).Select(p => Path.GetFileName(p)!).Order().ToArray());

        var (kept, _, keptErr) = CliRunner.Run([.. solve, "--max-iterations", "1", "--tol", "1e-14", "--out", out_, "--plot", plot, "--keep-unconverged"]);
        Assert.Equal(1, kept);
        Assert.Contains("kept in", OneErrorLine(keptErr));
        Assert.Equal(h5, File.ReadAllBytes(out_));
        using var reader = new FieldFileReader(Path.Combine(_dir, "keep.unconverged.h5"));
        Assert.Equal("0", reader.Attribute("converged"));
        Assert.StartsWith("not converged: ", reader.Attribute("reason"));
        Assert.True(File.Exists(Path.Combine(_dir, "keep.unconverged.png")));
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
    }

    [Theory]
    [InlineData("--n 46000", "solve", "poisson", "--n", "46000")]
    [InlineData("--n 46000", "solve", "darcy", "--n", "46000")]
    [InlineData("--n 30000", "solve", "helmholtz", "--n", "30000")]
    [InlineData("--n 40000", "solve", "heat", "--n", "40000")]
    [InlineData("--dim 3 --n 2000", "solve", "darcy", "--dim", "3", "--n", "2000")]
    [InlineData("--dim 3 --n 1200", "solve", "poisson", "--dim", "3", "--n", "1200", "--krylov", "cg")]
    [InlineData("--n 2000000000", "solve", "burgers", "--n", "2000000000")]
    [InlineData("--n 60000", "solve", "navier-stokes", "--n", "60000")]
    [InlineData("--dt", "solve", "heat", "--t", "1", "--dt", "1e-12")]
    [InlineData("--dt", "solve", "navier-stokes", "--t", "1", "--dt", "1e-12")]
    public void OversizedRequestIsRefusedBeforeAllocating(string named, params string[] args)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var (exit, _, stderr) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains(named, OneErrorLine(stderr));
        Assert.True(watch.Elapsed.TotalSeconds < 5, $"took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64 << 20, "allocated before refusing");
    }

    [Theory]
    [InlineData("u.h5", "solve", "darcy", "--n", "63")]
    [InlineData("u.png", "solve", "darcy", "--n", "63")]
    [InlineData("u.svg", "solve", "poisson", "--n", "63")]
    [InlineData("u.h5", "solve", "heat", "--n", "31")]
    [InlineData("u.png", "solve", "navier-stokes", "--n", "64", "--t", "0.01", "--dt", "0.001")]
    [InlineData("u.png", "solve", "burgers", "--n", "4096", "--t", "0.01", "--dt", "0.001")]
    [InlineData("u.h5", "solve", "poisson", "--dim", "3", "--n", "15", "--krylov", "cg")]
    public void FullDiskIsOneLineAndLeavesNoPartialFile(string file, params string[] args)
    {
        using var disk = new SmallDisk(256 * 1024);
        disk.Fill(leaveBytes: 8192);
        string target = Path.Combine(disk.Folder, file);
        string option = file.EndsWith(".h5", StringComparison.Ordinal) ? "--out" : "--plot";
        var (exit, _, stderr) = CliRunner.Run([.. args, option, target]);
        Assert.Equal(1, exit);
        Assert.Equal($"pdeops: error: no space left on device writing {target}", OneErrorLine(stderr));
        Assert.Empty(disk.Files());
    }

    [Fact]
    public async Task OutputToAPipeWritesThroughItAndLeavesThePipe()
    {
        // As --out /dev/null: a rename of the finished file would replace the pipe by a regular file.
        string fifo = Path.Combine(_dir, "pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        var reader = Task.Run(() => File.ReadAllBytes(fifo));
        Assert.Equal(0, CliRunner.Run("solve", "poisson", "--n", "15", "--out", fifo).Exit);
        byte[] bytes = await reader.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(new byte[] { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a }, bytes[..8]); // the HDF5 signature
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%F", fifo]) { RedirectStandardOutput = true })!;
        Assert.Equal("fifo", stat.StandardOutput.ReadToEnd().Trim());
    }

    [Fact]
    public async Task OutputToStandardOutputKeepsTheStreamForTheFile()
    {
        // pdeops solve ... --out /dev/stdout | other-program: the report goes to stderr, not into the HDF5 bytes.
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "pdeops.dll"), "solve", "poisson", "--n", "15", "--out", "/dev/stdout" })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var piped = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(piped);
        string stderr = await process.StandardError.ReadToEndAsync();
        await copy;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
        Assert.Contains("converged", stderr);
        string file = Path.Combine(_dir, "piped.h5");
        File.WriteAllBytes(file, piped.ToArray());
        // The bytes are the whole file and nothing else: it reads back.
        var (exit, _, error) = CliRunner.Run("plot", "field", file, "--out", Path.Combine(_dir, "piped.png"));
        Assert.True(exit == 0, error);
    }

    [Fact]
    public void PlotFieldOnFullDiskIsOneLineAndLeavesNoPartialFile()
    {
        string data = Path.Combine(_dir, "u.h5");
        Assert.Equal(0, CliRunner.Run("solve", "darcy", "--n", "127", "--out", data).Exit);
        using var disk = new SmallDisk(256 * 1024);
        disk.Fill(leaveBytes: 8192);
        foreach (var name in new[] { "u.png", "u.svg" })
        {
            string target = Path.Combine(disk.Folder, name);
            var (exit, _, stderr) = CliRunner.Run("plot", "field", data, "--out", target);
            Assert.Equal(1, exit);
            Assert.Equal($"pdeops: error: no space left on device writing {target}", OneErrorLine(stderr));
            Assert.Empty(disk.Files());
        }
    }

    string Field(string name, int h, int w, Func<int, int, double> value, string dataset = "a")
    {
        var a = new double[h, w];
        for (int j = 0; j < h; j++) for (int i = 0; i < w; i++) a[j, i] = value(j, i);
        string path = Path.Combine(_dir, name);
        // FieldFileBuilder refuses non-finite values, so bad fields are written with PureHDF directly.
        var file = new PureHDF.H5File { [dataset] = new PureHDF.H5Dataset(a) };
        file.Write(path);
        return path;
    }

    [Fact]
    public void UnknownProblemListsTheKnownOnes()
    {
        var (exit, _, stderr) = CliRunner.Run("solve", "laplace");
        Assert.Equal(2, exit);
        string line = OneErrorLine(stderr);
        Assert.Contains("unknown problem 'laplace'", line);
        foreach (var known in new[] { "poisson", "darcy", "helmholtz", "heat", "burgers", "navier-stokes" }) Assert.Contains(known, line);
    }

    [Theory]
    [InlineData("darcy")]
    [InlineData("poisson")]
    [InlineData("heat")]
    [InlineData("helmholtz")]
    public void NonFiniteCoefficientNamesFileDatasetAndIndex(string problem)
    {
        string file = Field("nan.h5", 17, 17, (j, i) => j == 3 && i == 5 ? double.NaN : 1);
        var (exit, _, stderr) = CliRunner.Run("solve", problem, "--coefficient", file);
        Assert.Equal(1, exit);
        string line = OneErrorLine(stderr);
        Assert.Contains(file, line);
        Assert.Contains("'a'", line);
        Assert.Contains("NaN at [y, x] = [3, 5]", line);
    }

    [Fact]
    public void NonPositiveCoefficientIsRefusedWithItsLocation()
    {
        string file = Field("neg.h5", 17, 17, (j, i) => j == 2 && i == 7 ? -1 : 1);
        var (exit, _, stderr) = CliRunner.Run("solve", "darcy", "--coefficient", file);
        Assert.Equal(1, exit);
        Assert.Contains("non-positive value -1 at [y, x] = [2, 7]", OneErrorLine(stderr));
    }

    [Fact]
    public void NonSquareOrMismatchedCoefficientGivesBothShapes()
    {
        string file = Field("rect.h5", 17, 33, (_, _) => 1);
        var (exit, _, stderr) = CliRunner.Run("solve", "darcy", "--coefficient", file);
        Assert.Equal(1, exit);
        Assert.Contains("17 x 33", OneErrorLine(stderr));
        Assert.Contains("square", stderr);

        string square = Field("square.h5", 17, 17, (_, _) => 1);
        (exit, _, stderr) = CliRunner.Run("solve", "darcy", "--coefficient", square, "--n", "31");
        Assert.Equal(2, exit);
        string line = OneErrorLine(stderr);
        Assert.Contains("17 x 17", line);
        Assert.Contains("33 x 33", line);
    }

    [Theory]
    [InlineData("--coefficient", "a", "--out", "solve", "darcy")]
    [InlineData("--forcing", "f", "--plot", "solve", "poisson")]
    [InlineData("--coefficient", "a", "--out", "solve", "heat", "--dt", "0.01", "--t", "0.02")]
    [InlineData("--initial", "u0", "--out", "solve", "burgers", "--t", "0.01", "--dt", "0.001")]
    [InlineData("--initial", "w0", "--out", "solve", "navier-stokes", "--t", "0.01", "--dt", "0.001")]
    public void AnInputNamedAsAnOutputIsAUsageErrorAndStaysAsItWas(string input, string dataset, string output, params string[] solve)
    {
        string name = output == "--plot" ? "field.png" : "field.h5";
        string file = Field(name, 16, 16, (j, i) => 1 + 0.01 * (i + j), dataset);
        byte[] before = File.ReadAllBytes(file);
        // With and without the dataset's name: the file is what counts.
        foreach (var spec in new[] { file, file + ":" + dataset })
        {
            var (exit, _, stderr) = CliRunner.Run([.. solve, input, spec, output, file]);
            Assert.Equal(2, exit);
            Assert.Contains($"{output} and {input} name the same file", OneErrorLine(stderr));
            Assert.Equal(before, File.ReadAllBytes(file));
        }
    }

    [Fact]
    public void MissingDatasetIsNamedWithThosePresent()
    {
        string file = Field("other.h5", 17, 17, (_, _) => 1, dataset: "kappa");
        foreach (var spec in new[] { file, file + ":coef" })
        {
            var (exit, _, stderr) = CliRunner.Run("solve", "darcy", "--coefficient", spec);
            Assert.Equal(1, exit);
            string line = OneErrorLine(stderr);
            Assert.Contains("no dataset named", line);
            Assert.Contains("kappa", line);
        }
        var (plotExit, _, plotErr) = CliRunner.Run("plot", "field", file, "--dataset", "u", "--out", Path.Combine(_dir, "u.png"));
        Assert.Equal(1, plotExit);
        Assert.Contains("kappa", OneErrorLine(plotErr));
    }

    [Theory]
    [InlineData("solve", "navier-stokes", "--n", "16", "--t", "1", "--dt", "0.01", "--record-interval", "0.3")]
    [InlineData("solve", "navier-stokes", "--n", "16", "--t", "1", "--dt", "0.01", "--record-interval", "0.125")]
    [InlineData("solve", "navier-stokes", "--n", "16", "--t", "1", "--dt", "0.01", "--record-interval", "0")]
    [InlineData("solve", "navier-stokes", "--n", "16", "--t", "1", "--dt", "2")]
    [InlineData("solve", "navier-stokes", "--n", "16", "--nu", "-1")]
    [InlineData("solve", "navier-stokes", "--n", "16", "--t", "NaN")]
    [InlineData("solve", "burgers", "--n", "64", "--dt", "0")]
    [InlineData("solve", "burgers", "--n", "64", "--t", "0.1", "--dt", "1")]
    [InlineData("solve", "burgers", "--n", "64", "--nu", "1e400")]
    [InlineData("solve", "burgers", "--n", "63")]
    [InlineData("solve", "heat", "--n", "15", "--t", "0.1", "--dt", "0.03")]
    [InlineData("solve", "heat", "--n", "15", "--dt", "-1")]
    [InlineData("solve", "heat", "--n", "15", "--t", "Infinity")]
    [InlineData("solve", "darcy", "--n", "15", "--plot", "u.jpg")]
    [InlineData("solve", "darcy", "--n", "15", "--keep-unconverged")]
    public void TimeGridsAndOutputsThatCannotBeHonouredAreUsageErrors(params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        OneErrorLine(stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void RecordIntervalThatDividesTheRunStoresTheSnapshots()
    {
        string out_ = Path.Combine(_dir, "ns.h5");
        var (exit, _, stderr) = CliRunner.Run("solve", "navier-stokes", "--n", "16", "--t", "0.1", "--dt", "0.01", "--record-interval", "0.05", "--out", out_);
        Assert.True(exit == 0, stderr);
        using var reader = new FieldFileReader(out_);
        Assert.Equal(new ulong[] { 2, 16, 16 }, reader.Dimensions("w_t"));
    }
}
