using System.Numerics;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// The orthonormal type-I discrete sine transform of length n,
/// S[k] = sqrt(2 / (n + 1)) sum_{j=1..n} x[j] sin(pi j k / (n + 1)), k = 1..n (stored 0-based), which
/// diagonalises the second-difference matrix with zero Dirichlet ends. Computed through one real FFT of
/// length N = n + 1 (Press et al., Numerical Recipes, sec. 12.4, "sinft"), half the length of the odd
/// extension's FFT. The transform is its own inverse.
/// </summary>
/// <remarks>
/// <para>With x[0] = x[N] = 0, the FFT Y of y[j] = sin(pi j / N) (x[j] + x[N - j]) + (x[j] - x[N - j]) / 2
/// gives the even terms directly and the odd ones by a running sum: the antisymmetric part yields
/// -Im Y[k] = sum x[j] sin(2 pi j k / N) = S[2k], and the symmetric part
/// Re Y[k] = 2 sum x[j] sin(pi j / N) cos(2 pi j k / N) = S[2k + 1] - S[2k - 1], with S[-1] = -S[1].</para>
/// <para>Buffers are built once; not thread-safe: one instance per thread.</para>
/// </remarks>
public sealed class SineTransform
{
    readonly RealFftPlan _fft;
    readonly double[] _folded;
    readonly Complex[] _spectrum;
    readonly double[] _sines; // sin(pi j / N), j = 0..N-1
    readonly double _scale;

    /// <summary>Builds the transform for signals of length <paramref name="length"/> (at least 1).</summary>
    public SineTransform(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
        int intervals = length + 1; // N
        _fft = new RealFftPlan(intervals);
        _folded = new double[intervals];
        _spectrum = new Complex[_fft.SpectrumLength];
        _sines = new double[intervals];
        for (int j = 0; j < intervals; j++) _sines[j] = Math.Sin(Math.PI * j / intervals);
        _scale = Math.Sqrt(2.0 / intervals);
    }

    /// <summary>The signal length n.</summary>
    public int Length { get; }

    /// <summary>Writes the transform of <paramref name="x"/> to <paramref name="result"/> (both of length n; they may alias).</summary>
    public void Apply(ReadOnlySpan<double> x, Span<double> result)
    {
        int length = Length, intervals = length + 1; // N
        if (x.Length != length || result.Length != length) throw new ArgumentException($"the transform has length {length}");
        // x is 0-based here: x[j - 1] is the sum's x_j.
        _folded[0] = 0;
        for (int j = 1; j < intervals; j++)
        {
            double ahead = x[j - 1], behind = x[intervals - j - 1];
            _folded[j] = _sines[j] * (ahead + behind) + 0.5 * (ahead - behind);
        }
        _fft.Forward(_folded, _spectrum);
        // S[m] goes to result[m - 1]; the even ones from Im Y, the odd ones accumulated from Re Y.
        double odd = 0.5 * _spectrum[0].Real;
        result[0] = _scale * odd;
        for (int k = 1; 2 * k <= length; k++)
        {
            result[2 * k - 1] = -_scale * _spectrum[k].Imaginary;
            if (2 * k + 1 > length) break;
            odd += _spectrum[k].Real;
            result[2 * k] = _scale * odd;
        }
    }
}
