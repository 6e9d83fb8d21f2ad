namespace PdeOps.Cli.Tests;

/// <summary>--device on train, eval and predict: cpu runs, CUDA without a CUDA build is refused in one line before any work.</summary>
[Collection("console")]
public sealed class DeviceOptionTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-cli-device-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void CpuTrainsAndCudaIsRefusedWithoutACudaBuild()
    {
        Assert.Equal(0, CliRunner.Run("generate", "darcy", "--samples", "4", "--res", "9", "--out", PathOf("d.h5")).Exit);
        string[] train = ["train", "--data", PathOf("d.h5"), "--test", PathOf("d.h5"), "--epochs", "1", "--width", "4", "--modes", "2", "--layers", "1", "--threads", "1"];
        var (exit, _, error) = CliRunner.Run([.. train, "--out", PathOf("cpu"), "--device", "cpu"]);
        Assert.True(exit == 0, error);
        if (PdeOps.Operators.Runtime.TorchDevices.Backend != "cpu") return;
        foreach (var args in new[] { [.. train, "--out", PathOf("gpu"), "--device", "cuda"], ["eval", "--model", PathOf("cpu"), "--data", PathOf("d.h5"), "--device", "cuda:1"],
            new[] { "predict", "--model", PathOf("cpu"), "--input", PathOf("d.h5"), "--out", PathOf("p.h5"), "--device", "cuda" } })
        {
            (exit, _, error) = CliRunner.Run(args);
            Assert.Equal(2, exit);
            Assert.Single(error.Trim().Split('\n'));
            Assert.Contains("this PdeOps is built on TorchSharp's CPU package; build it with -p:TorchBackend=cuda", error);
        }
        Assert.False(Directory.Exists(PathOf("gpu")));
        Assert.False(File.Exists(PathOf("p.h5")));
        (exit, _, error) = CliRunner.Run([.. train, "--out", PathOf("x"), "--device", "gpu"]);
        Assert.Equal(2, exit);
        Assert.Contains("--device must be cpu, cuda or cuda:N, got gpu", error);
    }
}
