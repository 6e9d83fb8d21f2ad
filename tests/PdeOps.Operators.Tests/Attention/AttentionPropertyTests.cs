using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Losses;
using TorchSharp;
using static PdeOps.Operators.Tests.Attention.AttentionTestFunctions;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Attention;

/// <summary>What attention over points must satisfy whatever its weights: equivariance, and agreement between its forms.</summary>
[Collection("torch random state")]
public sealed class AttentionPropertyTests
{
    [Theory]
    [InlineData("softmax")]
    [InlineData("linear")]
    [InlineData("sigmoid")]
    public void PermutingThePointsPermutesTheOutputAndCrossAttentionAtTheSamePointsIsSelfAttention(string kernel)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var layer = new IntegralAttention(8, 2, AttentionKernels.Create(kernel));
        layer.to(float64);
        var points = SkewedPoints(300, 4);
        using var set = new PointSet(points, SkewedWeights(points));
        var features = Features(points, Lift(8, 1));
        using var noGrad = no_grad();
        var self = layer.Forward(features, set);
        var permutation = randperm(300);
        using var permuted = new PointSet(points.index_select(1, permutation), set.Weights.index_select(1, permutation));
        var out2 = layer.Forward(features.index_select(1, permutation), permuted);
        Assert.True(allclose(self.index_select(1, permutation), out2, rtol: 1e-10, atol: 1e-12));
        Assert.True(allclose(self, layer.Forward(features, features, set), rtol: 0, atol: 0));
        Assert.Equal([1L, 300, 8], self.shape);
    }

    [Fact]
    public void ChunkedSoftmaxEqualsTheFusedKernel()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var q = randn([2, 3, 200, 8], dtype: float64);
        var k = randn([2, 3, 500, 8], dtype: float64);
        var v = randn([2, 3, 500, 8], dtype: float64);
        var w = rand([2, 500], dtype: float64) + 0.1;
        var fused = new SoftmaxKernel().Apply(q, k, v, w);
        var chunked = new SoftmaxKernel { QueryChunk = 37 }.Apply(q, k, v, w);
        Assert.True((fused - chunked).abs().max().item<double>() < 1e-6);
        // And both are the definition: sum_j w_j exp(s_ij) v_j / sum_j w_j exp(s_ij).
        var s = q.matmul(k.transpose(-2, -1)) / Math.Sqrt(8);
        var e = s.exp() * w.unsqueeze(1).unsqueeze(1);
        var definition = e.matmul(v) / e.sum(-1, keepdim: true);
        Assert.True((fused - definition).abs().max().item<double>() < 1e-10);
    }

    [Fact]
    public void LinearKernelEqualsItsQuadraticFormDefinition()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        int n = 7, m = 5, d = 3;
        var q = randn([1, 1, m, d], dtype: float64);
        var k = randn([1, 1, n, d], dtype: float64);
        var v = randn([1, 1, n, d], dtype: float64);
        var w = rand([1, n], dtype: float64) + 0.1;
        var fast = new LinearKernel { Epsilon = 0 }.Apply(q, k, v, w);
        static double[] Normalised(Tensor row)
        {
            var a = row.data<double>().ToArray();
            double mean = a.Average(), sd = Math.Sqrt(a.Select(x => (x - mean) * (x - mean)).Average());
            return a.Select(x => (x - mean) / sd).ToArray();
        }
        for (int i = 0; i < m; i++)
            for (int c = 0; c < d; c++)
            {
                double sum = 0;
                var qi = q[0, 0, i].data<double>().ToArray();
                for (int j = 0; j < n; j++)
                {
                    var kj = Normalised(k[0, 0, j]);
                    var vj = Normalised(v[0, 0, j]);
                    sum += w[0, j].item<double>() * qi.Zip(kj, (a, b) => a * b).Sum() * vj[c];
                }
                Assert.Equal(sum, fast[0, 0, i, c].item<double>(), 10);
            }
    }

    [Theory]
    [InlineData("linear", 300, 300)]
    [InlineData("linear", 300, 170)]
    [InlineData("physics", 300, 300)]
    [InlineData("physics-per-head", 300, 300)]
    public void StreamingOverChunksOfPointsGivesTheSameOutputAndGradients(string kernel, int sources, int queries)
    {
        // Two samples of width 8: 37 points per chunk, so 300 points make 9 chunks, the last one short.
        const long chunkElements = 37 * 2 * 8;
        using var scope = NewDisposeScope();
        manual_seed(5);
        (Tensor Output, Tensor[] Gradients) Run(long chunk)
        {
            manual_seed(6);
            nn.Module layer = kernel.StartsWith("physics", StringComparison.Ordinal)
                ? new PhysicsAttention(8, 2, 4, slicesPerHead: kernel == "physics-per-head") { ChunkElements = chunk }
                : new IntegralAttention(8, 2, new LinearKernel()) { ChunkElements = chunk };
            layer.to(float64);
            manual_seed(7);
            var points = cat([SkewedPoints(sources, 8), SkewedPoints(sources, 10)], 0);
            using var set = new PointSet(points, SkewedWeights(points));
            var features = Features(points, Lift(8, 9)).requires_grad_(true);
            var queryFeatures = features.narrow(1, 0, queries);
            var output = layer is PhysicsAttention p ? p.Forward(features, set) : ((IntegralAttention)layer).Forward(queryFeatures, features, set);
            (output * randn_like(output)).sum().backward();
            return (output.detach(), [features.grad!, .. layer.parameters().Select(q => q.grad!)]);
        }
        var (whole, wholeGradients) = Run(0);
        var (chunked, chunkedGradients) = Run(chunkElements);
        Assert.Equal([2L, queries, 8], chunked.shape);
        Assert.True(allclose(whole, chunked, rtol: 1e-10, atol: 1e-12));
        Assert.Equal(wholeGradients.Length, chunkedGradients.Length);
        for (int i = 0; i < wholeGradients.Length; i++)
            Assert.True(allclose(wholeGradients[i], chunkedGradients[i], rtol: 1e-9, atol: 1e-12), $"gradient {i} differs");
        Assert.Equal(37L, IntegralAttention.ChunkPoints(chunkElements, 2, 8, 300));
        Assert.Equal(300L, IntegralAttention.ChunkPoints(0, 2, 8, 300));
    }

    [Fact]
    public void PhysicsAttentionSlicingPerHeadWithOneHeadIsTheSharedSlicingAndDiffersWithMore()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var points = SkewedPoints(200, 3);
        using var set = new PointSet(points, SkewedWeights(points));
        var features = Features(points, Lift(8, 4));
        Tensor Output(int heads, bool slicesPerHead)
        {
            manual_seed(11);
            using var layer = new PhysicsAttention(8, heads, 4, slicesPerHead);
            layer.to(float64);
            using var noGrad = no_grad();
            return layer.Forward(features, set);
        }
        Assert.True(allclose(Output(1, false), Output(1, true), rtol: 1e-12, atol: 1e-14));
        Assert.False(allclose(Output(2, false), Output(2, true), rtol: 1e-3, atol: 1e-6));
        using var perHead = new PhysicsAttention(8, 2, 4, slicesPerHead: true);
        Assert.Equal(2, perHead.SlicingHeads);
        Assert.Equal([2L], perHead.named_parameters().Single(p => p.name == "logTemperature").parameter.shape);
    }

    [Fact]
    public void BadShapesAndWeightsAreRefusedWithAMessage()
    {
        using var scope = NewDisposeScope();
        Assert.Contains("weights", Assert.Throws<ArgumentException>(() => new PointSet(rand(1, 10, 2), rand(1, 9))).Message);
        Assert.Contains("positive and finite", Assert.Throws<ArgumentException>(() => new PointSet(rand(1, 3, 2), tensor(new float[] { 1, 0, 1 }).view(1, 3))).Message);
        Assert.Contains("positive and finite", Assert.Throws<ArgumentException>(() => new PointSet(rand(1, 3, 2), tensor(new float[] { 1, float.NaN, 1 }).view(1, 3))).Message);
        using var layer = new IntegralAttention(8, 2, new LinearKernel());
        using var set = PointSet.Grid([4, 4], GridConvention.Closed);
        Assert.Contains("do not match", Assert.Throws<ArgumentException>(() => layer.Forward(rand(1, 15, 8), rand(1, 15, 8), set)).Message);
        Assert.Contains("(batch, points, 8)", Assert.Throws<ArgumentException>(() => layer.Forward(rand(1, 16, 6), set)).Message);
        Assert.Contains("known kernels", Assert.Throws<ArgumentException>(() => AttentionKernels.Create("cosine")).Message);
        Assert.Contains("multiple of the heads", Assert.Throws<ArgumentException>(() => new IntegralAttention(10, 4, new LinearKernel())).Message);
    }
}
