using System.Numerics;
using System.Runtime.InteropServices;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// Real-to-complex (rfft) and complex-to-real (irfft) transforms of one fixed length n, on the half
/// spectrum X[0..n/2] (n/2 + 1 values; the rest is the conjugate mirror). For even n the n real samples
/// are packed as n/2 complex values z[j] = x[2j] + i x[2j+1], transformed by a complex FFT of length n/2
/// and split into the even- and odd-sample spectra (Cooley, Lewis and Welch 1970; Press et al., Numerical
/// Recipes, sec. 12.3), so an rfft costs about half a complex FFT of length n. Odd n uses a full complex FFT.
/// </summary>
/// <remarks>
/// Normalisation follows numpy's rfft/irfft: forward unnormalised, inverse divides by n. The inverse
/// treats the spectrum as Hermitian: the imaginary parts of X[0] and (for even n) X[n/2] are ignored.
/// Buffers and twiddles are built once; a transform allocates nothing. Not thread-safe: one plan per thread.
/// </remarks>
public sealed class RealFftPlan
{
    readonly ComplexFftPlan _complex;
    readonly Complex[] _buffer;
    readonly Complex[] _twiddles; // W_n^k, k = 0..n/2 (even n only)

    /// <summary>Builds the plan for real signals of length <paramref name="length"/>.</summary>
    public RealFftPlan(int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be at least 1");
        Length = length;
        bool even = length % 2 == 0;
        _complex = new ComplexFftPlan(even ? length / 2 : length);
        _buffer = new Complex[_complex.Length];
        _twiddles = new Complex[even ? length / 2 + 1 : 0];
        for (int k = 0; k < _twiddles.Length; k++) _twiddles[k] = ComplexFftPlan.UnitRoot(-(double)k / length);
    }

    /// <summary>The real signal length n.</summary>
    public int Length { get; }

    /// <summary>The half-spectrum length n/2 + 1.</summary>
    public int SpectrumLength => Length / 2 + 1;

    /// <summary>X[k] = sum_j x[j] exp(-2 pi i j k / n) for k = 0..n/2, unnormalised.</summary>
    public void Forward(ReadOnlySpan<double> x, Span<Complex> spectrum)
    {
        CheckLengths(x.Length, spectrum.Length);
        if (Length % 2 == 1)
            for (int j = 0; j < Length; j++) _buffer[j] = new Complex(x[j], 0);
        else
            for (int j = 0; j < Length / 2; j++) _buffer[j] = new Complex(x[2 * j], x[2 * j + 1]);
        _complex.Forward(_buffer);
        Split(MemoryMarshal.Cast<Complex, ComplexLane>(_buffer.AsSpan()), MemoryMarshal.Cast<Complex, ComplexLane>(spectrum));
    }

    /// <summary>Lanes the packed signal of <see cref="Forward{T}"/> takes: n / 2 for even n, n for odd n.</summary>
    internal int PackedLength => _complex.Length;

    /// <summary>Lanes of work room <see cref="Forward{T}"/> needs beside the packed signal.</summary>
    internal int PairsLength => _complex.LargestRadix;

    /// <summary>
    /// The half spectrum of real signals given packed in lanes (one signal per lane): for even n,
    /// packed[j] = x[2j] + i x[2j + 1]; for odd n, packed[j] = x[j]. The packed values are overwritten;
    /// work holds <see cref="PackedLength"/> lanes and pairs <see cref="PairsLength"/>.
    /// </summary>
    internal void Forward<T>(Span<T> packed, Span<T> spectrum, Span<T> work, Span<T> pairs) where T : unmanaged, IFftLane<T>
    {
        _complex.Forward(packed[.._complex.Length], work, pairs);
        Split(packed, spectrum);
    }

    // The half spectrum from the transformed packed signal: a copy for odd n, the even and odd spectra's split for even n.
    void Split<T>(Span<T> packed, Span<T> spectrum) where T : unmanaged, IFftLane<T>
    {
        if (Length % 2 == 1)
        {
            packed[..SpectrumLength].CopyTo(spectrum);
            return;
        }
        int h = Length / 2;
        // Even spectrum E = (Z[k] + conj Z[h-k]) / 2, odd spectrum O = (Z[k] - conj Z[h-k]) / 2i, X = E + W^k O.
        for (int k = 0; k <= h; k++)
        {
            T zk = packed[k == h ? 0 : k], zc = T.Conjugate(packed[k == 0 ? 0 : h - k]);
            T e = 0.5 * (zk + zc), o = T.MinusI(0.5 * (zk - zc));
            spectrum[k] = e + o * _twiddles[k];
        }
    }

    /// <summary>x[j] = (1/n) sum_k X[k] exp(+2 pi i j k / n) over the Hermitian extension of the half spectrum.</summary>
    public void Inverse(ReadOnlySpan<Complex> spectrum, Span<double> x)
    {
        CheckLengths(x.Length, spectrum.Length);
        int h = Length / 2;
        if (Length % 2 == 1)
        {
            _buffer[0] = new Complex(spectrum[0].Real, 0);
            for (int k = 1; k <= h; k++)
            {
                _buffer[k] = spectrum[k];
                _buffer[Length - k] = Complex.Conjugate(spectrum[k]);
            }
            _complex.Inverse(_buffer);
            for (int j = 0; j < Length; j++) x[j] = _buffer[j].Real;
            return;
        }
        // Rebuild Z = E + i O with E = (X[k] + conj X[h-k]) / 2, O = (X[k] - conj X[h-k]) W^-k / 2, then z = ifft(Z).
        for (int k = 0; k < h; k++)
        {
            Complex xk = k == 0 ? new Complex(spectrum[0].Real, 0) : spectrum[k];
            Complex xc = k == 0 ? new Complex(spectrum[h].Real, 0) : Complex.Conjugate(spectrum[h - k]);
            Complex e = 0.5 * (xk + xc), o = 0.5 * (xk - xc) * Complex.Conjugate(_twiddles[k]);
            _buffer[k] = new Complex(e.Real - o.Imaginary, e.Imaginary + o.Real);
        }
        _complex.Inverse(_buffer);
        for (int j = 0; j < h; j++)
        {
            x[2 * j] = _buffer[j].Real;
            x[2 * j + 1] = _buffer[j].Imaginary;
        }
    }

    void CheckLengths(int real, int spectrum)
    {
        if (real < Length) throw new ArgumentException($"real signal needs {Length} values, got {real}");
        if (spectrum < SpectrumLength) throw new ArgumentException($"half spectrum needs {SpectrumLength} values, got {spectrum}");
    }
}
