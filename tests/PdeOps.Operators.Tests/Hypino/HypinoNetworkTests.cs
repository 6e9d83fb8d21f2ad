using PdeOps.Operators.Hypino;
using PdeOps.Operators.Pinn;
using PdeOps.Physics.Manufactured;
using PdeOps.Physics.Pde;
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

    // The five channels of a rendered problem, (1, 5, R, R).
    static Tensor Rendered(Problem2D problem, int resolution) =>
        HypinoBatch.ChannelsOf(ProblemRendering.Render(problem, resolution)).unsqueeze(0);

    [Fact]
    public void WithAnInputMagnitudeTheAnswerScalesWithTheDataExactly()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var plain = HypinoOptions.Small with { Depths = [1, 1], Embedding = 16 };
        using var scaling = new HypinoNetwork(plain with { InputMagnitude = 10 });
        using var reading = new HypinoNetwork(plain);
        int r = plain.Resolution;
        var problem = Problem2D.FromText("-uxx - uyy + 0.5*u", "3*sin(pi*x) + 2", "square - disk(0.3, 0.2, 0.3)", ["left, right, top, bottom: 0.5*x", "hole1: 0"], []);
        var sevenTimes = Problem2D.FromText("-uxx - uyy + 0.5*u", "21*sin(pi*x) + 14", "square - disk(0.3, 0.2, 0.3)", ["left, right, top, bottom: 3.5*x", "hole1: 0"], []);
        var coefficients = tensor(problem.Operator.Coefficients().Select(c => (float)c).ToArray()).unsqueeze(0);
        var points = rand(1, 200, 2, generator: new Generator(6)) * 2 - 1;
        using var _ = no_grad();
        Tensor U(HypinoNetwork network, Problem2D p) => network.EvaluatePinns(network.call(Rendered(p, r), coefficients), points);
        var (u, u7) = (U(scaling, problem), U(scaling, sevenTimes));
        double scale = u.abs().max().item<float>();
        Assert.True(scale > 1e-3, "the answer is not trivially zero");
        Assert.True((u7 - u * 7).abs().max().item<float>() <= 1e-4 * 7 * scale, $"7x the data gave {(u7 / u).mean().item<float>()}x the answer");
        // Data far smaller than problems are written in scale as exactly.
        var tiny = U(scaling, problem.Scaled(1e-20));
        Assert.True((tiny * 1e20f - u).abs().max().item<float>() <= 1e-4 * scale, $"1e-20 times the data gave {(tiny / u).mean().item<float>()}x the answer");
        // Without it the network reads the data as given, and the answer does not scale.
        var (v, v7) = (U(reading, problem), U(reading, sevenTimes));
        Assert.True((v7 - v * 7).abs().max().item<float>() > 1e-2 * v.abs().max().item<float>());

        // The size the data are scaled by: the largest boundary value, or a tenth of the largest |f|.
        var dirichletTwo = Problem2D.FromText("-uxx - uyy", "1", "square", ["2"], []);
        var sourceFifty = Problem2D.FromText("-uxx - uyy", "50", "square", ["0"], []);
        Assert.Equal(2, HypinoNetwork.DataMagnitude(Rendered(dirichletTwo, r)).item<float>(), 1e-5);
        Assert.Equal(5, HypinoNetwork.DataMagnitude(Rendered(sourceFifty, r)).item<float>(), 1e-4);
        // A problem without data has the zero answer, not a division by zero.
        var nothing = U(scaling, Problem2D.FromText("-uxx - uyy", "0", "square", ["0"], []));
        Assert.True(nothing.abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void WithAnInputMagnitudeTheLossIsTheSameForDataOfAnySize()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        var options = HypinoOptions.Small with { Depths = [1, 1], Embedding = 16, InputMagnitude = 10 };
        using var network = new HypinoNetwork(options);
        static Problem2D Problem(double a) => Problem2D.FromText("uxx + uyy - u", $"{a}*(-2*pi^2 - 1)*sin(pi*x)*cos(pi*y/2) + {a}*pi^2/4*sin(pi*x)*cos(pi*y/2)",
            "square - disk(0.4, 0.4, 0.2)", ["left, right, top, bottom: " + $"{a}*sin(pi*x)*cos(pi*y/2)"],
            [$"hole1: {a}*pi*(nx*cos(pi*x)*cos(pi*y/2) - ny*sin(pi*x)*sin(pi*y/2)/2)"], $"{a}*sin(pi*x)*cos(pi*y/2)");
        // The loss scores the problem as the network reads it, scaled to the same size whatever the data's.
        double Loss(double a)
        {
            using var batch = HypinoBatch.FromProblems([Problem(a)], options.Resolution, 64, 32, seed: 3);
            return new HypinoLoss().Evaluate(network, batch).Total.item<float>();
        }
        double one = Loss(1);
        Assert.True(one > 0);
        Assert.Equal(1, Loss(40) / one, 3);
        Assert.Equal(1, Loss(0.05) / one, 3);
    }

    [Fact]
    public void OptionsThatDescribeNoNetworkAreRefused()
    {
        Assert.Throws<ArgumentException>(() => HypinoOptions.Preset("huge"));
        Assert.Throws<ArgumentException>(() => (HypinoOptions.Small with { Resolution = 60 }).Validated());
        Assert.Throws<ArgumentException>(() => (HypinoOptions.Small with { Heads = 3 }).Validated());
        Assert.Throws<ArgumentException>(() => (HypinoOptions.Small with { Kernel = "cosine" }).Validated());
        Assert.Throws<ArgumentException>(() => (HypinoOptions.Small with { InputMagnitude = 0 }).Validated());
        Assert.Throws<ArgumentException>(() => (HypinoOptions.Small with { InputMagnitude = double.PositiveInfinity }).Validated());
    }
}
