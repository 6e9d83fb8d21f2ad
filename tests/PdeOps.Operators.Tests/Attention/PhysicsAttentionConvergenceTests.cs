using PdeOps.Operators.Layers.Attention;
using PdeOps.Operators.Losses;
using TorchSharp;
using static PdeOps.Operators.Tests.Attention.AttentionTestFunctions;
using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Attention;

/// <summary>
/// Physics attention with random weights is one integral operator too: its slice tokens are
/// quadratures of integrals over the domain, so its output at fixed points converges at the order of
/// the grid's quadrature as the grid is refined, and on scattered points at the Monte Carlo rate,
/// but only with the points' quadrature weights.
/// </summary>
[Collection("torch random state")]
public sealed class PhysicsAttentionConvergenceTests
{
    const int Width = 16;

    static (PhysicsAttention Layer, Tensor Lift) Setup(bool slicesPerHead)
    {
        manual_seed(13);
        var layer = new PhysicsAttention(Width, 4, 8, slicesPerHead);
        layer.to(float64);
        return (layer, Lift(Width, 3));
    }

    static Tensor Output(PhysicsAttention layer, Tensor lift, PointSet points)
    {
        using var noGrad = no_grad();
        return layer.Forward(Features(points.Coordinates, lift), points);
    }

    // The output at the 17 x 17 points that every closed grid of 16 k + 1 points per axis contains.
    static Tensor OnCoarsestGrid(Tensor output, int n)
    {
        long stride = (n - 1) / 16;
        return output.view(n, n, Width).slice(0, 0, n, stride).slice(1, 0, n, stride);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GridOutputsConvergeAtTheTrapezoidalRulesOrder(bool slicesPerHead)
    {
        using var scope = NewDisposeScope();
        var (layer, lift) = Setup(slicesPerHead);
        using (layer)
        {
            using var reference = PointSet.Grid([513, 513], GridConvention.Closed, dtype: float64);
            var exact = OnCoarsestGrid(Output(layer, lift, reference), 513);
            var errors = new List<double>();
            foreach (int n in new[] { 17, 33, 65, 129 })
            {
                using var grid = PointSet.Grid([n, n], GridConvention.Closed, dtype: float64);
                errors.Add((OnCoarsestGrid(Output(layer, lift, grid), n) - exact).abs().max().item<double>());
            }
            AssertSecondOrder(errors, "physics attention");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ScatteredPointsConvergeWithTheirWeightsAndNotWithout(bool slicesPerHead)
    {
        using var scope = NewDisposeScope();
        var (layer, lift) = Setup(slicesPerHead);
        using (layer)
        {
            // The layer answers at its own points: 40 fixed points with negligible weight lead every
            // point set, so they are where the output is compared and take no part in the integrals.
            using var generator = new Generator(5);
            var queries = rand([1, 40, 2], dtype: float64, generator: generator);
            var negligible = full([1, 40], 1e-12, dtype: float64);
            Tensor AtQueries(Tensor points, Tensor weights)
            {
                using var set = new PointSet(cat([queries, points], 1), cat([negligible, weights], 1));
                return Output(layer, lift, set).narrow(1, 0, 40);
            }
            using var reference = PointSet.Grid([257, 257], GridConvention.Closed, dtype: float64);
            var exact = AtQueries(reference.Coordinates, reference.Weights);
            AssertConvergesOnlyWithWeights((points, weights) =>
                (AtQueries(points, weights) - exact).pow(2).mean().sqrt().item<double>(), "physics attention");
        }
    }
}
