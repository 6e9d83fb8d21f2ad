using System.Numerics;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// The orthonormal type-I discrete sine transform of length n,
/// S[k] = sqrt(2 / (n + 1)) sum_{j=1..n} x[j] sin(pi j k / (n + 1)), k = 1..n (stored 0-based), which
/// diagonalises the second-difference matrix with zero Dirichlet ends. Computed through a real FFT of
/// the odd extension (0, x, 0, -reversed x) of length 2 (n + 1), whose spectrum is -2 i S[k] up to
/// the normalisation (Press et al., Numerical Recipes, sec. 12.4). The transform is its own inverse.
/// </summary>
/// <remarks>Buffers are built once; not thread-safe: one instance per thread.</remarks>
public sealed class SineTransform
{
    readonly RealFftPlan _fft;
    readonly double[] _extended;
    readonly Complex[] _spectrum;
    readonly double _scale;

    /// <summary>Builds the transform for signals of length <paramref name="length"/> (at least 1).</summary>
    public SineTransform(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
        _fft = new RealFftPlan(2 * (length + 1));
        _extended = new double[2 * (length + 1)];
        _spectrum = new Complex[_fft.SpectrumLength];
        _scale = Math.Sqrt(2.0 / (length + 1));
    }

    /// <summary>The signal length n.</summary>
    public int Length { get; }

    /// <summary>Writes the transform of <paramref name="x"/> to <paramref name="result"/> (both of length n; they may alias).</summary>
    public void Apply(ReadOnlySpan<double> x, Span<double> result)
    {
        int n = Length;
        if (x.Length != n || result.Length != n) throw new ArgumentException($"the transform has length {n}");
        _extended[0] = 0;
        _extended[n + 1] = 0;
        for (int j = 0; j < n; j++)
        {
            _extended[j + 1] = x[j];
            _extended[2 * n + 1 - j] = -x[j];
        }
        _fft.Forward(_extended, _spectrum);
        for (int k = 0; k < n; k++) result[k] = -0.5 * _scale * _spectrum[k + 1].Imaginary;
    }
}
