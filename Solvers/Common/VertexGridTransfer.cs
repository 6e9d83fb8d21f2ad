using System.Numerics;

namespace PdeOps.Solvers.Common;

/// <summary>
/// Moves square vertex fields (row-major, [y, x], both ends of each axis included) between a grid
/// and the grid <c>stride</c> times coarser whose vertices are every stride-th one of it: n = (m − 1)·stride + 1.
/// </summary>
public static class VertexGridTransfer
{
    /// <summary>The stride from a grid of <paramref name="fine"/> points per side to a nested one of <paramref name="coarse"/> points per side, or null when none nests (coarse &lt; 2, or fine − 1 not a multiple of coarse − 1).</summary>
    public static int? Stride(int fine, int coarse) =>
        coarse >= 2 && fine >= coarse && (fine - 1) % (coarse - 1) == 0 ? (fine - 1) / (coarse - 1) : null;

    /// <summary>Writes every <paramref name="stride"/>-th vertex of the n x n field <paramref name="fine"/> to <paramref name="coarse"/> (m x m).</summary>
    /// <exception cref="ArgumentException">The lengths do not match a nested pair of grids.</exception>
    public static void Subsample<T>(ReadOnlySpan<T> fine, int n, int stride, Span<T> coarse)
    {
        int m = Check(fine.Length, n, stride, coarse.Length);
        for (int j = 0; j < m; j++)
            for (int i = 0; i < m; i++) coarse[j * m + i] = fine[j * stride * n + i * stride];
    }

    /// <summary>
    /// Writes to <paramref name="fine"/> (n x n) the bilinear interpolant of the m x m field
    /// <paramref name="coarse"/>: exact for fields a + b x + c y + d x y, equal to the coarse values at
    /// the shared vertices.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths do not match a nested pair of grids.</exception>
    public static void Interpolate<T>(ReadOnlySpan<T> coarse, int m, int stride, Span<T> fine) where T : IFloatingPoint<T>
    {
        int n = (m - 1) * stride + 1;
        Check(fine.Length, n, stride, coarse.Length);
        if (m < 2) throw new ArgumentException("the coarse grid needs at least 2 points per side", nameof(m));
        // Each coarse row interpolated along x once (m rows of n), then every fine row is a blend of
        // two of them: per fine point one blend in place of the full bilinear formula, in the same
        // order of operations, so the values are the same to the bit.
        T s = T.CreateChecked(stride);
        var alongX = new T[m * n];
        for (int i = 0; i < n; i++)
        {
            int i0 = Math.Min(i / stride, m - 2);
            T tx = T.CreateChecked(i - i0 * stride) / s;
            for (int r = 0; r < m; r++)
            {
                int c = r * m + i0;
                alongX[r * n + i] = (T.One - tx) * coarse[c] + tx * coarse[c + 1];
            }
        }
        for (int j = 0; j < n; j++)
        {
            int j0 = Math.Min(j / stride, m - 2);
            T ty = T.CreateChecked(j - j0 * stride) / s, sy = T.One - ty;
            ReadOnlySpan<T> below = alongX.AsSpan(j0 * n, n), above = alongX.AsSpan((j0 + 1) * n, n);
            var row = fine.Slice(j * n, n);
            for (int i = 0; i < n; i++) row[i] = sy * below[i] + ty * above[i];
        }
    }

    // The coarse side m for a fine n x n field and a stride, checking both lengths.
    static int Check(int fineLength, int n, int stride, int coarseLength)
    {
        if (stride < 1) throw new ArgumentException($"the stride must be at least 1, not {stride}", nameof(stride));
        if (n < 1 || fineLength != n * n) throw new ArgumentException($"the fine field holds {fineLength} values, not {n} x {n}");
        if ((n - 1) % stride != 0) throw new ArgumentException($"a {n}-point side has no vertices every {stride} apart at both ends");
        int m = (n - 1) / stride + 1;
        if (coarseLength != m * m) throw new ArgumentException($"the coarse field holds {coarseLength} values, not {m} x {m}");
        return m;
    }
}
