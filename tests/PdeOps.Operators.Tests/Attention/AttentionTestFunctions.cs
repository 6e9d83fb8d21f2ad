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
}
