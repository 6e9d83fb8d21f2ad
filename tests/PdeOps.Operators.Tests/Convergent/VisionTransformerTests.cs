using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Convergent;

/// <summary>The vision transformer and its conversion: what each layer became, and which of the two converges under refinement.</summary>
[Collection("torch random state")]
public sealed class VisionTransformerTests
{
    static ViTOptions Small(GridConvention convention, int reference) =>
        new() { Width = 8, Layers = 2, Heads = 2, PatchSize = 4, ReferenceSize = reference, Convention = convention };

    [Fact]
    public void TheConversionResamplesThePatchingAndKeepsAttentionAndPositionsAsFunctions()
    {
        using var vit = (NetworkOperator)OperatorModelRegistry.Default.Create(NetworkOperator.ViTOperatorName, Small(GridConvention.Periodic, 32));
        var rules = vit.Conversions!.ToDictionary(c => c.Path, c => c.Rule);
        Assert.Equal("resampled", rules["patches"]);
        Assert.Equal("grid-agnostic", rules["position"]);
        Assert.Equal("grid-agnostic", rules["blocks.block0"]);
        Assert.Equal("grid-agnostic", rules["blocks.block1"]);
        Assert.Equal("resampled", rules["unpatch"]);
        Assert.Equal("pointwise", rules["projection.hidden"]);
    }

    [Fact]
    public void TheConvertedViTConvergesUnderRefinementWhileTheViTAsBuiltDoesNot()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        var options = Small(GridConvention.Periodic, 32);
        using var plain = OperatorModelRegistry.Default.Create(NetworkOperator.ViTName, options);
        using var converted = OperatorModelRegistry.Default.Create(NetworkOperator.ViTOperatorName, options);
        converted.load_state_dict(plain.state_dict());
        plain.eval();
        converted.eval();
        Tensor One(Tensor f) => f.select(1, 0).unsqueeze(1).to(float32);

        var convergedOutputs = RefinementStudy.Outputs(f => converted.call(One(f)).to(float64));
        var plainOutputs = RefinementStudy.Outputs(f => plain.call(One(f)).to(float64));
        double[] converging = RefinementStudy.SuccessiveDifferences(convergedOutputs);
        double[] plainDifferences = RefinementStudy.SuccessiveDifferences(plainOutputs);

        // Attention over bilinearly refined tokens converges at least at first order (observed: 2.8e-3, 8.2e-4, 3.0e-4).
        for (int i = 1; i < converging.Length; i++)
            Assert.True(converging[i] < converging[i - 1] / 2, $"converted ViT: successive differences {string.Join(", ", converging)}");
        // As built, its patches shrink with the grid, so the function it computes keeps changing.
        Assert.True(plainDifferences[^1] > 10 * converging[^1], $"ViT as built: {string.Join(", ", plainDifferences)}; converted: {string.Join(", ", converging)}");
    }

    [Fact]
    public void APositionFunctionIsItsTableOnTheReferenceGridAndInterpolatesItElsewhere()
    {
        using var scope = NewDisposeScope();
        manual_seed(22);
        using var position = new PositionFunction2d(3, new ReferenceGrid2d(9, 9, GridConvention.Closed));
        using var noGrad = no_grad();
        var table = position.call(zeros(1, 3, 9, 9));
        var fine = position.call(zeros(2, 3, 17, 17));
        // Every reference point is a point of the refined closed grid, where the interpolant equals the table.
        Assert.True((fine[0].slice(1, 0, 17, 2).slice(2, 0, 17, 2) - table[0]).abs().max().item<float>() < 1e-7);
        // Between them it lies within the range of its neighbours (bilinear, no overshoot).
        var midpoints = fine[1].slice(1, 1, 17, 2).slice(2, 1, 17, 2);
        Assert.True(midpoints.max().item<float>() <= table.max().item<float>() + 1e-7);
        Assert.True(midpoints.min().item<float>() >= table.min().item<float>() - 1e-7);
        Assert.Throws<ArgumentException>(() => position.call(zeros(1, 2, 9, 9)));
    }
}
