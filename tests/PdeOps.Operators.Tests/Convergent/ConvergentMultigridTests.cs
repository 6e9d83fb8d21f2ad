using PdeOps.Operators.Layers;
using PdeOps.Operators.Losses;
using PdeOps.Operators.Models;
using TorchSharp;
using Xunit.Abstractions;
using static PdeOps.Operators.Tests.Convergent.RefinementStudy;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Convergent;

/// <summary>
/// The discretization-convergent MgNO and its V-cycle: the original on its reference grid, and on
/// finer grids outputs that agree with it, while the original's drift; injection of a finer field.
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
        AssertSameOnTheReferenceAndSettledOnNestedGrids(original.call, convergent.call);
    }

    // Equal on the reference grid; on nested grids the convergent form sees the same reference-grid
    // field on all of them, so its outputs agree at the shared points to rounding, while the
    // original's stencils shrink with h.
    void AssertSameOnTheReferenceAndSettledOnNestedGrids(Func<Tensor, Tensor> original, Func<Tensor, Tensor> convergent)
    {
        using (no_grad())
            Assert.Equal(0, (original(Field(32)) - convergent(Field(32))).abs().max().item<double>(), 12);
        var settled = SuccessiveDifferences(Outputs(convergent));
        var drifting = SuccessiveDifferences(Outputs(original));
        output.WriteLine($"convergent: {string.Join(", ", settled.Select(d => d.ToString("E2")))}; original: {string.Join(", ", drifting.Select(d => d.ToString("E2")))}");
        Assert.All(settled, d => Assert.True(d < 1e-12, $"outputs on nested grids should agree, differ by {d:E2}"));
        Assert.All(drifting, d => Assert.True(d > 1e-2, $"the original should change with the grid, changed by {d:E2}"));
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

    static MultigridNeuralOperator Mgno(bool convergent)
    {
        manual_seed(5);
        var options = MgnoOptions.WithLevels(3) with
        {
            InChannels = 2,
            Width = 4,
            Layers = 2,
            Boundary = BoundaryPadding.Periodic,
            DiscretizationConvergent = convergent,
            ReferenceSize = convergent ? 32 : null,
        };
        var model = new MultigridNeuralOperator(options);
        model.to(float64);
        return model;
    }

    [Fact]
    public void TheConvergentMgnoAgreesOnNestedGridsWhereTheOriginalDrifts()
    {
        using var scope = NewDisposeScope();
        using var original = Mgno(false);
        using var convergent = Mgno(true);
        // Injection is exact on nested grids and bilinear interpolation keeps the shared points.
        AssertSameOnTheReferenceAndSettledOnNestedGrids(original.call, convergent.call);

        // Between the shared points the output is the training grid's, interpolated: no pointwise map
        // runs on the finer grid.
        using (no_grad())
        {
            var interpolated = GridResolution.Resample(convergent.call(Field(32)), 128, 128, GridConvention.Periodic);
            Assert.Equal(0, (convergent.call(Field(128)) - interpolated).abs().max().item<double>(), 12);
        }
    }

    // A two-valued coefficient with an interface that is not aligned with any grid, on n x n closed points.
    static Tensor TwoValued(long n)
    {
        var x = linspace(0, 1, n, dtype: float64);
        var (gx, gy) = (x.view(1, n).expand(n, n), x.view(n, 1).expand(n, n));
        return where(gx + 0.37 * gy < 0.613, 3.0, 12.0).view(1, 1, n, n);
    }

    [Fact]
    public void InjectionKeepsTheValuesOfAPiecewiseConstantFieldWhereInterpolationMakesNewOnes()
    {
        using var scope = NewDisposeScope();
        // Nested closed grids (129 = 4 * 32 + 1): injection is the subsampling the training data were made by.
        var fine = TwoValued(129);
        var injected = GridResolution.Inject(fine, 33, 33, GridConvention.Closed);
        Assert.Equal(0, (injected - fine[.., .., TensorIndex.Slice(0, null, 4), TensorIndex.Slice(0, null, 4)]).abs().max().item<double>());

        // Not nested (100 points): injection still yields only the field's two values, bilinear interpolation does not.
        var other = TwoValued(100);
        static long Between(Tensor t) => ((t > 3.0 + 1e-9) & (t < 12.0 - 1e-9)).sum().item<long>();
        Assert.Equal(0, Between(GridResolution.Inject(other, 33, 33, GridConvention.Closed)));
        Assert.True(Between(GridResolution.Resample(other, 33, 33, GridConvention.Closed)) > 10);
        Assert.Throws<ArgumentException>(() => GridResolution.Inject(other.squeeze(0), 33, 33, GridConvention.Closed));
        Assert.Throws<ArgumentOutOfRangeException>(() => GridResolution.Inject(other, 0, 33, GridConvention.Closed));
    }
}
