using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using TorchSharp;
using Xunit.Abstractions;
using static PdeOps.Operators.Tests.Convergent.RefinementStudy;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Convergent;

/// <summary>
/// A stencil with fixed physical offsets is the operator sum_j c_j f(x + j h0): exact on whole
/// refinements of its grid, second-order accurate between them, with none of its non-local part lost.
/// </summary>
[Collection("torch random state")]
public class FixedOffsetConvTests(ITestOutputHelper output)
{
    const GridConvention Periodic = GridConvention.Periodic;
    static readonly ReferenceGrid2d Reference = new(32, 32, Periodic);

    [Fact]
    public void OnWholeRefinementsTheLayerGivesAtSharedPointsWhatTheLearnedConvolutionGives()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var plain = nn.Conv2d(2, 3, 3, padding: 1, padding_mode: PaddingModes.Circular);
        plain.to(float64);
        using var layer = FixedOffsetConv2d.FromConvolution(plain.weight, plain.bias, PaddingModes.Circular, 1, Reference, Periodic);
        var outputs = Outputs(x => layer.call(x));
        var differences = SuccessiveDifferences(outputs);
        output.WriteLine($"fixed offsets, successive differences: {string.Join(", ", differences.Select(d => d.ToString("E2")))}");
        Assert.All(differences, d => Assert.True(d < 1e-12, $"difference {d:E2} at shared points"));
        // The plain convolution, by contrast, changes the operator with the grid.
        var plainOutputs = Outputs(x => plain.call(x));
        Assert.True(SuccessiveDifferences(plainOutputs)[0] > 1e-2);
        // The dense stencil it would use there is the dilated one.
        var dense = layer.StencilOn(64, 64);
        Assert.Equal(new long[] { 3, 2, 5, 5 }, dense.shape);
        Assert.True(allclose(dense.slice(2, 0, 5, 2).slice(3, 0, 5, 2), plain.weight));
        Assert.Equal(0.0, dense.slice(2, 1, 5, 2).abs().sum().item<double>());
    }

    [Fact]
    public void BetweenWholeRefinementsTheLayerConvergesAtSecondOrderToTheTranslationSum()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var layer = new FixedOffsetConv2d(2, 3, 3, Reference, Periodic);
        layer.to(float64);
        using var noGrad = no_grad();
        // On n = 1.5, 2.5, 4.5 times the reference points, x + j h0 lies on the grid of 2n points,
        // where the layer is exact (a whole refinement): its output there, at every other point, is the truth.
        long[] grids = [48, 80, 144];
        var errors = grids.Select(n => Relative(layer.call(Field(n)), Restrict(layer.call(Field(2 * n)), n))).ToArray();
        output.WriteLine($"fixed offsets between whole refinements, error: {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
        for (int i = 1; i < grids.Length; i++)
        {
            double order = Math.Log(errors[i - 1] / errors[i]) / Math.Log((double)grids[i] / grids[i - 1]);
            Assert.True(order > 1.8, $"observed order {order:F2} between {grids[i - 1]} and {grids[i]}");
        }
        Assert.True(errors[^1] < 2e-3, $"error {errors[^1]:E2} at 144 points");
    }

    [Fact]
    public void AConvertedNetworkRunsOnTheNearestWholeRefinementAndIsExactAtSharedPoints()
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        var closed = new ReferenceGrid2d(17, 17, GridConvention.Closed);
        var network = nn.Sequential(("a", nn.Conv2d(1, 4, 3, padding: 1)), ("act", nn.GELU()), ("b", nn.Conv2d(4, 1, 3, padding: 1)));
        network.to(float64);
        using var noGrad = no_grad();
        var coarse = randn(1, 1, 17, 17, dtype: float64);
        var reference = network.call(coarse);
        var converted = Conversion.OperatorConversion.Convert(network, closed,
            new Conversion.ConversionOptions { Convolutions = Conversion.ConvolutionRule.FixedOffsets });
        Assert.True(converted.RunsOnWholeRefinements);
        Assert.Equal((33L, 33L), converted.RunningGrid(33, 33));
        Assert.Equal((49L, 49L), converted.RunningGrid(41, 41));
        Assert.Equal((17L, 17L), converted.RunningGrid(9, 9));
        // A field on 33 points that holds the 17-point one at every other point: the output agrees there.
        var fine = randn(1, 1, 33, 33, dtype: float64);
        fine.slice(2, 0, 33, 2).slice(3, 0, 33, 2).copy_(coarse);
        var onFine = converted.call(fine);
        Assert.True(Relative(onFine.slice(2, 0, 33, 2).slice(3, 0, 33, 2), reference) < 1e-12);
        // Off whole refinements: injected onto the running grid, run, interpolated back.
        var odd = randn(1, 1, 41, 41, dtype: float64);
        var expected = GridResolution.Resample(converted.Network.call(GridResolution.Inject(odd, 49, 49, GridConvention.Closed)), 41, 41, GridConvention.Closed);
        Assert.True(Relative(converted.call(odd), expected) < 1e-12);
    }
}
