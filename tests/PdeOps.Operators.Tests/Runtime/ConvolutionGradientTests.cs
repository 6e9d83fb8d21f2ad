using System.Runtime.Intrinsics.X86;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Runtime;

/// <summary>Convolution gradients in single precision agree with double precision, on every host.</summary>
public sealed class ConvolutionGradientTests
{
    [Theory]
    [InlineData(1, 8, 16)]
    [InlineData(8, 8, 16)]
    [InlineData(8, 16, 33)]
    public void SinglePrecisionWeightAndInputGradientsMatchDoublePrecision(int inChannels, int outChannels, int n)
    {
        _ = TorchRuntime.ConvolutionIsaLimit;   // what a PdeOps model does first: the limit is in place before libtorch's first convolution
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(7);
        var x64 = randn([8, inChannels, n, n], dtype: float64, generator: generator);
        var w64 = randn([outChannels, inChannels, 3, 3], dtype: float64, generator: generator) / 3;
        var g64 = randn([8, outChannels, n, n], dtype: float64, generator: generator);
        (Tensor Input, Tensor Weight) Gradients(ScalarType type)
        {
            var x = x64.to(type).detach().clone().requires_grad_();
            var w = w64.to(type).detach().clone().requires_grad_();
            var y = nn.functional.conv2d(x, w, padding: [1, 1]);
            (y * g64.to(type)).sum().backward();
            return (x.grad!.to(float64), w.grad!.to(float64));
        }
        var (input64, weight64) = Gradients(float64);
        var (input32, weight32) = Gradients(float32);
        Assert.True(weight32.isfinite().all().item<bool>() && input32.isfinite().all().item<bool>(), "non-finite single-precision gradients");
        double Relative(Tensor a, Tensor b) => ((a - b).norm() / b.norm()).item<double>();
        Assert.True(Relative(weight32, weight64) < 1e-5, $"weight gradient differs by {Relative(weight32, weight64):E2}");
        Assert.True(Relative(input32, input64) < 1e-5, $"input gradient differs by {Relative(input32, input64):E2}");
    }

    [Fact]
    public void OnLinuxHostsWithAvx512TheConvolutionsAreLimitedToAvx2UnlessTheUserChose()
    {
        string? limit = TorchRuntime.ConvolutionIsaLimit;
        if (OperatingSystem.IsLinux() && Avx512F.IsSupported) Assert.NotNull(limit);
        if (OneDnnIsaLimit.Applied) Assert.Equal(OneDnnIsaLimit.Limit, limit);
        else if (limit is not null) Assert.Contains(OneDnnIsaLimit.Variables, v => Environment.GetEnvironmentVariable(v) == limit);
    }
}
