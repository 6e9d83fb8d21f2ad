using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Runtime;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Attention;

/// <summary>
/// Softmax attention over many points never holds an n x n score matrix. Measured as the
/// process's peak resident memory (Linux VmHWM), reset just before the pass by writing 5 to
/// /proc/self/clear_refs: one n x n float matrix at n = 16384 is 1 GiB, the whole pass must stay
/// well below it.
/// </summary>
[Collection("torch random state")]
public sealed class AttentionMemoryTests
{
    [Fact]
    public void SoftmaxForwardAndBackwardAt16384PointsStayFarBelowOneScoreMatrix()
    {
        if (!OperatingSystem.IsLinux()) return; // VmHWM is Linux's; the kernels are the same elsewhere
        const int n = 16384, width = 64, heads = 4, batch = 2;
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var layer = new IntegralAttention(width, heads, new SoftmaxKernel());
        using var points = PointSet.Grid([128, 128], GridConvention.Closed, batch);
        var features = randn([batch, n, width]).requires_grad_(true);
        Assert.True(ProcessMemory.ResetPeak());
        long before = ProcessMemory.ResidentBytes;
        var output = layer.Forward(features, points);
        output.pow(2).mean().backward();
        long growth = ProcessMemory.PeakResidentBytes - before;
        long scoreMatrix = (long)n * n * sizeof(float);
        Assert.NotNull(features.grad);
        Assert.True(growth < scoreMatrix / 4, $"peak grew by {growth >> 20} MiB; one {n} x {n} score matrix is {scoreMatrix >> 20} MiB");
    }
}
