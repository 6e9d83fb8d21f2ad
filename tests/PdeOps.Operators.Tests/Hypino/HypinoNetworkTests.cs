using PdeOps.Operators.Hypino;
using PdeOps.Operators.Pinn;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Hypino;

public class HypinoNetworkTests
{
    static (Tensor Channels, Tensor Coefficients) RandomProblems(HypinoOptions options, int batch, int seed)
    {
        var generator = new Generator((ulong)seed);
        int r = options.Resolution;
        return (randn([batch, 5, r, r], generator: generator), randn([batch, HypinoOptions.Coefficients], generator: generator));
    }

    [Fact]
    public void GeneratedWeightsLoadedIntoThePinnGiveTheBatchedEvaluation()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var options = HypinoOptions.Small with { Depths = [1, 1], Embedding = 16 };
        using var network = new HypinoNetwork(options);
        var (channels, coefficients) = RandomProblems(options, 3, 2);
        using var _ = no_grad();
        var flat = network.call(channels, coefficients);
        Assert.Equal([3, network.PinnParameterCount], flat.shape);
        var points = rand(3, 50, 2, generator: new Generator(3)) * 2 - 1;
        var batched = network.EvaluatePinns(flat, points);
        var named = network.Split(flat);
        for (int i = 0; i < 3; i++)
        {
            // The i-th generated PINN as an ordinary trainable network.
            using var pinn = new PinnNetwork(options.Pinn);
            foreach (var (name, parameter) in pinn.Weights) parameter.copy_(named[name][i].unsqueeze(0));
            var alone = pinn.call(points[i]);
            Assert.True(allclose(alone, batched[i], rtol: 1e-5, atol: 1e-6), $"PINN {i}: max difference {(alone - batched[i]).abs().max().item<float>()}");
        }
        // Different problems give different PINNs: the encoder's output reaches the heads.
        Assert.True((named["output.weight"][0] - named["output.weight"][1]).abs().max().item<float>() > 0);
    }

    [Theory]
    [InlineData("small")]
    [InlineData("paper")]
    public void PresetsBuildAndTakeATrainingStep(string preset)
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var options = HypinoOptions.Preset(preset);
        using var network = new HypinoNetwork(options);
        var optimizer = optim.AdamW(network.parameters(), lr: 1e-3);
        var (channels, coefficients) = RandomProblems(options, 1, 4);
        var points = rand(1, 64, 2) * 2 - 1;
        var target = (points[TensorIndex.Ellipsis, 0] * Math.PI).sin() * (points[TensorIndex.Ellipsis, 1] * Math.PI).sin();
        var before = network.parameters().First().detach().clone();
        var loss = (network.EvaluatePinns(network.call(channels, coefficients), points) - target).square().mean();
        Assert.True(double.IsFinite(loss.item<float>()));
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        Assert.True((before - network.parameters().First()).abs().max().item<float>() > 0);
    }

    [Fact]
    public void OptionsThatDescribeNoNetworkAreRefused()
    {
        Assert.Throws<ArgumentException>(() => HypinoOptions.Preset("huge"));
        Assert.Throws<ArgumentException>(() => (HypinoOptions.Small with { Resolution = 60 }).Validated());
        Assert.Throws<ArgumentException>(() => (HypinoOptions.Small with { Heads = 3 }).Validated());
        Assert.Throws<ArgumentException>(() => (HypinoOptions.Small with { Kernel = "cosine" }).Validated());
    }
}
