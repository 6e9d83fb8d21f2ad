using System.Runtime.InteropServices;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Runtime;

/// <summary>Convolution gradients in single precision agree with double precision, on every host.</summary>
public sealed class ConvolutionGradientTests
{
    /// <summary>
    /// Random small shapes of the kind the convolutional models use (1 to 16 channels, 3x3 and 5x5
    /// kernels, 5 to 39 points per axis): with libtorch's oneDNN kernels on, some cases came out
    /// non-finite or with input gradients off by tens of percent on x64 Linux hosts.
    /// </summary>
    [Fact]
    public void SinglePrecisionInputAndWeightGradientsMatchDoublePrecisionOnRandomShapes()
    {
        _ = TorchRuntime.ConvolutionIsaLimit;   // what a PdeOps model does first: the limit is in place before libtorch's first convolution
        var shapes = new Random(1);
        var failures = new List<string>();
        for (int i = 0; i < 300; i++)
        {
            int batch = shapes.Next(1, 9), inChannels = shapes.Next(1, 17), outChannels = shapes.Next(1, 17);
            int n = shapes.Next(5, 40), k = 2 * shapes.Next(1, 3) + 1;
            using var scope = NewDisposeScope();
            var generator = new TorchSharp.torch.Generator((ulong)i);
            var x64 = randn([batch, inChannels, n, n], dtype: float64, generator: generator);
            var w64 = randn([outChannels, inChannels, k, k], dtype: float64, generator: generator) / k;
            var g64 = randn([batch, outChannels, n, n], dtype: float64, generator: generator);
            (Tensor Input, Tensor Weight) Gradients(ScalarType type)
            {
                var x = x64.to(type).detach().clone().requires_grad_();
                var w = w64.to(type).detach().clone().requires_grad_();
                var y = nn.functional.conv2d(x, w, padding: [k / 2, k / 2]);
                (y * g64.to(type)).sum().backward();
                return (x.grad!.to(float64), w.grad!.to(float64));
            }
            var (input64, weight64) = Gradients(float64);
            var (input32, weight32) = Gradients(float32);
            double Relative(Tensor a, Tensor b) => ((a - b).norm() / b.norm()).item<double>();
            double input = Relative(input32, input64), weight = Relative(weight32, weight64);
            if (!(input < 1e-5 && weight < 1e-5))   // NaN fails too
                failures.Add($"batch {batch}, {inChannels}->{outChannels} channels, {n}x{n}, {k}x{k}: input {input:E1}, weight {weight:E1}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of 300 cases differ:\n" + string.Join('\n', failures.Take(10)));
    }

    [Fact]
    public void OnX64LinuxOneDnnIsLimitedToAvxUnlessTheUserChose()
    {
        string? limit = TorchRuntime.ConvolutionIsaLimit;
        bool userLimit = OneDnnGuard.Variables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))) && limit != OneDnnGuard.Limit;
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64 && !userLimit)
            Assert.True(limit == OneDnnGuard.Limit || !TorchRuntime.OneDnnEnabled, $"limit {limit ?? "none"}, oneDNN {(TorchRuntime.OneDnnEnabled ? "on" : "off")}");
    }
}
