using PdeOps.Operators.Runtime;

namespace PdeOps.Operators.Tests.Runtime;

public class TorchDevicesTests
{
    [Theory]
    [InlineData("cpu", true)]
    [InlineData("CUDA", true)]
    [InlineData("cuda:3", true)]
    [InlineData("cuda:", false)]
    [InlineData("cuda:-1", false)]
    [InlineData("gpu", false)]
    public void NamesAreCpuCudaOrCudaN(string name, bool valid) => Assert.Equal(valid, TorchDevices.IsValidName(name));

    [Fact]
    public void CpuAlwaysResolves() => Assert.Equal(TorchSharp.DeviceType.CPU, TorchDevices.Resolve("cpu").type);

    [Fact]
    public void CudaWithoutACudaBuildSaysWhatWouldProvideIt()
    {
        if (TorchDevices.Backend != "cpu") return;
        var e = Assert.Throws<DeviceUnavailableException>(() => TorchDevices.Resolve("cuda:0"));
        Assert.Equal("device cuda:0: this PdeOps is built on TorchSharp's CPU package; build it with -p:TorchBackend=cuda (TorchSharp-cuda-linux) on a machine with CUDA, or use --device cpu", e.Message);
        Assert.Throws<ArgumentException>(() => TorchDevices.Resolve("tpu"));
    }
}
