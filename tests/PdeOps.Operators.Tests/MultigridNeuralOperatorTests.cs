using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests;

/// <summary>Grid sizes, boundary paddings and trainability of the MgNO.</summary>
public class MultigridNeuralOperatorTests
{
    private static MgnoOptions Tiny(BoundaryPadding boundary) =>
        MgnoOptions.WithLevels(3) with { Width = 4, Layers = 2, Boundary = boundary };

    [Theory]
    [InlineData(BoundaryPadding.Dirichlet)]
    [InlineData(BoundaryPadding.Periodic)]
    [InlineData(BoundaryPadding.Neumann)]
    public void OutputHasTheInputSizeForOddAndEvenGrids(BoundaryPadding boundary)
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var model = new MultigridNeuralOperator(Tiny(boundary) with { InChannels = 2 });
        using var noGrad = no_grad();
        foreach (var (h, w) in new[] { (85, 85), (64, 64), (33, 33), (33, 64), (10, 9) })
        {
            var y = model.call(randn(2, 2, h, w));
            Assert.Equal(new long[] { 2, 1, h, w }, y.shape);
            Assert.True(y.isfinite().all().item<bool>());
        }
    }

    [Theory]
    [InlineData(85)]
    [InlineData(141)]
    [InlineData(211)]
    [InlineData(64)]
    public void ProlongationReachesTheFineSizeExactly(int n)
    {
        using var scope = NewDisposeScope();
        foreach (var boundary in Enum.GetValues<BoundaryPadding>())
        {
            using var restrict = new BoundaryConv2d(2, 2, 2, boundary);
            using var prolong = new Prolongation2d(2, 2, boundary);
            var coarse = restrict.call(randn(1, 2, n, n + 1));
            Assert.Equal(new long[] { 1, 2, (n + 1) / 2, (n + 2) / 2 }, coarse.shape);
            Assert.Equal(new long[] { 1, 2, n, n + 1 }, prolong.call(coarse, n, n + 1).shape);
        }
    }

    [Fact]
    public void DirichletProlongationEqualsThePaddedFormulation()
    {
        // With zero padding the halo formulation used for the other boundaries must agree with
        // conv_transpose2d(padding 1, output_padding): both put coarse point j on fine point 2j.
        using var scope = NewDisposeScope();
        manual_seed(9);
        using var prolong = new Prolongation2d(3, 2, BoundaryPadding.Dirichlet);
        var coarse = randn(2, 3, 6, 7);
        using var noGrad = no_grad();
        var direct = prolong.call(coarse, 11, 14);
        var spread = nn.functional.conv_transpose2d(nn.functional.pad(coarse, new long[] { 1, 1, 1, 1 }), prolong.Weight, null,
            new long[] { 2, 2 }, new long[] { 0, 0 });
        var viaHalo = spread.narrow(2, 3, 11).narrow(3, 3, 14);
        Assert.True((direct - viaHalo).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void PeriodicPaddingCommutesWithCircularShifts()
    {
        // A periodic V-cycle is translation-equivariant for shifts by a multiple of 2^(levels-1).
        using var scope = NewDisposeScope();
        manual_seed(10);
        using var cycle = new MultigridVCycle2d(1, 3, new[] { 1, 1, 1 }, new[] { 1, 1, 1 }, BoundaryPadding.Periodic);
        var f = randn(1, 1, 32, 32);
        using var noGrad = no_grad();
        var shiftedThenCycled = cycle.call(f.roll(new long[] { 4, 8 }, new long[] { 2, 3 }));
        var cycledThenShifted = cycle.call(f).roll(new long[] { 4, 8 }, new long[] { 2, 3 });
        Assert.True((shiftedThenCycled - cycledThenShifted).abs().max().item<float>() < 1e-5f);
    }

    [Fact]
    public void ThePositionalEmbeddingIsWhatBreaksTranslationEquivariance()
    {
        // Without coordinates a periodic MgNO commutes with shifts by a multiple of 2^(levels-1), so it
        // cannot learn a fixed forcing pattern; with them it does not commute.
        using var scope = NewDisposeScope();
        var f = randn(1, 1, 32, 32);
        double ShiftDefect(bool positions)
        {
            manual_seed(11);
            using var model = new MultigridNeuralOperator(Tiny(BoundaryPadding.Periodic) with { PositionalEmbedding = positions });
            using var noGrad = no_grad();
            var shifts = new long[] { 4, 8 };
            var dims = new long[] { 2, 3 };
            return (model.call(f.roll(shifts, dims)) - model.call(f).roll(shifts, dims)).abs().max().item<float>();
        }
        Assert.True(ShiftDefect(false) < 1e-5, $"without coordinates: {ShiftDefect(false):E2}");
        Assert.True(ShiftDefect(true) > 1e-3, $"with coordinates: {ShiftDefect(true):E2}");
    }

    [Fact]
    public void TooSmallAGridForTheLevelsIsRejected()
    {
        using var scope = NewDisposeScope();
        using var model = new MultigridNeuralOperator(MgnoOptions.WithLevels(4) with { Width = 2, Layers = 1 });
        var e = Assert.Throws<ArgumentException>(() => model.call(randn(1, 1, 8, 8)));
        Assert.Contains("too small", e.Message);
    }

    [Fact]
    public void AdamStepsReduceTheLossOnASmoothingProblem()
    {
        // Learn a fixed linear smoothing operator (two passes of a 3x3 average) from random inputs.
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var model = new MultigridNeuralOperator(MgnoOptions.WithLevels(2) with { Width = 8, Layers = 1 });
        var kernel = full(new long[] { 1, 1, 3, 3 }, 1.0 / 9);
        var a = randn(8, 1, 16, 16);
        var u = nn.functional.conv2d(nn.functional.conv2d(a, kernel, padding: new long[] { 1, 1 }), kernel, padding: new long[] { 1, 1 });
        var loss = new RelativeL2Loss();
        using var adam = optim.Adam(model.parameters(), lr: 1e-2);
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var stepScope = NewDisposeScope();
            adam.zero_grad();
            var l = loss.Compute(model.call(a), u);
            l.backward();
            adam.step();
            if (step == 0) first = l.item<float>();
            last = l.item<float>();
        }
        Assert.True(last < first / 8, $"loss went from {first} to {last}");
    }

    [Fact]
    public void OptionsRoundTripThroughJsonWithTheBoundaryByName()
    {
        var o = Tiny(BoundaryPadding.Neumann);
        string json = o.ToJson();
        Assert.Contains("\"boundary\": \"neumann\"", json);
        var back = NeuralOperatorOptions.FromJson<MgnoOptions>(json);
        Assert.Equal(json, back.ToJson());
        Assert.Throws<ArgumentException>(() => NeuralOperatorOptions.FromJson<MgnoOptions>(json.Replace("\"levels\": 3", "\"levels\": 2")));
    }
}
