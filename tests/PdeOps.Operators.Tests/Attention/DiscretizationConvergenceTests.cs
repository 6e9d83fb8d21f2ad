using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Losses;
using TorchSharp;
using static PdeOps.Operators.Tests.Attention.AttentionTestFunctions;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Attention;

/// <summary>
/// A layer with random weights is one integral operator: sampled on finer grids its output at fixed
/// query points converges at the order of the grid's quadrature (trapezoidal: second order), and on
/// scattered points at the Monte Carlo rate, but only with the points' quadrature weights.
/// </summary>
[Collection("torch random state")]
public sealed class DiscretizationConvergenceTests
{
    const int Width = 16;

    static (IntegralAttention Layer, Tensor Lift, Tensor Queries) Setup(string kernel)
    {
        manual_seed(11);
        var layer = new IntegralAttention(Width, 4, AttentionKernels.Create(kernel));
        layer.to(float64);
        using var generator = new Generator(5);
        return (layer, Lift(Width, 3), rand([1, 40, 2], dtype: float64, generator: generator));
    }

    static Tensor Output(IntegralAttention layer, Tensor lift, Tensor queries, PointSet sources)
    {
        using var noGrad = no_grad();
        return layer.Forward(Features(queries, lift), Features(sources.Coordinates, lift), sources);
    }

    [Theory]
    [InlineData("softmax")]
    [InlineData("linear")]
    [InlineData("sigmoid")]
    public void GridOutputsConvergeAtTheTrapezoidalRulesOrder(string kernel)
    {
        using var scope = NewDisposeScope();
        var (layer, lift, queries) = Setup(kernel);
        using (layer)
        {
            using var reference = PointSet.Grid([513, 513], GridConvention.Closed, dtype: float64);
            var exact = Output(layer, lift, queries, reference);
            var errors = new List<double>();
            foreach (int n in new[] { 17, 33, 65, 129 })
            {
                using var grid = PointSet.Grid([n, n], GridConvention.Closed, dtype: float64);
                errors.Add((Output(layer, lift, queries, grid) - exact).abs().max().item<double>());
            }
            AssertSecondOrder(errors, kernel);
        }
    }

    [Theory]
    [InlineData("softmax")]
    [InlineData("linear")]
    public void ScatteredPointsConvergeWithTheirWeightsAndNotWithout(string kernel)
    {
        using var scope = NewDisposeScope();
        var (layer, lift, queries) = Setup(kernel);
        using (layer)
        {
            using var reference = PointSet.Grid([257, 257], GridConvention.Closed, dtype: float64);
            var exact = Output(layer, lift, queries, reference);
            AssertConvergesOnlyWithWeights((points, weights) =>
            {
                using var set = new PointSet(points, weights);
                return (Output(layer, lift, queries, set) - exact).pow(2).mean().sqrt().item<double>();
            }, kernel);
        }
    }

    [Fact]
    public void GridWeightsSumToTheDomainAndEstimatedWeightsApproachTheExactOnes()
    {
        using var scope = NewDisposeScope();
        foreach (var convention in new[] { GridConvention.Closed, GridConvention.Periodic })
        {
            using var grid = PointSet.Grid([9, 12], convention, dtype: float64);
            Assert.Equal(1.0, grid.Weights.sum().item<double>(), 12);
            Assert.Equal(108, grid.Count);
        }
        var points = SkewedPoints(8192, 1);
        var estimated = PointSet.EstimateWeights(points, k: 16);
        var exact = SkewedWeights(points);
        double relative = ((estimated - exact).abs().mean() / exact.mean()).item<double>();
        Assert.True(relative < 0.3, $"mean relative deviation {relative:F3}");
    }
}
