using System.Text.Json;
using PdeOps.Datasets.Storage;

namespace PdeOps.Cli.Tests;

[Collection("console")]
public sealed class SolveCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-solve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static JsonElement Json(params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run([.. args, "--json"]);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    [Fact]
    public void DarcyConvergesWithFewPcgIterationsAndRoundTripsItsCoefficient()
    {
        string file = Path.Combine(_dir, "darcy.h5");
        var first = Json("solve", "darcy", "--n", "63", "--out", file);
        Assert.True(first.GetProperty("iterations").GetInt32() <= 15);
        // Solving again from the stored coefficient gives the same iteration count.
        var second = Json("solve", "darcy", "--coefficient", file + ":a");
        Assert.Equal(first.GetProperty("iterations").GetInt32(), second.GetProperty("iterations").GetInt32());
        using var reader = new FieldFileReader(file);
        Assert.Equal(new ulong[] { 65, 65 }, reader.Dimensions("u"));
    }

    [Fact]
    public void GeneralPoissonWithMixedBoundariesHasSecondOrderError()
    {
        double e1 = Json("solve", "poisson", "--n", "31", "--bc", "d,n,n,d", "--krylov", "cg").GetProperty("max_err").GetDouble();
        double e2 = Json("solve", "poisson", "--n", "63", "--bc", "d,n,n,d", "--krylov", "cg").GetProperty("max_err").GetDouble();
        Assert.InRange(Math.Log2(e1 / e2), 1.9, 2.1);
    }

    [Fact]
    public void ThreeDimensionalPoissonWithPeriodicAxisHasSecondOrderError()
    {
        double e1 = Json("solve", "poisson", "--dim", "3", "--n", "7", "--krylov", "cg", "--bc", "d,n,n,d,p,p").GetProperty("max_err").GetDouble();
        double e2 = Json("solve", "poisson", "--dim", "3", "--n", "15", "--krylov", "cg", "--bc", "d,n,n,d,p,p").GetProperty("max_err").GetDouble();
        Assert.InRange(Math.Log2(e1 / e2), 1.8, 2.2);
    }

    [Fact]
    public void ThreeDimensionalDarcyConvergesWithFewPcgIterations()
    {
        var r = Json("solve", "darcy", "--dim", "3", "--n", "31");
        Assert.Equal(3, r.GetProperty("dim").GetInt32());
        Assert.True(r.GetProperty("iterations").GetInt32() <= 15);
    }

    [Fact]
    public void BurgersMatchesColeHopf()
    {
        var r = Json("solve", "burgers", "--n", "256", "--dt", "1e-3", "--t", "0.5");
        Assert.True(r.GetProperty("max_err").GetDouble() < 1e-8);
        Assert.Equal(500, r.GetProperty("iterations").GetInt32());
    }

    [Fact]
    public void NavierStokesTaylorGreenDecaysAtTheViscousRate()
    {
        var r = Json("solve", "navier-stokes", "--n", "32", "--nu", "0.01", "--t", "0.2", "--dt", "1e-3");
        // 4 pi amplitude; relative error 1e-6.
        Assert.True(r.GetProperty("max_err").GetDouble() < 4 * Math.PI * 1e-6);
    }

    [Fact]
    public void HeatCrankNicolsonIsCloseToTheExactDecay()
    {
        var r = Json("solve", "heat", "--n", "31", "--dt", "0.01", "--t", "0.1");
        Assert.True(r.GetProperty("converged").GetBoolean());
        Assert.True(r.GetProperty("max_err").GetDouble() < 1e-3);
    }

    [Fact]
    public void ReportsNameTheStoppingRule()
    {
        var r = Json("solve", "darcy", "--n", "31", "--tol", "1e-8");
        Assert.Contains("1E-08 ||b||", r.GetProperty("criterion").GetString());
        Assert.Equal(JsonValueKind.Null, Json("solve", "burgers", "--n", "64", "--t", "0.01").GetProperty("criterion").ValueKind);
        var (exit, stdout, _) = CliRunner.Run("solve", "poisson", "--n", "31");
        Assert.Equal(0, exit);
        Assert.Contains("stopping rule: ||r|| <= max(", stdout);
    }

    [Fact]
    public void IlgpuKernelsOnTheCpuAcceleratorGiveTheNativeAnswer()
    {
        var native = Json("solve", "poisson", "--n", "63", "--cycle", "fmg");
        var ilgpu = Json("solve", "poisson", "--n", "63", "--cycle", "fmg", "--device", "ilgpu-cpu");
        Assert.Equal(native.GetProperty("max_err").GetDouble(), ilgpu.GetProperty("max_err").GetDouble(), 12);
        Assert.StartsWith("CPU", ilgpu.GetProperty("device").GetString());
    }

    [Fact]
    public void GpuRequestWithoutCudaFallsBackToTheCpuWithAMessage()
    {
        var (exit, stdout, stderr) = CliRunner.Run("solve", "poisson", "--n", "31", "--device", "gpu", "--json");
        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(stdout);
        string device = doc.RootElement.GetProperty("device").GetString()!;
        if (device.StartsWith("Cuda", StringComparison.Ordinal)) return; // a machine with a GPU ran it there
        Assert.Contains("falling back", stderr);
        Assert.StartsWith("cpu", device);
    }

    [Theory]
    [InlineData("solve", "helmholtz", "--krylov", "cg")]
    [InlineData("solve", "poisson", "--bc", "p,d,d,d")]
    [InlineData("solve", "darcy", "--cycle", "fmg")]
    [InlineData("solve", "darcy", "--device", "gpu")]
    [InlineData("solve", "heat", "--dim", "3")]
    [InlineData("solve", "helmholtz", "--n", "31", "--k", "1e300")] // k^2 overflowed: "field c contains -Infinity", exit 1
    [InlineData("solve", "darcy", "--tol", "1e-300")] // below machine epsilon: a Krylov breakdown after 112 iterations, exit 1
    [InlineData("solve", "poisson", "--tol", "1e-17")] // 200 cycles to a relative residual of 5e-14, exit 1
    public void InvalidCombinationsAreUsageErrors(params string[] args)
    {
        var (exit, _, stderr) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }
}
