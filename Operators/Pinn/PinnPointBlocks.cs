using static TorchSharp.torch;

namespace PdeOps.Operators.Pinn;

/// <summary>
/// Evaluates a PINN at many points a block at a time. The activations for every point of a fine
/// grid at once take gigabytes (a 4097^2 grid has 16.8 million points; 50 million points were
/// killed for want of memory on a 25 GB machine), while a block's take tens of megabytes.
/// </summary>
internal static class PinnPointBlocks
{
    /// <summary>Points per forward pass.</summary>
    internal const int BlockSize = 1 << 16;

    /// <summary>u at (x[i], y[i]) in double precision, through <paramref name="forward"/> ((n, 2) points to n values), without a graph.</summary>
    /// <exception cref="ArgumentException">x and y differ in length.</exception>
    public static double[] Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Func<Tensor, Tensor> forward)
    {
        if (x.Length != y.Length) throw new ArgumentException($"x and y differ in length ({x.Length}, {y.Length})");
        var result = new double[x.Length];
        using var _ = no_grad();
        for (int start = 0; start < x.Length; start += BlockSize)
        {
            int n = Math.Min(BlockSize, x.Length - start);
            var points = new float[2 * n];
            for (int i = 0; i < n; i++) (points[2 * i], points[2 * i + 1]) = ((float)x[start + i], (float)y[start + i]);
            using var scope = NewDisposeScope();
            var u = forward(tensor(points).reshape(n, 2)).to(float64).data<double>().ToArray();
            Array.Copy(u, 0, result, start, n);
        }
        return result;
    }
}
