using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using TorchSharp;
using Xunit.Abstractions;
using static PdeOps.Operators.Tests.Convergent.RefinementStudy;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Convergent;

/// <summary>
/// The discretization-convergent MgNO V-cycle: the original cycle on its reference grid, and on
/// finer grids outputs that agree with it, while the original cycle's drift.
/// </summary>
[Collection("torch random state")]
public class ConvergentMultigridTests(ITestOutputHelper output)
{
    static readonly ReferenceGrid2d Reference = new(32, 32, GridConvention.Periodic);

    static MultigridVCycle2d Cycle(ReferenceGrid2d? reference)
    {
        manual_seed(21);
        var cycle = new MultigridVCycle2d(2, 3, [1, 1, 2], [1, 1, 0], BoundaryPadding.Periodic) { Reference = reference };
        cycle.to(float64);
        return cycle;
    }

    [Fact]
    public void OnTheReferenceGridItIsTheOriginalCycleAndOnOtherGridsItConverges()
    {
        using var scope = NewDisposeScope();
        using var original = Cycle(null);
        using var convergent = Cycle(Reference);
        Assert.Equal(original.state_dict().Keys, convergent.state_dict().Keys);
        using (no_grad())
            Assert.Equal(0, (original.call(Field(32)) - convergent.call(Field(32))).abs().max().item<double>(), 12);

        // Nested grids: the cycle sees the same reference-grid field on all of them, so its outputs
        // agree at the shared points to rounding; the original cycle's stencils shrink with h instead.
        var settled = SuccessiveDifferences(Outputs(x => convergent.call(x)));
        var drifting = SuccessiveDifferences(Outputs(x => original.call(x)));
        output.WriteLine($"convergent: {string.Join(", ", settled.Select(d => d.ToString("E2")))}; original: {string.Join(", ", drifting.Select(d => d.ToString("E2")))}");
        Assert.All(settled, d => Assert.True(d < 1e-12, $"outputs on nested grids should agree, differ by {d:E2}"));
        Assert.All(drifting, d => Assert.True(d > 1e-2, $"the original cycle should change with the grid, changed by {d:E2}"));

    }

    [Fact]
    public void TheOptionMakesAnMgnoWithTheSameParametersAndTheTrainingGridAsReference()
    {
        using var scope = NewDisposeScope();
        var options = MgnoOptions.WithLevels(2) with { Width = 4, Layers = 1, DiscretizationConvergent = true };
        var trained = (MgnoOptions)options.ForTrainingGrid([33, 33]);
        Assert.Equal(33, trained.ReferenceSize);
        Assert.Null((MgnoOptions.WithLevels(2) with { Width = 4 }).ForTrainingGrid([33, 33]) is MgnoOptions { ReferenceSize: { } } ? 1 : null);
        using var convergent = new MultigridNeuralOperator(trained);
        using var original = new MultigridNeuralOperator(trained with { DiscretizationConvergent = false, ReferenceSize = null });
        Assert.Equal(original.ParameterCount(), convergent.ParameterCount());
        Assert.Null(convergent.GridCaveat([65, 65]));
        Assert.Contains("coarser", convergent.GridCaveat([17, 17]));
    }
}
