using System.Numerics;
using System.Runtime.InteropServices;

namespace PdeOps.Solvers.Spectral;

/// <summary>
/// A complex-to-complex discrete Fourier transform of one fixed length, X[k] = sum_j x[j] exp(-2 pi i j k / n).
/// Mixed-radix Stockham autosort algorithm (decimation in frequency; Stockham 1966, as presented in
/// Van Loan, Computational Frameworks for the FFT, 1992, sec. 1.7 and 2.3) with specialised radix 4, 2,
/// 3 and 5 butterflies and a direct O(p) butterfly for any other prime factor p, so every length works
/// but lengths with large prime factors are slow.
/// </summary>
/// <remarks>
/// Normalisation follows numpy: <see cref="Forward"/> is unnormalised, <see cref="Inverse"/> divides by n,
/// so Inverse(Forward(x)) = x. Twiddle factors and the work buffer are built once in the constructor;
/// a transform allocates nothing. An instance owns its work buffer and is therefore not thread-safe:
/// use one plan per thread.
/// </remarks>
public sealed class ComplexFftPlan
{
    readonly FftStage[] _stages;
    readonly Complex[] _work;
    readonly Complex[] _pairs; // the odd-radix butterfly's sums and differences

    /// <summary>Builds the plan (factorisation and twiddles) for transforms of length <paramref name="length"/>.</summary>
    public ComplexFftPlan(int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "FFT length must be at least 1");
        Length = length;
        _work = new Complex[length];
        int[] radices = Factorize(length);
        _stages = new FftStage[radices.Length];
        int stride = 1, maxRadix = 1;
        for (int i = 0; i < radices.Length; i++)
        {
            int r = radices[i];
            _stages[i] = new FftStage(r, length / (stride * r), stride, length);
            stride *= r;
            maxRadix = Math.Max(maxRadix, r);
        }
        _pairs = new Complex[maxRadix];
        LargestRadix = maxRadix;
    }

    /// <summary>The transform length n.</summary>
    public int Length { get; }

    /// <summary>The radices of the stages, in the order they are applied.</summary>
    public IReadOnlyList<int> Radices => _stages.Select(s => s.Radix).ToArray();

    /// <summary>In-place unnormalised forward transform of the first n entries of <paramref name="data"/>.</summary>
    public void Forward(Span<Complex> data)
    {
        if (data.Length < Length) throw new ArgumentException($"need at least {Length} values, got {data.Length}", nameof(data));
        Forward(MemoryMarshal.Cast<Complex, ComplexLane>(data[..Length]), MemoryMarshal.Cast<Complex, ComplexLane>(_work.AsSpan()),
            MemoryMarshal.Cast<Complex, ComplexLane>(_pairs.AsSpan()));
    }

    /// <summary>
    /// In-place forward transform of <see cref="Length"/> lanes (one transform per lane); work holds at least
    /// <see cref="Length"/> lanes and pairs at least <see cref="LargestRadix"/>. The caller owns both buffers.
    /// </summary>
    internal void Forward<T>(Span<T> data, Span<T> work, Span<T> pairs) where T : unmanaged, IFftLane<T>
    {
        Span<T> x = data, y = work[..Length];
        foreach (var stage in _stages)
        {
            ApplyStage(stage, x, y, pairs);
            Span<T> t = x; x = y; y = t;
        }
        if (_stages.Length % 2 == 1) x.CopyTo(data);
    }

    /// <summary>The largest radix of the stages: the room the odd-radix butterfly needs for its sums and differences.</summary>
    internal int LargestRadix { get; }

    /// <summary>In-place inverse transform, x[j] = (1/n) sum_k X[k] exp(+2 pi i j k / n).</summary>
    public void Inverse(Span<Complex> data)
    {
        if (data.Length < Length) throw new ArgumentException($"need at least {Length} values, got {data.Length}", nameof(data));
        data = data[..Length];
        // conj(DFT(conj(X))) is the unnormalised inverse; two conjugation passes cost far less than a stage.
        for (int i = 0; i < data.Length; i++) data[i] = Complex.Conjugate(data[i]);
        Forward(data);
        double scale = 1.0 / Length;
        for (int i = 0; i < data.Length; i++) data[i] = new Complex(data[i].Real * scale, -data[i].Imaginary * scale);
    }

    /// <summary>exp(2 pi i turns), with exact values at multiples of a quarter turn.</summary>
    internal static Complex UnitRoot(double turns)
    {
        double t = turns - Math.Floor(turns);
        if (t == 0) return Complex.One;
        if (t == 0.25) return Complex.ImaginaryOne;
        if (t == 0.5) return new Complex(-1, 0);
        if (t == 0.75) return new Complex(0, -1);
        double angle = 2 * Math.PI * t;
        return new Complex(Math.Cos(angle), Math.Sin(angle));
    }

    /// <summary>Radix 4 first (fewest passes), then 2, 3, 5, then any remaining primes.</summary>
    static int[] Factorize(int n)
    {
        var radices = new List<int>();
        while (n % 4 == 0) { radices.Add(4); n /= 4; }
        foreach (int p in new[] { 2, 3, 5 })
            while (n % p == 0) { radices.Add(p); n /= p; }
        for (int p = 7; n > 1; p += 2)
        {
            if ((long)p * p > n) p = n;
            while (n % p == 0) { radices.Add(p); n /= p; }
        }
        return radices.ToArray();
    }

    static void ApplyStage<T>(FftStage stage, Span<T> x, Span<T> y, Span<T> pairs) where T : unmanaged, IFftLane<T>
    {
        switch (stage.Radix)
        {
            case 2: FftButterflies.Radix2(stage, x, y); break;
            case 3: FftButterflies.Radix3(stage, x, y); break;
            case 4: FftButterflies.Radix4(stage, x, y); break;
            case 5: FftButterflies.Radix5(stage, x, y); break;
            default: FftButterflies.OddRadix(stage, x, y, pairs); break;
        }
    }
}

/// <summary>
/// One Stockham stage: sub-sequences of length Radix * Span at stride Stride are split into Radix
/// interleaved sequences of length Span. Twiddles[p * (Radix - 1) + k - 1] = W_n^(Stride * p * k).
/// </summary>
internal sealed class FftStage
{
    public FftStage(int radix, int span, int stride, int n)
    {
        Radix = radix;
        Span = span;
        Stride = stride;
        Twiddles = new Complex[span * (radix - 1)];
        for (int p = 0; p < span; p++)
            for (int k = 1; k < radix; k++)
                Twiddles[p * (radix - 1) + k - 1] = ComplexFftPlan.UnitRoot(-(double)((long)stride * p * k % n) / n);
        // The odd-radix butterfly's cos and sin(2 pi j k / r), j, k = 1..r/2, at (k - 1) * (r / 2) + j - 1.
        int half = radix > 5 ? radix / 2 : 0;
        (PairCosines, PairSines) = (new double[half * half], new double[half * half]);
        for (int k = 1; k <= half; k++)
            for (int j = 1; j <= half; j++)
            {
                var root = ComplexFftPlan.UnitRoot((double)(j * k % radix) / radix);
                (PairCosines[(k - 1) * half + j - 1], PairSines[(k - 1) * half + j - 1]) = (root.Real, root.Imaginary);
            }
    }

    public int Radix { get; }
    public int Span { get; }
    public int Stride { get; }
    public Complex[] Twiddles { get; }
    public double[] PairCosines { get; }
    public double[] PairSines { get; }
}
