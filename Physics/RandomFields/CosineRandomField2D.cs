namespace PdeOps.Physics.RandomFields;

/// <summary>
/// Gaussian random fields on [0, 1]^2 with zero-Neumann boundaries and covariance
/// (-Lap + tau^2)^(-alpha), expanded in the orthonormal cosine (DCT-II) basis on an s x s vertex
/// grid: field = sum_k c_k xi_k phi_k with c_k = s tau^(alpha - 1) (pi^2 |k|^2 + tau^2)^(-alpha / 2),
/// xi_k standard normal and the constant mode removed: the recipe of the FNO Darcy data
/// (Li et al., ICLR 2021). Modes above <see cref="MaxModes"/> per axis are dropped; their
/// weights are below 1e-3 of the largest for the default parameters.
/// </summary>
public sealed class CosineRandomField2D
{
    /// <summary>Creates a sampler for s x s fields.</summary>
    public CosineRandomField2D(int size, double alpha = 2, double tau = 3, int maxModes = 256)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), size, "a field needs at least 2 x 2 points");
        if (!(alpha > 0) || !(tau > 0)) throw new ArgumentException("alpha and tau must be positive");
        Size = size; Alpha = alpha; Tau = tau;
        MaxModes = Math.Min(size, Math.Max(1, maxModes));
        _basis = new double[MaxModes, size];
        for (int k = 0; k < MaxModes; k++)
        {
            double norm = Math.Sqrt((k == 0 ? 1.0 : 2.0) / size);
            for (int i = 0; i < size; i++) _basis[k, i] = norm * Math.Cos(Math.PI * k * (i + 0.5) / size);
        }
    }

    readonly double[,] _basis; // phi_k(i), orthonormal DCT-II basis

    /// <summary>Points per axis.</summary>
    public int Size { get; }
    /// <summary>Smoothness exponent.</summary>
    public double Alpha { get; }
    /// <summary>Inverse length scale.</summary>
    public double Tau { get; }
    /// <summary>Modes kept per axis.</summary>
    public int MaxModes { get; }

    /// <summary>Draws the field of sample <paramref name="index"/> of the stream <paramref name="seed"/>, as [y, x].</summary>
    public double[,] Sample(int seed, long index)
    {
        var rng = new Random(StreamSeed(seed, index));
        int m = MaxModes, s = Size;
        var coefficients = new double[m, m];
        for (int ky = 0; ky < m; ky++)
            for (int kx = 0; kx < m; kx++)
            {
                double xi = Normal(rng);
                if (kx == 0 && ky == 0) continue;
                double weight = s * Math.Pow(Tau, Alpha - 1) * Math.Pow(Math.PI * Math.PI * (kx * kx + ky * ky) + Tau * Tau, -Alpha / 2);
                coefficients[ky, kx] = weight * xi;
            }
        // field[y, x] = sum_ky phi_ky(y) sum_kx c[ky, kx] phi_kx(x): two small matrix products.
        var partial = new double[m, s];
        for (int ky = 0; ky < m; ky++)
            for (int kx = 0; kx < m; kx++)
            {
                double c = coefficients[ky, kx];
                if (c == 0) continue;
                for (int x = 0; x < s; x++) partial[ky, x] += c * _basis[kx, x];
            }
        var field = new double[s, s];
        for (int y = 0; y < s; y++)
            for (int ky = 0; ky < m; ky++)
            {
                double b = _basis[ky, y];
                for (int x = 0; x < s; x++) field[y, x] += b * partial[ky, x];
            }
        return field;
    }

    /// <summary>The FNO Darcy coefficient: <paramref name="high"/> where the field is non-negative, else <paramref name="low"/>.</summary>
    public double[,] TwoPhaseCoefficient(int seed, long index, double high = 12, double low = 3)
    {
        var field = Sample(seed, index);
        int s = Size;
        var a = new double[s, s];
        for (int y = 0; y < s; y++)
            for (int x = 0; x < s; x++) a[y, x] = field[y, x] >= 0 ? high : low;
        return a;
    }

    /// <summary>A 31-bit seed for sample <paramref name="index"/> of stream <paramref name="seed"/> (SplitMix64 mixing), the same in every process.</summary>
    public static int StreamSeed(int seed, long index)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    // Box-Muller; one normal per call keeps the stream a simple function of (seed, index).
    static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
