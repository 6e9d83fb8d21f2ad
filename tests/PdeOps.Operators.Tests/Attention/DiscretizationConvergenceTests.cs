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
    const int Draws = 16;

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
            // Halving the spacing divides a second-order error by 4 (the reference's own error is 1/16 of the finest's).
            for (int i = 1; i < errors.Count; i++)
            {
                double order = Math.Log2(errors[i - 1] / errors[i]);
                Assert.True(order > 1.8, $"{kernel}: errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}, observed order {order:F2}");
            }
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
            double Error(long n, bool weighted)
            {
                // Many draws: the Monte Carlo error of one draw is itself random.
                double sum = 0;
                for (int draw = 0; draw < Draws; draw++)
                {
                    var points = SkewedPoints(n, 100 * n + draw);
                    var weights = weighted ? SkewedWeights(points) : full([1, n], 1.0 / n, dtype: float64);
                    using var set = new PointSet(points, weights);
                    sum += (Output(layer, lift, queries, set) - exact).pow(2).mean().sqrt().item<double>();
                }
                return sum / Draws;
            }
            double weightedFew = Error(1024, true), weightedMany = Error(65536, true);
            double plainFew = Error(4096, false), plainMany = Error(65536, false);
            // With weights: the Monte Carlo rate n^-1/2 gives a factor 8 over 64 times the points.
            Assert.True(weightedFew / weightedMany > 4, $"{kernel}: weighted error {weightedFew:E2} -> {weightedMany:E2}");
            // Without: the points' density biases the integral, and the bias does not shrink.
            Assert.True(plainMany > 0.6 * plainFew, $"{kernel}: unweighted error {plainFew:E2} -> {plainMany:E2}");
            Assert.True(plainMany > 5 * weightedMany, $"{kernel}: unweighted {plainMany:E2} against weighted {weightedMany:E2} at 65536 points");
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
