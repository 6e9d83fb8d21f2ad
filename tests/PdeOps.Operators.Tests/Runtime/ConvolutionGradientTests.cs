using System.Runtime.InteropServices;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Runtime;

/// <summary>Convolutions in single precision, outputs and gradients, agree with double precision on every host.</summary>
public sealed class ConvolutionGradientTests
{
    const int Cases = 200;

    /// <summary>
    /// Random small shapes of the kind the convolutional models use (1 to 16 channels, 3x3 and 5x5
    /// kernels and, as at finer grids, up to 11x11; 5 to 39 points per axis). With libtorch's oneDNN
    /// kernels on an x64 Linux host, most cases came out non-finite or with input gradients off by
    /// tens of percent (AVX2, AVX-512), or with outputs off by as much (limited to AVX).
    /// </summary>
    [Fact]
    public void SinglePrecisionOutputsAndGradientsMatchDoublePrecisionOnRandomShapes()
    {
        TorchRuntime.Initialize();   // as a PdeOps model does first: the convolution backend is settled before the first convolution
        var shapes = new Random(1);
        var failures = new List<string>();
        for (int i = 0; i < Cases; i++)
        {
            int batch = shapes.Next(1, 9), inChannels = shapes.Next(1, 17), outChannels = shapes.Next(1, 17);
            int n = shapes.Next(5, 40), k = 2 * shapes.Next(1, 3) + 1;
            if (i % 8 == 7) k = 2 * shapes.Next(3, 6) + 1;   // the grown kernels of converted and convergent models at finer grids
            using var scope = NewDisposeScope();
            var generator = new TorchSharp.torch.Generator((ulong)i);
            var x64 = randn([batch, inChannels, n, n], dtype: float64, generator: generator);
            var w64 = randn([outChannels, inChannels, k, k], dtype: float64, generator: generator) / k;
            var g64 = randn([batch, outChannels, n, n], dtype: float64, generator: generator);
            (Tensor Output, Tensor Input, Tensor Weight) Compute(ScalarType type)
            {
                var x = x64.to(type).detach().clone().requires_grad_();
                var w = w64.to(type).detach().clone().requires_grad_();
                var y = nn.functional.conv2d(x, w, padding: [k / 2, k / 2]);
                (y * g64.to(type)).sum().backward();
                return (y.detach().to(float64), x.grad!.to(float64), w.grad!.to(float64));
            }
            var (output64, input64, weight64) = Compute(float64);
            var (output32, input32, weight32) = Compute(float32);
            double Relative(Tensor a, Tensor b) => ((a - b).norm() / b.norm()).item<double>();
            double output = Relative(output32, output64), input = Relative(input32, input64), weight = Relative(weight32, weight64);
            if (!(output < 1e-5 && input < 1e-5 && weight < 1e-5))   // NaN fails too
                failures.Add($"batch {batch}, {inChannels}->{outChannels} channels, {n}x{n}, {k}x{k}: output {output:E1}, input {input:E1}, weight {weight:E1}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {Cases} cases differ:\n" + string.Join('\n', failures.Take(10)));
    }

    [Fact]
    public void OnX64LinuxOneDnnIsOffUnlessTheUserAskedForIt()
    {
        bool wanted = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
            && Environment.GetEnvironmentVariable("PDEOPS_ONEDNN") != "1";
        Assert.Equal(!wanted, TorchRuntime.OneDnnEnabled);
    }
}
