using System.Numerics;
using System.Runtime.Intrinsics;

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
/// <para><see cref="ApplyRows"/> transforms many signals, four at a time in the lanes of 256-bit vectors
/// where the processor has them, with the same values to the bit as <see cref="Apply"/>.</para>
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

    // Four signals in step: the folded signals, their packed form, the spectrum and the FFT's work room (built on first use).
    Vector256<double>[]? _folded4;
    ComplexLane4[]? _packed4, _spectrum4, _work4, _pairs4;

    /// <summary>
    /// Transforms each of the consecutive length-n signals of <paramref name="rows"/> into the same place of
    /// <paramref name="result"/> (they may alias), as <see cref="Apply"/> does one.
    /// </summary>
    /// <exception cref="ArgumentException">The lengths differ or are not a multiple of n.</exception>
    public void ApplyRows(ReadOnlySpan<double> rows, Span<double> result)
    {
        int n = Length;
        if (rows.Length != result.Length || rows.Length % n != 0)
            throw new ArgumentException($"rows of length {n} are needed: got {rows.Length} values and room for {result.Length}");
        int count = rows.Length / n, r = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; r + 4 <= count; r += 4) ApplyFour(rows.Slice(r * n, 4 * n), result.Slice(r * n, 4 * n));
        for (; r < count; r++) Apply(rows.Slice(r * n, n), result.Slice(r * n, n));
    }

    // Apply to four consecutive signals at once, lane l holding signal l; every step is Apply's, lane by lane.
    void ApplyFour(ReadOnlySpan<double> x, Span<double> result)
    {
        int n = Length, intervals = n + 1; // N
        var folded = _folded4 ??= new Vector256<double>[intervals];
        var packed = _packed4 ??= new ComplexLane4[_fft.PackedLength];
        var spectrum = _spectrum4 ??= new ComplexLane4[_fft.SpectrumLength];
        var work = _work4 ??= new ComplexLane4[_fft.PackedLength];
        var pairs = _pairs4 ??= new ComplexLane4[_fft.PairsLength];
        var half = Vector256.Create(0.5);
        folded[0] = Vector256<double>.Zero;
        for (int j = 1; j < intervals; j++)
        {
            Vector256<double> ahead = Lanes(x, n, j - 1), behind = Lanes(x, n, intervals - j - 1);
            folded[j] = Vector256.Create(_sines[j]) * (ahead + behind) + half * (ahead - behind);
        }
        if (intervals % 2 == 1)
            for (int j = 0; j < intervals; j++) packed[j] = new ComplexLane4(folded[j], Vector256<double>.Zero);
        else
            for (int j = 0; j < intervals / 2; j++) packed[j] = new ComplexLane4(folded[2 * j], folded[2 * j + 1]);
        _fft.Forward<ComplexLane4>(packed, spectrum, work, pairs);
        Vector256<double> scale = Vector256.Create(_scale), negativeScale = Vector256.Create(-_scale);
        var odd = half * spectrum[0].Re;
        Store(result, n, 0, scale * odd);
        for (int k = 1; 2 * k <= n; k++)
        {
            Store(result, n, 2 * k - 1, negativeScale * spectrum[k].Im);
            if (2 * k + 1 > n) break;
            odd += spectrum[k].Re;
            Store(result, n, 2 * k, scale * odd);
        }
    }

    // Entry j of each of four consecutive signals of length n, and the reverse.
    static Vector256<double> Lanes(ReadOnlySpan<double> x, int n, int j) => Vector256.Create(x[j], x[n + j], x[2 * n + j], x[3 * n + j]);

    static void Store(Span<double> result, int n, int j, Vector256<double> values)
    {
        for (int lane = 0; lane < 4; lane++) result[lane * n + j] = values.GetElement(lane);
    }

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
