using static TorchSharp.torch;

namespace PdeOps.Operators.Tests.Attention;

/// <summary>Smooth input functions and fixed query points for the attention tests.</summary>
internal static class AttentionTestFunctions
{
    /// <summary>Features (batch, n, width) of a smooth function of the coordinates, lifted by a fixed random map.</summary>
    public static Tensor Features(Tensor coordinates, Tensor lift)
    {
        var x = coordinates.select(2, 0);
        var y = coordinates.select(2, 1);
        var basis = stack([(Math.PI * x).sin(), (Math.PI * y).cos(), x * y, (-x).exp(), (2 * y).sin() * x], dim: 2);
        return basis.matmul(lift);
    }

    /// <summary>A fixed random map from the five basis functions to <paramref name="width"/> channels.</summary>
    public static Tensor Lift(int width, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return randn([5, width], dtype: float64, generator: generator);
    }

    /// <summary>Points of the unit square drawn with density 2(1 + x)/3 along x, uniform along y.</summary>
    public static Tensor SkewedPoints(long n, long seed)
    {
        using var generator = new Generator((ulong)seed);
        var u = rand([1, n], dtype: float64, generator: generator);
        var y = rand([1, n], dtype: float64, generator: generator);
        // Inverse of the CDF (x + x^2/2) * 2/3.
        var x = (1 + 3 * u).sqrt() - 1;
        return stack([x, y], dim: 2);
    }

    /// <summary>The exact quadrature weights of <see cref="SkewedPoints"/>: (1/n) / density.</summary>
    public static Tensor SkewedWeights(Tensor points) => 1.0 / points.shape[1] / (2 * (1 + points.select(2, 0)) / 3);

    /// <summary>
    /// Asserts second-order convergence of errors on grids whose spacing halves each time (the
    /// trapezoidal rule's order; a reference whose own error is 1/16 of the finest grid's costs a little of it).
    /// </summary>
    public static void AssertSecondOrder(IReadOnlyList<double> errors, string label)
    {
        for (int i = 1; i < errors.Count; i++)
        {
            double order = Math.Log2(errors[i - 1] / errors[i]);
            Assert.True(order > 1.8, $"{label}: errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}, observed order {order:F2}");
        }
    }

    /// <summary>
    /// Asserts that a layer's output on <see cref="SkewedPoints"/> converges to its limit at the
    /// Monte Carlo rate with the points' weights (<see cref="SkewedWeights"/>) and stays biased with
    /// equal weights. <paramref name="error"/> gives the error of one point set (points, weights);
    /// each size averages 16 draws, as the error of one draw is itself random.
    /// </summary>
    public static void AssertConvergesOnlyWithWeights(Func<Tensor, Tensor, double> error, string label)
    {
        const int draws = 16;
        double Mean(long n, bool weighted)
        {
            double sum = 0;
            for (int draw = 0; draw < draws; draw++)
            {
                var points = SkewedPoints(n, 100 * n + draw);
                sum += error(points, weighted ? SkewedWeights(points) : full([1, n], 1.0 / n, dtype: float64));
            }
            return sum / draws;
        }
        double weightedFew = Mean(1024, true), weightedMany = Mean(65536, true);
        double plainFew = Mean(4096, false), plainMany = Mean(65536, false);
        // With weights: the Monte Carlo rate n^-1/2 gives a factor 8 over 64 times the points.
        Assert.True(weightedFew / weightedMany > 4, $"{label}: weighted error {weightedFew:E2} -> {weightedMany:E2}");
        // Without: the points' density biases the integrals, and the bias does not shrink.
        Assert.True(plainMany > 0.6 * plainFew, $"{label}: unweighted error {plainFew:E2} -> {plainMany:E2}");
        Assert.True(plainMany > 5 * weightedMany, $"{label}: unweighted {plainMany:E2} against weighted {weightedMany:E2} at 65536 points");
    }
}
