using PdeOps.Operators.Conversion;
using PdeOps.Operators.Inference;
using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using PdeOps.Operators.Training;
using TorchSharp.Modules;
using static PdeOps.Operators.Tests.Training.OperatorTrainerTests;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Convergent;

/// <summary>Conversion keeps the weights and the reference grid's results, runs on other grids, and refuses what has no function-space meaning.</summary>
[Collection("torch random state")]
public sealed class OperatorConversionTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pdeops-conversion-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly ReferenceGrid2d Reference33 = new(33, 33, GridConvention.Closed);

    static Tensor Input(long n, long channels = 2)
    {
        var x = linspace(0, 1, n);
        var field = (Math.PI * x).sin().unsqueeze(1) * (3 * x).cos().unsqueeze(0);
        return stack(Enumerable.Range(0, (int)channels).Select(c => field * (c + 1) + 0.1 * c).ToArray()).unsqueeze(0);
    }

    static Sequential SmallCnn() => nn.Sequential(
        ("conv", nn.Conv2d(2, 8, 3, padding: 1)),
        ("act", nn.GELU()),
        ("down", nn.Conv2d(8, 8, 3, stride: 2, padding: 1)),
        ("norm", nn.BatchNorm2d(8)),
        ("up", nn.ConvTranspose2d(8, 8, 3, stride: 2, padding: 1)),
        ("diff", nn.Conv2d(8, 8, 5, padding: 2)),
        ("out", nn.Conv2d(8, 1, 1)));

    [Theory]
    [InlineData(ConvolutionRule.KernelInterpolation)]
    [InlineData(ConvolutionRule.Differential)]
    [InlineData(ConvolutionRule.StencilMoments)]
    public void AConvertedSequentialReproducesTheOriginalOnTheReferenceGridAndRunsOnOthers(ConvolutionRule rule)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var original = SmallCnn();
        original.eval();
        Tensor expected;
        using (no_grad()) expected = original.call(Input(33));

        var converted = OperatorConversion.Convert(SmallCnn().Also(c => c.load_state_dict(original.state_dict())), Reference33,
            new ConversionOptions { Convolutions = rule });
        converted.eval();
        using var noGrad = no_grad();
        var actual = converted.call(Input(33));
        Assert.True((actual - expected).abs().max().item<float>() <= 1e-6 * Math.Max(1, expected.abs().max().item<float>()));
        Assert.Equal(new long[] { 1, 1, 65, 65 }, converted.call(Input(65)).shape);
        Assert.Equal(new long[] { 1, 1, 129, 129 }, converted.call(Input(129)).shape);

        string convolution = rule switch
        {
            ConvolutionRule.Differential => "differential kernel",
            ConvolutionRule.StencilMoments => "stencil moments",
            _ => "kernel interpolation",
        };
        Assert.Equal(
            [("conv", convolution), ("act", "pointwise"), ("down", "resampled"), ("norm", "pointwise"), ("up", "resampled"), ("diff", convolution), ("out", "pointwise")],
            converted.Layers.Select(l => (l.Path, l.Rule)).ToArray());
        // The parameters are the original's, under the same names.
        Assert.Equal(original.state_dict().Keys.Order(), converted.Network.state_dict().Keys.Order());
    }

    [Theory]
    [InlineData(NetworkOperator.UNetName, NetworkOperator.UNetOperatorName)]
    [InlineData(NetworkOperator.ResNetName, NetworkOperator.ResNetOperatorName)]
    [InlineData(NetworkOperator.ViTName, NetworkOperator.ViTOperatorName)]
    public void TheShippedConversionsShareTheOriginalsWeightsAndResultsOnTheTrainingGrid(string plainName, string convertedName)
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        NeuralOperatorOptions options = plainName switch
        {
            NetworkOperator.UNetName => new UNetOptions { Width = 8, Levels = 2, ReferenceSize = 33 },
            NetworkOperator.ViTName => new ViTOptions { Width = 8, Layers = 2, Heads = 2, PatchSize = 3, ReferenceSize = 33 },
            _ => new ResNetOptions { Width = 8, Layers = 2, ReferenceSize = 33 },
        };
        using var plain = OperatorModelRegistry.Default.Create(plainName, options);
        using var converted = (NetworkOperator)OperatorModelRegistry.Default.Create(convertedName, options);
        converted.load_state_dict(plain.state_dict());
        plain.eval();
        converted.eval();
        using var noGrad = no_grad();
        var input = Input(33, 1);
        Assert.True((plain.call(input) - converted.call(input)).abs().max().item<float>() < 1e-5);
        Assert.True(converted.IsConverted);
        Assert.Null(converted.GridCaveat([65, 65]));
        Assert.Contains("computes another operator", plain.GridCaveat([65, 65]));
        foreach (int n in new[] { 21, 65, 85 })
            Assert.Equal(new long[] { 1, 1, n, n }, converted.call(Input(n, 1)).shape);
    }

    [Theory]
    [InlineData("unet")]
    [InlineData("unet-no")]
    public void AConvertedModelTrainsSavesAndReloadsThroughTheCheckpoint(string name)
    {
        string folder = Path.Combine(_dir, name);
        var spec = Spec(3) with { ModelName = name, ModelOptions = new UNetOptions { Width = 8, Levels = 1, Convention = GridConvention.Periodic } };
        var result = OperatorTrainer.Train(spec, Synthetic(16, 1), Synthetic(8, 2), folder);
        Assert.True(result.BestTestRelativeL2 < result.History[0].TestRelativeL2 * 1.01);
        using var op = NeuralOperator.Load(folder);
        Assert.Equal(name, op.ModelName);
        // The training grid is recorded as the reference grid of the conversion.
        Assert.Contains("\"reference_size\": 16", File.ReadAllText(Path.Combine(folder, "model.json")));
        var a = Synthetic(1, 9).Inputs[0].Values;
        var u = new float[a.Length];
        op.Predict(a, u, 16, 16);
        Assert.All(u, v => Assert.True(float.IsFinite(v)));
        using var again = NeuralOperator.Load(folder);
        var v2 = new float[a.Length];
        again.Predict(a, v2, 16, 16);
        Assert.Equal(u, v2);
    }

    [Fact]
    public void LayersWithoutAFunctionSpaceMeaningAreRefusedByName()
    {
        var flat = nn.Sequential(("conv", nn.Conv2d(1, 4, 3, padding: 1)), ("flatten", nn.Flatten()), ("head", nn.Linear(4 * 33 * 33, 10)));
        var e = Assert.Throws<ConversionException>(() => OperatorConversion.Convert(flat, Reference33));
        Assert.Equal("flatten", e.Path);
        Assert.Contains("depends on the resolution", e.Message);

        var typed = new TypedFieldNetwork();
        var f = Assert.Throws<ConversionException>(() => OperatorConversion.Convert(typed, Reference33));
        Assert.Contains("declared as Conv2d", f.Message);

        var unknown = nn.Sequential(("conv", nn.Conv2d(1, 4, 3, padding: 1)), ("custom", new OwnParameterLayer()));
        Assert.Contains("no conversion rule", Assert.Throws<ConversionException>(() => OperatorConversion.Convert(unknown, Reference33)).Message);
    }

    [Fact]
    public void GridsTooCoarseForAKernelAreRefusedInOneLine()
    {
        using var layer = new FixedSupportConv2d(1, 1, 3, new ReferenceGrid2d(65, 65, GridConvention.Closed));
        var e = Assert.Throws<ArgumentException>(() => layer.call(zeros(1, 1, 17, 17)));
        Assert.Contains("coarser than the 3x3 kernel learned on 65x65", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        using var disco = new DiscoConv2d(1, 1, radius: 0.02);
        Assert.Contains("coarser than the DISCO stencil", Assert.Throws<ArgumentException>(() => disco.call(zeros(1, 1, 17, 17))).Message);
    }

    sealed class TypedFieldNetwork : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = nn.Conv2d(1, 1, 3, padding: 1);

        public TypedFieldNetwork() : base("typed") => RegisterComponents();

        public override Tensor forward(Tensor input) => conv.call(input);
    }

    sealed class OwnParameterLayer : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter scale = nn.Parameter(ones(1));

        public OwnParameterLayer() : base("own") => RegisterComponents();

        public override Tensor forward(Tensor input) => input * scale;
    }
}

internal static class ModuleExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
